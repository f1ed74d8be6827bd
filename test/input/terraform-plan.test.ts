/** Terraform plan JSON (`terraform show -json`) → targets; every failure is an InputError naming the file. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ImglintError, InputError } from '../../src/errors.js';
import { parseTerraformPlan, readTerraformPlan } from '../../src/input/terraform/plan.js';
import { ProviderId } from '../../src/model/common.js';
import { LaunchOptions, type TargetRequest } from '../../src/model/target.js';
import { inputError } from '../support/errors.js';
import { resourceChange } from './plan-json.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const EXAMPLE = 'examples/terraform/plan.json';
const exampleText = readFileSync(path.join(repoRoot, EXAMPLE), 'utf8');
const example = JSON.parse(exampleText) as Record<string, unknown>;

/** A plan document with the given parts (format 1.2), pretty-printed as `jq .` would. */
function planText(parts: Record<string, unknown>): string {
  return JSON.stringify({ format_version: '1.2', terraform_version: '1.9.8', planned_values: { root_module: {} }, ...parts }, null, 2);
}

const create = resourceChange;

const parse = (parts: Record<string, unknown>, options = {}) => parseTerraformPlan(planText(parts), 'plan.json', options);

describe('parseTerraformPlan on examples/terraform/plan.json', () => {
  const targets = parseTerraformPlan(exampleText, EXAMPLE);
  const source = (address: string, line: number) => ({ file: EXAMPLE, address, line });

  it('lists every launching instance: create and no-op kept (the no-op marked as launching nothing), the delete and the AMI copy left out', () => {
    expect(targets).toEqual<TargetRequest[]>([
      { provider: 'aws', region: 'us-east-1', type: 't3.small', source: source('aws_instance.hardened', 367), unknown: 'ami is known only after apply', unknownUntil: 'apply' },
      { provider: 'aws', region: 'us-east-1', image: 'ami-0e972d2890378139a', type: 't2.micro', source: source('aws_instance.legacy', 473) },
      {
        provider: 'aws',
        region: 'us-east-1',
        availabilityZones: ['us-east-1a'],
        image: 'ami-0006118602dfc1c09',
        type: 't3.micro',
        source: source('aws_instance.web', 579),
        existing: { change: 'kept', reason: 'the plan leaves aws_instance.web as it is (no-op): it launches nothing' },
      },
      { provider: 'aws', region: 'us-east-1', image: 'ami-04fc404d256fd34a2', type: 'c5.large', source: source('aws_launch_template.batch', 686) },
      { provider: 'aws', region: 'us-east-1', image: 'ami-05448533fbe614dce', type: 't3.medium', source: source('module.workers.aws_instance.this[0]', 791) },
      { provider: 'aws', region: 'us-east-1', image: 'ami-05448533fbe614dce', type: 't3.medium', source: source('module.workers.aws_instance.this[1]', 899) },
    ]);
  });

  it('points each target at the line of its "address" in resource_changes', () => {
    const lines = exampleText.split('\n');
    for (const target of targets) {
      expect(lines[target.source!.line! - 1]).toBe(`      "address": ${JSON.stringify(target.source!.address)},`);
    }
  });

  it('readTerraformPlan reads the file; a missing file is UnreadableTerraformPlan', async () => {
    await expect(readTerraformPlan(path.join(repoRoot, EXAMPLE))).resolves.toHaveLength(6);
    const error = await readTerraformPlan('no/such/plan.json').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ code: 'UnreadableTerraformPlan', message: 'no/such/plan.json: cannot read the Terraform plan (ENOENT)' });
  });

  it('gives the same targets, without meaningful lines, for the one-line JSON terraform prints', () => {
    const compact = parseTerraformPlan(JSON.stringify(example), EXAMPLE);
    expect(compact.map((t) => t.source!.line)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(compact.map(({ source, ...rest }) => rest)).toEqual(targets.map(({ source, ...rest }) => rest));
  });
});

describe('format_version', () => {
  it('accepts an unknown minor version (1.9) and the 0.x format of Terraform 0.12-0.15', () => {
    expect(parseTerraformPlan(JSON.stringify({ ...example, format_version: '1.9' }), 'p.json')).toHaveLength(6);
    expect(parseTerraformPlan(JSON.stringify({ ...example, format_version: '0.2' }), 'p.json')).toHaveLength(6);
  });

  it('refuses a new major version, naming the file and the version', () => {
    const error = inputError(() => parseTerraformPlan(JSON.stringify({ ...example, format_version: '2.0' }), 'tf/plan.json'));
    expect(error.code).toBe('UnsupportedTerraformPlanVersion');
    expect(error.message).toBe('tf/plan.json: Terraform plan format_version "2.0" is not supported: imglint reads formats 0.x and 1.x');
    expect(error.kind).toBe('input');
  });

  it('refuses a format_version that is not major.minor', () => {
    for (const version of ['1', 'one.two', 1.2, null]) {
      const error = inputError(() => parseTerraformPlan(JSON.stringify({ ...example, format_version: version }), 'p.json'));
      expect(error.code).toBe('UnsupportedTerraformPlanVersion');
      expect(error.message).toContain(`format_version ${JSON.stringify(version)} is not a version`);
    }
  });
});

describe('inputs that are not a plan', () => {
  it.each([
    ['an object without format_version', '{"resource_changes": []}', 'p.json: not a Terraform plan: no "format_version"'],
    ['an array', '[1, 2]', 'p.json: not a Terraform plan: no "format_version"'],
    ['a string', '"plan"', 'p.json: not a Terraform plan: no "format_version"'],
    [
      'Terraform state',
      '{"format_version": "1.0", "terraform_version": "1.9.8", "values": {"root_module": {}}}',
      'p.json: not a Terraform plan: no "planned_values" or "resource_changes" (it looks like Terraform state)',
    ],
    ['a binary plan file', 'PK\u0003\u0004\u0014\u0000\u0008\u0000tfplan', 'p.json: is a binary Terraform plan file, not its JSON'],
  ])('%s is NotATerraformPlan', (_, text, message) => {
    const error = inputError(() => parseTerraformPlan(text, 'p.json'));
    expect(error.code).toBe('NotATerraformPlan');
    expect(error.message).toBe(message);
    expect(error.hint).toContain('terraform show -json tf.plan');
  });

  it('malformed JSON is MalformedTerraformPlan with the line and column', () => {
    const text = '{\n  "format_version": "1.2",\n  "resource_changes": [\n    { "address": "aws_instance.web", }\n  ]\n}\n';
    const error = inputError(() => parseTerraformPlan(text, 'plan.json'));
    expect(error.code).toBe('MalformedTerraformPlan');
    expect(error.message).toMatch(/^plan\.json: not valid JSON: .+ at line 4, column 38$/);
  });

  it('a part of the plan structure with the wrong shape is InvalidTerraformPlan, naming where', () => {
    let error = inputError(() => parse({ resource_changes: { 'aws_instance.web': {} } }));
    expect(error).toMatchObject({ code: 'InvalidTerraformPlan', message: 'plan.json: resource_changes: expected array (got an object)' });
    error = inputError(() => parse({ resource_changes: [{ address: 'aws_instance.web', mode: 'managed', type: 'aws_instance', name: 'web', change: {} }] }));
    expect(error.message).toBe('plan.json: resource_changes[0].change.actions: missing (expected array)');
    // One resource's odd value makes that resource unverifiable; the others are read.
    const [odd, fine] = parse({ resource_changes: [create('aws_instance.web', { ami: 5, instance_type: 't3.micro' }), create('aws_instance.ok', { ami: 'ami-1', instance_type: 't3.micro' })] });
    expect(odd!.unknown).toBe('imglint cannot read aws_instance.web: ami: expected string (got number)');
    expect(fine).toMatchObject({ image: 'ami-1', type: 't3.micro' });
    expect(fine).not.toHaveProperty('unknown');
  });
});

describe('targets', () => {
  it('skips pure deletes, forgets, deposed objects and data sources; keeps replacements and no-ops', () => {
    const values = { ami: 'ami-1', instance_type: 't3.micro' };
    const targets = parse({
      resource_changes: [
        create('aws_instance.a', values, {}, ['delete']),
        create('aws_instance.b', values, {}, ['forget']),
        { ...create('aws_instance.c', values, {}, ['delete']), deposed: '00000001' },
        { ...create('aws_instance.d', values, {}, ['read']), address: 'data.aws_instance.d', mode: 'data' },
        create('aws_instance.e', values, {}, ['delete', 'create']),
        create('aws_instance.f', values, {}, ['create', 'delete']),
        create('aws_instance.g', values, {}, ['no-op']),
        create('aws_instance.h', values, {}, ['update']),
        create('aws_security_group.i', { name: 'x' }),
      ],
    });
    expect(targets.map((t) => t.source!.address)).toEqual(['aws_instance.e', 'aws_instance.f', 'aws_instance.g', 'aws_instance.h']);
  });

  it('gives each count and for_each instance its own target and line', () => {
    const text = planText({
      resource_changes: [
        create('aws_instance.web[0]', { ami: 'ami-1', instance_type: 't3.micro' }),
        create('aws_instance.web[1]', { ami: 'ami-1', instance_type: 't3.micro' }),
        create('module.app["eu"].aws_instance.web["a.b"]', { ami: 'ami-2', instance_type: 't3.small' }),
      ],
    });
    const targets = parseTerraformPlan(text, 'plan.json');
    const lines = text.split('\n');
    expect(targets.map((t) => t.source!.address)).toEqual(['aws_instance.web[0]', 'aws_instance.web[1]', 'module.app["eu"].aws_instance.web["a.b"]']);
    for (const target of targets) expect(lines[target.source!.line! - 1]).toContain(JSON.stringify(target.source!.address));
  });

  it('marks values known only after apply as unknown, never as a failure', () => {
    const [both, type] = parse({
      resource_changes: [
        create('aws_instance.a', { tags: null }, { ami: true, instance_type: true }),
        create('aws_spot_instance_request.b', { ami: 'ami-1', instance_type: null }, { instance_type: true }),
      ],
    });
    expect(both).toMatchObject({ unknown: 'ami and instance_type are known only after apply' });
    expect(both).not.toHaveProperty('image');
    expect(both).not.toHaveProperty('type');
    expect(type).toMatchObject({ image: 'ami-1', unknown: 'instance_type is known only after apply' });
  });

  it('explains launch templates without an instance type or image; keeps instance requirements and SSM-resolved AMIs', () => {
    const targets = parse({
      resource_changes: [
        create('aws_launch_template.asg', { image_id: 'ami-1', instance_type: null, instance_requirements: [] }),
        create('aws_launch_template.abs', { image_id: 'ami-1', instance_type: null, instance_requirements: [{ vcpu_count: [{ min: 2 }] }] }),
        create('aws_launch_template.bare', { image_id: null, instance_type: 'c5.large' }),
        create('aws_instance.ssm', { ami: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64', instance_type: 't3.micro' }),
        create('aws_instance.from_template', { ami: null, instance_type: null, launch_template: [{ id: 'lt-1' }] }),
      ],
    });
    expect(targets.map((t) => t.unknown)).toEqual([
      'instance_type is not set on the launch template (the launch request chooses it)',
      undefined,
      'image_id is not set on the launch template (the launch request supplies it)',
      undefined,
      'its launch template lt-1 is not managed by this plan, so its values are not known',
    ]);
    expect(targets[0]).toMatchObject({ image: 'ami-1' });
    expect(targets[0]).not.toHaveProperty('type');
    // Instance requirements are judged against the catalog; an SSM parameter is resolved by the caller (imglint check).
    expect(targets[1]).toMatchObject({ image: 'ami-1', instanceRequirements: { VCpuCount: { Min: 2 } } });
    expect(targets[3]).toMatchObject({ type: 't3.micro', image: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64' });
  });

  it('reads instances found only in planned_values (child modules too), absent values being unknown', () => {
    const text = planText({
      planned_values: {
        root_module: {
          resources: [{ address: 'aws_instance.a', mode: 'managed', type: 'aws_instance', name: 'a', values: { ami: 'ami-1', instance_type: 't3.micro' } }],
          child_modules: [
            {
              address: 'module.m',
              resources: [{ address: 'module.m.aws_instance.b', mode: 'managed', type: 'aws_instance', name: 'b', values: { instance_type: 't3.micro' } }],
              child_modules: [
                {
                  address: 'module.m.module.n[0]',
                  resources: [
                    { address: 'module.m.module.n[0].aws_instance.c', mode: 'managed', type: 'aws_instance', name: 'c', values: { ami: 'ami-3', instance_type: 't3.nano' } },
                  ],
                },
              ],
            },
          ],
        },
      },
    });
    const targets = parseTerraformPlan(text, 'plan.json', { defaultRegion: 'eu-west-1' });
    expect(targets.map(({ source, ...rest }) => rest)).toEqual([
      { provider: 'aws', region: 'eu-west-1', image: 'ami-1', type: 't3.micro' },
      { provider: 'aws', region: 'eu-west-1', type: 't3.micro', unknown: 'ami is known only after apply', unknownUntil: 'apply' },
      { provider: 'aws', region: 'eu-west-1', image: 'ami-3', type: 't3.nano' },
    ]);
    const lines = text.split('\n');
    for (const { source } of targets) expect(lines[source!.line! - 1]).toContain(`"address": ${JSON.stringify(source!.address)}`);
    expect(targets.map((t) => t.source!.address)).toEqual(['aws_instance.a', 'module.m.aws_instance.b', 'module.m.module.n[0].aws_instance.c']);
  });

  it('fills values missing from change.after from planned_values', () => {
    const [target] = parse({
      planned_values: { root_module: { resources: [{ address: 'aws_instance.a', mode: 'managed', type: 'aws_instance', name: 'a', values: { ami: 'ami-1', instance_type: 't3.micro' } }] } },
      resource_changes: [create('aws_instance.a', { instance_type: 't3.small' })],
    });
    expect(target).toMatchObject({ image: 'ami-1', type: 't3.small' });
  });
});

describe('regions', () => {
  const providers = {
    aws: { name: 'aws', full_name: 'registry.terraform.io/hashicorp/aws', expressions: { region: { constant_value: 'us-east-1' } } },
    'aws.west': { name: 'aws', alias: 'west', expressions: { region: { constant_value: 'us-west-2' } } },
    'aws.byvar': { name: 'aws', alias: 'byvar', expressions: { region: { references: ['var.region'] } } },
    'module.eu:aws': { name: 'aws', module_address: 'module.eu', expressions: { region: { constant_value: 'eu-west-1' } } },
  };
  const config = (resources: unknown[], calls: Record<string, unknown> = {}) => ({ provider_config: providers, root_module: { resources, module_calls: calls } });
  const values = { ami: 'ami-1', instance_type: 't3.micro' };

  it('follows provider_config_key to the provider configuration, aliases and modules included', () => {
    const targets = parse(
      {
        resource_changes: [
          create('aws_instance.default', values),
          create('aws_instance.west', values),
          create('aws_instance.byvar', values),
          create('module.eu.aws_instance.x', values),
          create('module.passed[0].aws_instance.y', values),
          create('module.eu.module.inner.aws_instance.z', values),
        ],
        configuration: config(
          [
            { address: 'aws_instance.default', provider_config_key: 'aws' },
            { address: 'aws_instance.west', provider_config_key: 'aws.west' },
            { address: 'aws_instance.byvar', provider_config_key: 'aws.byvar' },
          ],
          {
            eu: {
              module: {
                resources: [{ address: 'aws_instance.x', provider_config_key: 'module.eu:aws' }],
                // A module-local key that is not in provider_config, with several configurations that could be it.
                module_calls: { inner: { module: { resources: [{ address: 'aws_instance.z', provider_config_key: 'module.eu.module.inner:aws' }] } } },
              },
            },
            // Terraform points a resource in a module at the configuration passed in (`providers = { aws = aws.west }`).
            passed: { module: { resources: [{ address: 'aws_instance.y', provider_config_key: 'aws.west' }] } },
          },
        ),
      },
      { defaultRegion: 'ap-south-1' },
    );
    expect(Object.fromEntries(targets.map((t) => [t.source!.address, t.region]))).toEqual({
      'aws_instance.default': 'us-east-1',
      'aws_instance.west': 'us-west-2',
      // `var.region` without a value in the plan's variables: unknown, never the default (see 'var regions').
      'aws_instance.byvar': undefined,
      'module.eu.aws_instance.x': 'eu-west-1',
      'module.passed[0].aws_instance.y': 'us-west-2',
      'module.eu.module.inner.aws_instance.z': undefined,
    });
  });

  it('leaves the region undefined when nothing gives it and there is no default', () => {
    const [byvar, none] = parse({
      resource_changes: [create('aws_instance.byvar', values), create('aws_instance.none', values)],
      configuration: { provider_config: { 'aws.byvar': providers['aws.byvar'] }, root_module: { resources: [{ address: 'aws_instance.byvar', provider_config_key: 'aws.byvar' }] } },
    });
    expect(byvar).not.toHaveProperty('region');
    expect(none).not.toHaveProperty('region');
  });

  it("prefers the resource's own known region attribute (AWS provider 6)", () => {
    const [own, unknown] = parse({
      resource_changes: [create('aws_instance.a', { ...values, region: 'sa-east-1' }), create('aws_instance.b', values, { region: true })],
      configuration: config([]),
    });
    expect(own!.region).toBe('sa-east-1');
    expect(unknown!.region).toBe('us-east-1');
  });
});

describe('module-local provider keys of Terraform 1.1 and earlier (hashicorp/terraform#30113)', () => {
  const aws = { name: 'aws', full_name: 'registry.terraform.io/hashicorp/aws', expressions: { region: { constant_value: 'us-east-1' } } };
  const west = { name: 'aws', full_name: 'registry.terraform.io/hashicorp/aws', alias: 'west', expressions: { region: { constant_value: 'us-west-2' } } };
  /** A resource of module `good` whose `provider_config_key` is `key`, as Terraform 1.0 wrote it (format 1.0). */
  const old = (key: string, provider_config: Record<string, unknown>) =>
    parseTerraformPlan(
      JSON.stringify(
        {
          format_version: '1.0',
          terraform_version: '1.0.11',
          planned_values: { root_module: {} },
          resource_changes: [create('module.good.aws_instance.web', { ami: 'ami-0006118602dfc1c09', instance_type: 'x8aedz.large' })],
          configuration: {
            provider_config,
            root_module: {
              resources: [],
              module_calls: { good: { source: './good', module: { resources: [{ address: 'aws_instance.web', mode: 'managed', type: 'aws_instance', name: 'web', provider_config_key: key, schema_version: 1 }] } } },
            },
          },
        },
        null,
        2,
      ),
      'plan.json',
      { defaultRegion: 'ap-south-1' },
    );
  const why = (key: string, choices: string) =>
    `this plan format does not record which provider configuration module.good was passed: its provider_config_key ${key} is not in provider_config (Terraform 1.1 and earlier wrote module-local keys, hashicorp/terraform#30113), and ${choices}; show the plan with Terraform 1.2 or later`;

  it('with aliased configurations, the module may have been passed any of them: unverifiable, never the root default', () => {
    const [target] = old('good:aws', { aws, 'aws.west': west });
    expect(target).not.toHaveProperty('region');
    expect(target!.unknown).toBe(why('good:aws', '2 aws configurations could be it (aws, aws.west)'));
  });

  it('an aliased key is never silently the default region', () => {
    const [target] = old('good:aws.second', { aws, 'aws.west': west });
    expect(target).not.toHaveProperty('region');
    expect(target!.unknown).toBe(why('good:aws.second', '2 aws configurations could be it (aws, aws.west)'));
    // An aliased configuration alone leaves the implied empty one as a second candidate.
    expect(old('good:aws', { 'aws.west': west })[0]!.unknown).toBe(why('good:aws', '2 aws configurations could be it (aws.west, the implied aws)'));
  });

  it('is certain with exactly one configuration of the provider, or none (the implied empty one)', () => {
    const [one] = old('good:aws.second', { aws });
    expect(one).toMatchObject({ region: 'us-east-1' });
    expect(one).not.toHaveProperty('unknown');
    const [none] = old('good:aws', {});
    expect(none).toMatchObject({ region: 'ap-south-1' });
    expect(none).not.toHaveProperty('unknown');
  });
});

describe('machines the plan does not launch', () => {
  const values = { ami: 'ami-0006118602dfc1c09', instance_type: 't3.micro', tags: { Name: 'web' } };
  /** A change of an existing `aws_instance`: its values before and after. */
  const changed = (address: string, actions: string[], before: Record<string, unknown>, after: Record<string, unknown>) => {
    const entry = create(address, after, {}, actions);
    return { ...entry, change: { ...entry.change, before } };
  };

  it('marks a no-op and an update in place as launching nothing, a type change as a resize; creates and replacements are launches', () => {
    const targets = parse({
      resource_changes: [
        changed('aws_instance.kept', ['no-op'], values, values),
        changed('aws_instance.tagged', ['update'], values, { ...values, tags: { Name: 'web2' } }),
        changed('aws_instance.resized', ['update'], values, { ...values, instance_type: 'm6g.large' }),
        changed('aws_instance.replaced', ['delete', 'create'], { ...values, ami: 'ami-old' }, values),
        create('aws_instance.new', values),
        changed('aws_autoscaling_group.asg', ['update'], { launch_configuration: 'lc', max_size: 1 }, { launch_configuration: 'lc', max_size: 4, launch_template: [], mixed_instances_policy: [] }),
        changed('aws_launch_configuration.lc', ['no-op'], { name: 'lc', image_id: 'ami-1', instance_type: 't3.micro' }, { name: 'lc', image_id: 'ami-1', instance_type: 't3.micro' }),
      ],
    });
    // Count in = count out: every resource still gives its target.
    expect(targets.map((t) => [t.source?.address, t.type, t.existing])).toEqual([
      ['aws_instance.kept', 't3.micro', { change: 'kept', reason: 'the plan leaves aws_instance.kept as it is (no-op): it launches nothing' }],
      ['aws_instance.tagged', 't3.micro', { change: 'kept', reason: 'the plan updates aws_instance.tagged in place, with the same image and type: it launches nothing' }],
      ['aws_instance.resized', 'm6g.large', { change: 'resized', reason: 'the plan changes the type of aws_instance.resized in place to m6g.large: it is restarted on that type, not launched from its image' }],
      ['aws_instance.replaced', 't3.micro', undefined],
      ['aws_instance.new', 't3.micro', undefined],
      // An Auto Scaling group launches on scale-out and replacement whatever its change.
      ['aws_autoscaling_group.asg', 't3.micro', undefined],
    ]);
  });

  it('an OpenStack server: a flavor change is a resize, an image change a rebuild (a launch)', () => {
    const server = { image_id: 'img-1', image_name: 'Ubuntu', flavor_id: 'general1-1', flavor_name: 'general1-1', block_device: [] };
    const [resized, rebuilt] = parse({
      resource_changes: [
        changed('openstack_compute_instance_v2.a', ['update'], server, { ...server, flavor_id: 'general1-2', flavor_name: 'general1-2' }),
        changed('openstack_compute_instance_v2.b', ['update'], server, { ...server, image_id: 'img-2', image_name: 'Ubuntu 24.04' }),
      ],
    });
    expect(resized!.existing).toMatchObject({ change: 'resized' });
    expect(rebuilt).not.toHaveProperty('existing');
  });
});

describe('openstack_compute_instance_v2', () => {
  const openstack = (address: string, after: Record<string, unknown>, afterUnknown: Record<string, unknown> = {}) => ({
    ...create(address, after, afterUnknown),
    provider_name: 'registry.terraform.io/terraform-provider-openstack/openstack',
  });
  const rackspace = {
    name: 'openstack',
    expressions: { auth_url: { constant_value: 'https://identity.api.rackspacecloud.com/v2.0/' }, region: { constant_value: 'IAD' } },
  };
  const keystone = { name: 'openstack', expressions: { auth_url: { constant_value: 'https://keystone.example.org:5000/v3' }, region: { constant_value: 'RegionOne' } } };
  const unset = { image_id: null, image_name: null, flavor_id: null, flavor_name: null, block_device: [] };

  it('is rackspace when the provider authenticates against Rackspace identity, else openstack', () => {
    const after = { ...unset, image_id: 'f8ae535e-67c0-41a5-bf55-b06d0ee40cc2', flavor_id: 'general1-1' };
    const [rax] = parse({ resource_changes: [openstack('openstack_compute_instance_v2.web', after)], configuration: { provider_config: { openstack: rackspace } } });
    expect(rax).toMatchObject({ provider: 'rackspace', region: 'IAD', image: 'f8ae535e-67c0-41a5-bf55-b06d0ee40cc2', type: 'general1-1' });
    const uk = { expressions: { auth_url: { constant_value: 'https://LON.identity.api.rackspacecloud.com/v2.0/' } } };
    expect(parse({ resource_changes: [openstack('openstack_compute_instance_v2.web', after)], configuration: { provider_config: { openstack: uk } } })[0]!.provider).toBe(
      'rackspace',
    );
    const [os] = parse({ resource_changes: [openstack('openstack_compute_instance_v2.web', after)], configuration: { provider_config: { openstack: keystone } } });
    expect(os).toMatchObject({ provider: 'openstack', region: 'RegionOne' });
    const [bare] = parse({ resource_changes: [openstack('openstack_compute_instance_v2.web', after)] });
    expect(bare!.provider).toBe('openstack');
    expect(bare).not.toHaveProperty('region');
  });

  it('boots from a volume made from the image: launch.bootFromVolume with the size in GiB, image from block_device', () => {
    const [bfv, local] = parse({
      resource_changes: [
        openstack(
          'openstack_compute_instance_v2.db',
          {
            ...unset,
            flavor_name: 'compute1-4',
            block_device: [
              { source_type: 'blank', destination_type: 'volume', boot_index: 1, volume_size: 100, uuid: null },
              { source_type: 'image', destination_type: 'volume', boot_index: 0, volume_size: 50, uuid: 'f8ae535e-67c0-41a5-bf55-b06d0ee40cc2' },
            ],
          },
          { image_id: true, flavor_id: true },
        ),
        openstack('openstack_compute_instance_v2.local', {
          ...unset,
          flavor_id: 'general1-1',
          block_device: [{ source_type: 'image', destination_type: 'local', boot_index: 0, volume_size: null, uuid: 'img-1' }],
        }),
      ],
      configuration: { provider_config: { openstack: rackspace } },
    });
    expect(bfv).toEqual({
      provider: 'rackspace',
      region: 'IAD',
      image: 'f8ae535e-67c0-41a5-bf55-b06d0ee40cc2',
      type: 'compute1-4',
      launch: { bootFromVolume: true, volumeSizeGiB: 50 },
      source: { file: 'plan.json', address: 'openstack_compute_instance_v2.db', line: 9 },
    });
    expect(LaunchOptions.parse(bfv!.launch)).toEqual(bfv!.launch);
    expect(local).toMatchObject({ image: 'img-1', type: 'general1-1' });
    expect(local).not.toHaveProperty('launch');
  });

  it('falls back to image_name and flavor_name, and explains what it cannot know', () => {
    const targets = parse({
      resource_changes: [
        openstack('openstack_compute_instance_v2.named', { ...unset, image_name: 'CentOS 7 (PVHVM)', flavor_name: '1 GB General Purpose v1' }, { image_id: true, flavor_id: true }),
        openstack('openstack_compute_instance_v2.later', { ...unset, flavor_id: 'general1-1' }, { image_id: true, image_name: true }),
        openstack('openstack_compute_instance_v2.vol', {
          ...unset,
          flavor_id: 'general1-1',
          block_device: [{ source_type: 'volume', destination_type: 'volume', boot_index: 0, volume_size: null, uuid: 'vol-1' }],
        }),
        openstack(
          'openstack_compute_instance_v2.newimage',
          { ...unset, flavor_id: 'general1-1', block_device: [{ source_type: 'image', destination_type: 'volume', boot_index: 0, volume_size: 40 }] },
          { block_device: [{ uuid: true }] },
        ),
        openstack('openstack_compute_instance_v2.nothing', unset),
      ],
    });
    expect(targets[0]).toMatchObject({ image: 'CentOS 7 (PVHVM)', type: '1 GB General Purpose v1' });
    expect(targets[0]).not.toHaveProperty('unknown');
    expect(targets.slice(1).map((t) => t.unknown)).toEqual([
      'image_id is known only after apply',
      'boots from an existing volume (vol-1): the image behind it is not in the plan',
      'block_device.uuid is known only after apply',
      'no image_id, image_name or boot block_device is set; no flavor_id or flavor_name is set',
    ]);
    expect(targets[3]!.launch).toEqual({ bootFromVolume: true, volumeSizeGiB: 40 });
  });
});

describe('never crashes', () => {
  /** Returns targets of the right shape, or throws an InputError: nothing else. */
  function parsesOrRejects(text: string): void {
    let targets: TargetRequest[];
    try {
      targets = parseTerraformPlan(text, 'fuzz.json', { defaultRegion: 'us-east-1' });
    } catch (error) {
      if (!(ImglintError.is(error) && error.kind === 'input')) throw error;
      expect(error.message.startsWith('fuzz.json')).toBe(true);
      return;
    }
    expect(Array.isArray(targets)).toBe(true);
    for (const target of targets) {
      expect(ProviderId.safeParse(target.provider).success).toBe(true);
      expect(target.source?.file).toBe('fuzz.json');
      expect(target.image !== undefined || target.unknown !== undefined).toBe(true);
      expect(target.type !== undefined || target.unknown !== undefined).toBe(true);
      if (target.launch) expect(LaunchOptions.safeParse(target.launch).success).toBe(true);
    }
  }

  it('on arbitrary JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => parsesOrRejects(JSON.stringify(value))), { numRuns: 300 });
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('format_version', 'planned_values', 'resource_changes', 'configuration'), fc.jsonValue()), (value) =>
        parsesOrRejects(JSON.stringify({ format_version: '1.2', ...value })),
      ),
      { numRuns: 300 },
    );
  });

  it('on the example plan with a part replaced or removed', () => {
    /** Every path to a value in `value`. */
    const paths = (value: unknown, prefix: (string | number)[] = []): (string | number)[][] =>
      typeof value === 'object' && value !== null
        ? [prefix, ...Object.entries(value).flatMap(([key, child]) => paths(child, [...prefix, Array.isArray(value) ? Number(key) : key]))]
        : [prefix];
    const all = paths(example).filter((p) => p.length > 0);
    const mutate = (at: (string | number)[], replacement: unknown) => {
      const copy = structuredClone(example) as Record<string | number, unknown>;
      let parent = copy;
      for (const segment of at.slice(0, -1)) parent = parent[segment] as Record<string | number, unknown>;
      const last = at.at(-1)!;
      if (replacement === undefined) delete parent[last];
      else parent[last] = replacement;
      return JSON.stringify(copy, null, 2);
    };
    fc.assert(
      fc.property(fc.constantFrom(...all), fc.option(fc.jsonValue({ maxDepth: 3 }), { nil: undefined }), (at, replacement) =>
        parsesOrRejects(mutate(at, replacement)),
      ),
      { numRuns: 500 },
    );
  });

  it('on arbitrary text', () => {
    fc.assert(fc.property(fc.string(), (text) => parsesOrRejects(text)), { numRuns: 300 });
  });
});
