/**
 * Every kind of resource that launches EC2 instances, in plans of the exact shape `terraform show -json` writes:
 * one target per image × type it may launch, pointing back at the resource; references between resources of the
 * plan followed through `configuration`; `var` regions from the plan's variables.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTerraformPlan, readTerraformPlan } from '../../src/input/terraform/plan.js';
import { useTempDir } from '../support/temp-dir.js';
import { resourceChange } from './plan-json.js';

type Json = Record<string, unknown>;

/** A `resource_changes` entry as Terraform writes it. */
function change(address: string, after: Json, options: { unknown?: Json; actions?: string[] } = {}): Json {
  return resourceChange(address, after, options.unknown, options.actions);
}

/** A plan with a root provider configuration in us-east-1 and the given resources and configuration resources. */
function plan(changes: Json[], resources: Json[] = [], extra: Json = {}): string {
  return JSON.stringify(
    {
      format_version: '1.2',
      terraform_version: '1.9.8',
      planned_values: { root_module: {} },
      resource_changes: changes,
      configuration: {
        provider_config: { aws: { name: 'aws', full_name: 'registry.terraform.io/hashicorp/aws', expressions: { region: { constant_value: 'us-east-1' } } } },
        root_module: { resources },
      },
      ...extra,
    },
    null,
    2,
  );
}

const parse = (text: string) => parseTerraformPlan(text, 'plan.json');

/** The ASG's launch template, created by the plan (its id known only after apply). */
const template = change(
  'aws_launch_template.app',
  { name: 'app', image_id: 'ami-0006118602dfc1c09', instance_type: null, instance_requirements: [], placement: [], update_default_version: null },
  { unknown: { id: true, arn: true, latest_version: true, default_version: true } },
);
const templateRef = { references: ['aws_launch_template.app.id', 'aws_launch_template.app'] };

describe('aws_autoscaling_group', () => {
  it('gives one target per mixed_instances_policy override, with the image of its launch template', () => {
    const targets = parse(
      plan(
        [
          template,
          change('aws_launch_template.arm', { name: 'arm', image_id: 'ami-04fc404d256fd34a2', instance_type: 'm6g.large' }, { unknown: { id: true } }),
          change(
            'aws_autoscaling_group.web',
            {
              availability_zones: ['us-east-1a', 'us-east-1b'],
              launch_template: [],
              launch_configuration: null,
              mixed_instances_policy: [
                {
                  instances_distribution: [{ on_demand_base_capacity: 0 }],
                  launch_template: [
                    {
                      launch_template_specification: [{ launch_template_id: null, launch_template_name: null, version: '$Latest' }],
                      override: [
                        { instance_type: 'c5.large', instance_requirements: [], launch_template_specification: [], weighted_capacity: null },
                        { instance_type: 't2.micro', instance_requirements: [], launch_template_specification: [], weighted_capacity: null },
                        { instance_type: 'm6g.large', instance_requirements: [], launch_template_specification: [{ launch_template_id: null, launch_template_name: null, version: '$Latest' }] },
                      ],
                    },
                  ],
                },
              ],
            },
            { unknown: { mixed_instances_policy: [{ launch_template: [{ launch_template_specification: [{ launch_template_id: true }], override: [{}, {}, { launch_template_specification: [{ launch_template_id: true }] }] }] }] } },
          ),
        ],
        [
          { address: 'aws_launch_template.app', mode: 'managed', type: 'aws_launch_template', name: 'app', provider_config_key: 'aws', expressions: { image_id: { constant_value: 'ami-0006118602dfc1c09' } } },
          { address: 'aws_launch_template.arm', mode: 'managed', type: 'aws_launch_template', name: 'arm', provider_config_key: 'aws', expressions: {} },
          {
            address: 'aws_autoscaling_group.web',
            mode: 'managed',
            type: 'aws_autoscaling_group',
            name: 'web',
            provider_config_key: 'aws',
            expressions: {
              mixed_instances_policy: [
                {
                  launch_template: [
                    {
                      launch_template_specification: [{ launch_template_id: templateRef, version: { constant_value: '$Latest' } }],
                      override: [
                        { instance_type: { constant_value: 'c5.large' } },
                        { instance_type: { constant_value: 't2.micro' } },
                        { instance_type: { constant_value: 'm6g.large' }, launch_template_specification: [{ launch_template_id: { references: ['aws_launch_template.arm.id', 'aws_launch_template.arm'] } }] },
                      ],
                    },
                  ],
                },
              ],
            },
          },
        ],
      ),
    );
    // The templates are checked through the group that launches from them, not on their own.
    expect(targets.map((t) => [t.source?.address, t.image, t.type, t.availabilityZones, t.unknown])).toEqual([
      ['aws_autoscaling_group.web', 'ami-0006118602dfc1c09', 'c5.large', ['us-east-1a', 'us-east-1b'], undefined],
      ['aws_autoscaling_group.web', 'ami-0006118602dfc1c09', 't2.micro', ['us-east-1a', 'us-east-1b'], undefined],
      ['aws_autoscaling_group.web', 'ami-04fc404d256fd34a2', 'm6g.large', ['us-east-1a', 'us-east-1b'], undefined],
    ]);
    expect(targets.every((t) => t.region === 'us-east-1')).toBe(true);
  });

  it('turns instance_requirements overrides into requirement targets in the API shape', () => {
    const [target] = parse(
      plan(
        [
          template,
          change('aws_autoscaling_group.abs', {
            mixed_instances_policy: [
              {
                launch_template: [
                  {
                    launch_template_specification: [{ launch_template_id: null, launch_template_name: 'app', version: '$Default' }],
                    override: [{ instance_type: null, instance_requirements: [{ vcpu_count: [{ min: 2, max: 4 }], memory_mib: [{ min: 4096, max: null }], burstable_performance: 'included', excluded_instance_types: ['t2.*'], cpu_manufacturers: [] }] }],
                  },
                ],
              },
            ],
          }),
        ],
        [],
      ),
    );
    expect(target).toMatchObject({
      image: 'ami-0006118602dfc1c09',
      instanceRequirements: { VCpuCount: { Min: 2, Max: 4 }, MemoryMiB: { Min: 4096 }, BurstablePerformance: 'included', ExcludedInstanceTypes: ['t2.*'] },
    });
    expect(target).not.toHaveProperty('type');
    expect(target!.instanceRequirements).not.toHaveProperty('CpuManufacturers');
  });

  it('reads a launch configuration by name; a template version the plan does not hold is unverifiable', () => {
    const targets = parse(
      plan([
        change('aws_launch_configuration.old', { name: 'old-lc', image_id: 'ami-0e972d2890378139a', instance_type: 't1.micro' }),
        change('aws_autoscaling_group.lc', { launch_configuration: 'old-lc', mixed_instances_policy: [], launch_template: [] }),
        change('aws_launch_template.kept', { id: 'lt-0abc', name: 'kept', image_id: 'ami-1', instance_type: 't3.micro', latest_version: 3, default_version: 2 }, { actions: ['update'] }),
        change('aws_autoscaling_group.old_version', { launch_template: [{ id: 'lt-0abc', name: null, version: '$Default' }], mixed_instances_policy: [] }),
      ]),
    );
    expect(targets.map((t) => [t.source?.address, t.image, t.type])).toEqual([
      ['aws_autoscaling_group.lc', 'ami-0e972d2890378139a', 't1.micro'],
      ['aws_autoscaling_group.old_version', undefined, undefined],
    ]);
    expect(targets[1]!.unknown).toMatch(/default version \(2\) of aws_launch_template\.kept.*latest version only/);
  });
});

describe('fleets and node groups', () => {
  it('aws_spot_fleet_request: every launch_specification and every launch_template_config override', () => {
    const targets = parse(
      plan(
        [
          template,
          change('aws_spot_fleet_request.batch', {
            launch_specification: [
              { ami: 'ami-0006118602dfc1c09', instance_type: 'm5.large', availability_zone: 'us-east-1c' },
              { ami: 'ami-0006118602dfc1c09', instance_type: 'm4.large', availability_zone: null },
            ],
            launch_template_config: [{ launch_template_specification: [{ id: null, name: 'app', version: '$Latest' }], overrides: [{ instance_type: 'c5.xlarge', availability_zone: null, instance_requirements: [] }] }],
          }),
        ],
        [],
      ),
    );
    expect(targets.map((t) => [t.image, t.type, t.availabilityZones])).toEqual([
      ['ami-0006118602dfc1c09', 'm5.large', ['us-east-1c']],
      ['ami-0006118602dfc1c09', 'm4.large', undefined],
      ['ami-0006118602dfc1c09', 'c5.xlarge', undefined],
    ]);
  });

  it('aws_ec2_fleet: every override of its launch_template_config', () => {
    const targets = parse(
      plan([
        template,
        change('aws_ec2_fleet.fleet', {
          launch_template_config: [{ launch_template_specification: [{ launch_template_id: null, launch_template_name: 'app', version: '1' }], override: [{ instance_type: 'r5.large' }, { instance_type: 'r6i.large' }] }],
        }),
      ]),
    );
    expect(targets.map((t) => [t.source?.address, t.image, t.type])).toEqual([
      ['aws_ec2_fleet.fleet', 'ami-0006118602dfc1c09', 'r5.large'],
      ['aws_ec2_fleet.fleet', 'ami-0006118602dfc1c09', 'r6i.large'],
    ]);
  });

  it('aws_eks_node_group: the launch template image on every instance type; ami_type alone is unverifiable, said so', () => {
    const targets = parse(
      plan([
        template,
        change('aws_eks_node_group.custom', { instance_types: ['m5.large', 'm5a.large'], launch_template: [{ id: null, name: 'app', version: '1' }] }),
        change('aws_eks_node_group.managed', { instance_types: ['t3.large'], ami_type: 'AL2023_x86_64_STANDARD', launch_template: [] }),
      ]),
    );
    expect(targets.map((t) => [t.source?.address, t.image, t.type])).toEqual([
      ['aws_eks_node_group.custom', 'ami-0006118602dfc1c09', 'm5.large'],
      ['aws_eks_node_group.custom', 'ami-0006118602dfc1c09', 'm5a.large'],
      ['aws_eks_node_group.managed', undefined, 't3.large'],
    ]);
    expect(targets[2]!.unknown).toMatch(/^EKS picks the AMI for ami_type AL2023_x86_64_STANDARD at apply/);
  });

  it('a resource kind that launches instances but is not read is reported, never dropped', () => {
    const targets = parse(plan([change('aws_emr_cluster.spark', { release_label: 'emr-7.0.0' })]));
    expect(targets).toHaveLength(1);
    expect(targets[0]!.unknown).toMatch(/aws_emr_cluster launches EC2 instances, which imglint does not read/);
  });
});

describe('aws_instance with a launch template', () => {
  it('takes the template image when the instance sets only its own type', () => {
    const [target] = parse(
      plan(
        [template, change('aws_instance.web', { ami: null, instance_type: 'c5.large', launch_template: [{ id: null, name: null, version: '$Latest' }] }, { unknown: { ami: true, launch_template: [{ id: true }] } })],
        [
          { address: 'aws_launch_template.app', mode: 'managed', type: 'aws_launch_template', name: 'app', provider_config_key: 'aws' },
          { address: 'aws_instance.web', mode: 'managed', type: 'aws_instance', name: 'web', provider_config_key: 'aws', expressions: { instance_type: { constant_value: 'c5.large' }, launch_template: [{ id: templateRef, version: { constant_value: '$Latest' } }] } },
        ],
      ),
    );
    expect(target).toMatchObject({ image: 'ami-0006118602dfc1c09', type: 'c5.large', source: { address: 'aws_instance.web' } });
    expect(target).not.toHaveProperty('unknown');
  });
});

describe('var regions', () => {
  const providerConfig = (expressions: Json) => ({ aws: { name: 'aws', expressions } });
  const text = (expressions: Json, variables: Json = {}, calls: Json = {}) =>
    JSON.stringify({
      format_version: '1.2',
      variables,
      resource_changes: [change('aws_instance.web', { ami: 'ami-1', instance_type: 't3.micro' }), change('module.app.aws_instance.inner', { ami: 'ami-1', instance_type: 't3.micro' })],
      configuration: {
        provider_config: { ...providerConfig(expressions), 'module.app:aws': { name: 'aws', module_address: 'module.app', expressions: { region: { references: ['var.where'] } } } },
        root_module: {
          resources: [{ address: 'aws_instance.web', provider_config_key: 'aws' }],
          module_calls: { app: { source: './app', ...calls, module: { resources: [{ address: 'aws_instance.inner', provider_config_key: 'module.app:aws' }], variables: { where: { default: 'ca-central-1' } } } } },
        },
      },
    });

  it('takes var.region from the plan, never the default region (the false failure of issue 8)', () => {
    const [root, inner] = parseTerraformPlan(text({ region: { references: ['var.region'] } }, { region: { value: 'eu-north-1' } }), 'plan.json', { defaultRegion: 'us-east-1' });
    expect(root!.region).toBe('eu-north-1');
    expect(root).not.toHaveProperty('unknown');
    // A module's provider: the variable's default, or the module call's argument.
    expect(inner!.region).toBe('ca-central-1');
    const [, passed] = parseTerraformPlan(text({}, { region: { value: 'sa-east-1' } }, { expressions: { where: { references: ['var.region'] } } }), 'plan.json');
    expect(passed!.region).toBe('sa-east-1');
    // `region = "${var.prefix}-1"` has the same references as `var.prefix`: a value that is no region is not taken.
    const [prefix] = parseTerraformPlan(text({ region: { references: ['var.prefix'] } }, { prefix: { value: 'eu-west' } }), 'plan.json', { defaultRegion: 'us-east-1' });
    expect(prefix).not.toHaveProperty('region');
    expect(prefix!.unknown).toBe('the provider configuration\'s region evaluates to "eu-west", which is not an AWS region');
  });

  it('makes a region the plan does not resolve unverifiable, with the reason', () => {
    const [target] = parseTerraformPlan(text({ region: { references: ['local.region'] } }), 'plan.json', { defaultRegion: 'us-east-1' });
    expect(target).not.toHaveProperty('region');
    expect(target!.unknown).toBe('the region of provider configuration aws is `local.region`, which the plan does not resolve');
  });
});

describe('source lines', () => {
  const dir = useTempDir('imglint-tf-');

  it('points findings at the .tf resource block, modules through their local source', async () => {
    mkdirSync(path.join(dir(), 'modules', 'app'), { recursive: true });
    writeFileSync(path.join(dir(), 'main.tf'), 'provider "aws" {\n  region = "us-east-1"\n}\n\nresource "aws_instance" "web" {\n  ami = "ami-1"\n}\n');
    writeFileSync(path.join(dir(), 'modules', 'app', 'ec2.tf'), '# app\nresource "aws_instance" "inner" {\n}\n');
    const file = path.join(dir(), 'plan.json');
    writeFileSync(
      file,
      JSON.stringify({
        format_version: '1.2',
        resource_changes: [change('aws_instance.web', { ami: 'ami-1', instance_type: 't3.micro' }), change('module.app[0].aws_instance.inner', { ami: 'ami-1', instance_type: 't3.micro' }), change('module.remote.aws_instance.x', { ami: 'ami-1', instance_type: 't3.micro' })],
        configuration: { root_module: { module_calls: { app: { source: './modules/app', module: {} }, remote: { source: 'terraform-aws-modules/ec2-instance/aws', module: {} } } } },
      }),
    );
    const targets = await readTerraformPlan(file);
    expect(targets.map((t) => t.source)).toEqual([
      { file: path.join(dir(), 'main.tf'), line: 5, address: 'aws_instance.web' },
      { file: path.join(dir(), 'modules', 'app', 'ec2.tf'), line: 2, address: 'module.app[0].aws_instance.inner' },
      // A registry module has no local source: the plan's line.
      { file, address: 'module.remote.aws_instance.x', line: 1 },
    ]);
    // A plan saved elsewhere finds the configuration through --source-dir.
    mkdirSync(path.join(dir(), 'out'), { recursive: true });
    const elsewhere = path.join(dir(), 'out', 'plan.json');
    writeFileSync(elsewhere, readFileSync(file));
    expect((await readTerraformPlan(elsewhere))[0]!.source).toEqual({ file: elsewhere, address: 'aws_instance.web', line: 1 });
    expect((await readTerraformPlan(elsewhere, { sourceDir: dir() }))[0]!.source).toEqual({ file: path.join(dir(), 'main.tf'), line: 5, address: 'aws_instance.web' });
  });
});

describe('references with an instance key', () => {
  /** `aws_launch_template.app` with `count = 2`: [0] arm64, [1] x86_64, both created by the plan. */
  const counted = [0, 1].map((index) =>
    change(
      `aws_launch_template.app[${index}]`,
      { name: `app-${index}`, image_id: index === 0 ? 'ami-04fc404d256fd34a2' : 'ami-0006118602dfc1c09', instance_type: null, update_default_version: null },
      { unknown: { id: true, arn: true, latest_version: true, default_version: true } },
    ),
  );
  const web = (index: number) =>
    change(`aws_instance.web[${index}]`, { instance_type: 'c5.large', launch_template: [{ name: null, version: '$Default' }] }, { unknown: { ami: true, id: true, launch_template: [{ id: true }] } });
  const configured = (id: Json) => [
    { address: 'aws_launch_template.app', mode: 'managed', type: 'aws_launch_template', name: 'app', provider_config_key: 'aws', expressions: { image_id: { references: ['var.amis', 'count.index'] } }, count_expression: { constant_value: 2 }, schema_version: 0 },
    { address: 'aws_instance.web', mode: 'managed', type: 'aws_instance', name: 'web', provider_config_key: 'aws', expressions: { instance_type: { constant_value: 'c5.large' }, launch_template: [{ id }] }, count_expression: { constant_value: 2 }, schema_version: 1 },
  ];

  it('follows a literal index to that instance: every web launches app[0] (the missed failure of the review)', () => {
    const targets = parse(plan([...counted, web(0), web(1)], configured({ references: ['aws_launch_template.app[0].id', 'aws_launch_template.app[0]', 'aws_launch_template.app'] })));
    expect(targets.map((t) => [t.source?.address, t.image, t.type])).toEqual([
      // app[1] is used by no resource: checked on its own, and its type is the launch request's.
      ['aws_launch_template.app[1]', 'ami-0006118602dfc1c09', undefined],
      ['aws_instance.web[0]', 'ami-04fc404d256fd34a2', 'c5.large'],
      ['aws_instance.web[1]', 'ami-04fc404d256fd34a2', 'c5.large'],
    ]);
    expect(targets[1]).not.toHaveProperty('unknown');
    const [quoted] = parse(
      plan(
        [change('aws_launch_template.app["b"]', { name: 'b', image_id: 'ami-b' }, { unknown: { id: true } }), change('aws_launch_template.app["a"]', { name: 'a', image_id: 'ami-a' }, { unknown: { id: true } }), web(0)],
        configured({ references: ['aws_launch_template.app["a"].id', 'aws_launch_template.app["a"]', 'aws_launch_template.app'] }),
      ),
    ).filter((t) => t.source?.address === 'aws_instance.web[0]');
    expect(quoted!.image).toBe('ami-a');
  });

  it('does not pair instances by key when an expression picks the instance (count.index): unverifiable, with the reason', () => {
    const targets = parse(plan([...counted, web(0), web(1)], configured({ references: ['aws_launch_template.app', 'count.index'] })));
    // Both templates are launched from, so neither is checked on its own; each instance names the choice it cannot make.
    expect(targets.map((t) => [t.source?.address, t.image])).toEqual([
      ['aws_instance.web[0]', undefined],
      ['aws_instance.web[1]', undefined],
    ]);
    expect(targets[0]!.unknown).toBe(
      "its launch template is one of the 2 instances of aws_launch_template.app ([0], [1]), picked by an expression of `count.index` that the plan does not record: index it with a literal key, or give the launch template's name",
    );
  });

  it('a literal key the plan does not have is said so', () => {
    const [target] = parse(plan([...counted, web(0)], configured({ references: ['aws_launch_template.app[5].id', 'aws_launch_template.app[5]', 'aws_launch_template.app'] }))).filter(
      (t) => t.source?.address === 'aws_instance.web[0]',
    );
    expect(target!.unknown).toBe('its launch template aws_launch_template.app[5] is not in the plan');
  });
});

describe("each resource's own region (AWS provider 6)", () => {
  const overrides = (type: string) => [{ instance_type: type, instance_requirements: [], launch_template_specification: [], weighted_capacity: null }];
  const west = { region: { constant_value: 'us-west-2' } };
  const byName = [{ launch_template_specification: [{ launch_template_id: null, launch_template_name: 'app', version: '$Latest' }], override: overrides('x8aedz.large') }];
  const lt = (region: string) =>
    change('aws_launch_template.app', { image_id: 'ami-0006118602dfc1c09', name: 'app', instance_type: null, region }, { unknown: { id: true, arn: true, latest_version: true, default_version: true } });
  const resource = (address: string, type: string, expressions: Json) => ({ address, mode: 'managed', type, name: address.split('.')[1], provider_config_key: 'aws', expressions, schema_version: 0 });

  it('launches an Auto Scaling group, launch configuration, fleets and node groups in their own region, not the provider\'s', () => {
    const targets = parse(
      plan(
        [
          lt('us-west-2'),
          change('aws_autoscaling_group.web', { region: 'us-west-2', min_size: 1, max_size: 2, availability_zones: null, mixed_instances_policy: [{ launch_template: byName, instances_distribution: [] }] }, { unknown: { id: true, arn: true } }),
          change('aws_launch_configuration.lc', { region: 'eu-west-1', name: 'lc', image_id: 'ami-1', instance_type: 't3.micro' }),
          change('aws_spot_fleet_request.sf', { region: 'ap-south-1', launch_specification: [{ ami: 'ami-1', instance_type: 't3.large' }], launch_template_config: [] }),
          change('aws_ec2_fleet.f', { region: 'us-west-2', launch_template_config: [{ launch_template_specification: [{ launch_template_id: null, launch_template_name: 'app', version: '$Latest' }], override: [{ instance_type: 'r6i.large' }] }] }),
          change('aws_eks_node_group.ng', { region: 'us-west-2', instance_types: ['m5.large'], launch_template: [{ id: null, name: 'app', version: '$Latest' }] }),
        ],
        [
          resource('aws_launch_template.app', 'aws_launch_template', west),
          resource('aws_autoscaling_group.web', 'aws_autoscaling_group', west),
          resource('aws_launch_configuration.lc', 'aws_launch_configuration', { region: { constant_value: 'eu-west-1' } }),
          resource('aws_spot_fleet_request.sf', 'aws_spot_fleet_request', { region: { constant_value: 'ap-south-1' } }),
          resource('aws_ec2_fleet.f', 'aws_ec2_fleet', west),
          resource('aws_eks_node_group.ng', 'aws_eks_node_group', west),
        ],
      ),
    );
    expect(targets.map((t) => [t.source?.address, t.region, t.image, t.type, t.unknown])).toEqual([
      ['aws_autoscaling_group.web', 'us-west-2', 'ami-0006118602dfc1c09', 'x8aedz.large', undefined],
      ['aws_launch_configuration.lc', 'eu-west-1', 'ami-1', 't3.micro', undefined],
      ['aws_spot_fleet_request.sf', 'ap-south-1', 'ami-1', 't3.large', undefined],
      ['aws_ec2_fleet.f', 'us-west-2', 'ami-0006118602dfc1c09', 'r6i.large', undefined],
      ['aws_eks_node_group.ng', 'us-west-2', 'ami-0006118602dfc1c09', 'm5.large', undefined],
    ]);
  });

  it('a launch template of another region is not launched from: unverifiable, with the reason', () => {
    const targets = parse(
      plan(
        [lt('us-east-1'), change('aws_autoscaling_group.web', { region: 'us-west-2', mixed_instances_policy: [{ launch_template: byName }] }, { unknown: { id: true } })],
        [resource('aws_autoscaling_group.web', 'aws_autoscaling_group', west)],
      ),
    );
    expect(targets).toHaveLength(1);
    expect(targets[0]).toMatchObject({ region: 'us-west-2', type: 'x8aedz.large' });
    expect(targets[0]!.unknown).toBe('aws_launch_template.app is in us-east-1 and aws_autoscaling_group.web launches in us-west-2: a launch finds its launch template by ID or name in its own region, not in us-east-1');
    // So is one through another provider configuration (before the AWS provider 6).
    const [aliased] = parse(
      plan(
        [change('aws_launch_template.app', { image_id: 'ami-1', name: 'app', instance_type: 't3.micro' }, { unknown: { id: true } }), change('aws_instance.web', { ami: null, instance_type: null, launch_template: [{ id: null, name: null, version: '$Latest' }] }, { unknown: { ami: true, instance_type: true } })],
        [
          { ...resource('aws_launch_template.app', 'aws_launch_template', {}), provider_config_key: 'aws.west' },
          resource('aws_instance.web', 'aws_instance', { launch_template: [{ id: templateRef }] }),
        ],
        {
          configuration: {
            provider_config: {
              aws: { name: 'aws', full_name: 'registry.terraform.io/hashicorp/aws', expressions: { region: { constant_value: 'us-east-1' } } },
              'aws.west': { name: 'aws', full_name: 'registry.terraform.io/hashicorp/aws', alias: 'west', expressions: { region: { constant_value: 'us-west-2' } } },
            },
            root_module: {
              resources: [
                { ...resource('aws_launch_template.app', 'aws_launch_template', {}), provider_config_key: 'aws.west' },
                resource('aws_instance.web', 'aws_instance', { launch_template: [{ id: templateRef }] }),
              ],
            },
          },
        },
      ),
    );
    expect(aliased).toMatchObject({ region: 'us-east-1', source: { address: 'aws_instance.web' } });
    expect(aliased!.unknown).toMatch(/^aws_launch_template\.app is in us-west-2 and aws_instance\.web launches in us-east-1/);
  });

  it('picks, of templates of one name in several regions, the one in the launch\'s region', () => {
    const existing = (address: string, region: string, image: string) =>
      change(address, { id: `lt-${region}`, name: 'app', image_id: image, instance_type: 'c5.large', region, latest_version: 1, default_version: 1 }, { actions: ['no-op'] });
    const [target] = parse(
      plan([
        existing('aws_launch_template.east', 'us-east-1', 'ami-east'),
        existing('aws_launch_template.west', 'us-west-2', 'ami-west'),
        change('aws_autoscaling_group.web', { region: 'us-west-2', launch_template: [{ id: null, name: 'app', version: '$Default' }], mixed_instances_policy: [] }),
      ]),
    ).filter((t) => t.source?.address === 'aws_autoscaling_group.web');
    expect(target).toMatchObject({ region: 'us-west-2', image: 'ami-west', type: 'c5.large' });
    expect(target).not.toHaveProperty('unknown');
  });

  it("a region the resource sets that the plan knows only after apply is unknown, never the provider's", () => {
    const [target] = parse(
      plan([change('aws_instance.web', { ami: 'ami-1', instance_type: 't3.micro' }, { unknown: { region: true } })], [resource('aws_instance.web', 'aws_instance', { region: { references: ['data.aws_region.other.region', 'data.aws_region.other'] } })]),
    );
    expect(target).not.toHaveProperty('region');
    expect(target!.unknown).toBe('the region of aws_instance.web is known only after apply');
  });
});

describe('resource kinds in and out', () => {
  it('capacity reservations and dedicated hosts launch nothing: no target', () => {
    const targets = parse(
      plan([
        change('aws_ec2_capacity_reservation.cr', { instance_type: 'c5.large', instance_platform: 'Linux/UNIX', availability_zone: 'us-east-1a', instance_count: 2 }),
        change('aws_ec2_host.h', { instance_type: 'c5.large', availability_zone: 'us-east-1a' }),
      ]),
    );
    expect(targets).toEqual([]);
  });

  it('aws_cloud9_environment_ec2: an SSM path is the image, resolved like every resolve:ssm: image; an alias Cloud9 maps itself is unverifiable', () => {
    const targets = parse(
      plan([
        change('aws_cloud9_environment_ec2.ssm', { instance_type: 't2.micro', image_id: 'resolve:ssm:/aws/service/cloud9/amis/amazonlinux-2023-x86_64', name: 'dev' }),
        change('aws_cloud9_environment_ec2.alias', { instance_type: 't3.small', image_id: 'ubuntu-22.04-x86_64', name: 'dev2' }),
      ]),
    );
    expect(targets.map((t) => [t.source?.address, t.region, t.image, t.type])).toEqual([
      ['aws_cloud9_environment_ec2.ssm', 'us-east-1', 'resolve:ssm:/aws/service/cloud9/amis/amazonlinux-2023-x86_64', 't2.micro'],
      ['aws_cloud9_environment_ec2.alias', 'us-east-1', undefined, 't3.small'],
    ]);
    expect(targets[0]).not.toHaveProperty('unknown');
    expect(targets[1]!.unknown).toBe(
      'Cloud9 maps the AMI alias ubuntu-22.04-x86_64 to an AMI of its own at creation, so the AMI ID is not in the plan: give image_id as resolve:ssm:/aws/service/cloud9/amis/ubuntu-22.04-x86_64 to have it checked',
    );
  });

  it('Batch compute environments on EC2 and EKS Auto Mode clusters are unverifiable; Fargate, unmanaged and plain EKS clusters launch no instance', () => {
    const targets = parse(
      plan([
        change('aws_batch_compute_environment.ec2', { type: 'MANAGED', compute_resources: [{ type: 'EC2', instance_type: ['optimal'], max_vcpus: 16 }] }),
        change('aws_batch_compute_environment.fargate', { type: 'MANAGED', compute_resources: [{ type: 'FARGATE', max_vcpus: 16 }] }),
        change('aws_batch_compute_environment.own', { type: 'UNMANAGED', compute_resources: [] }),
        change('aws_eks_cluster.auto', { name: 'auto', compute_config: [{ enabled: true, node_pools: ['general-purpose'] }] }),
        change('aws_eks_cluster.plain', { name: 'plain', compute_config: [] }),
        change('aws_gamelift_game_server_group.g', { instance_definition: [{ instance_type: 'c5.large' }] }),
      ]),
    );
    expect(targets.map((t) => [t.source?.address, t.unknown])).toEqual([
      ['aws_batch_compute_environment.ec2', 'aws_batch_compute_environment launches EC2 instances, which imglint does not read: check its image and types by hand'],
      ['aws_eks_cluster.auto', 'EKS Auto Mode launches EC2 instances of the types its node pools pick, from AMIs EKS chooses at run time (compute_config.enabled): no image or type is in the plan'],
      ['aws_gamelift_game_server_group.g', 'aws_gamelift_game_server_group launches EC2 instances, which imglint does not read: check its image and types by hand'],
    ]);
  });
});
