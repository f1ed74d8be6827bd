import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check, ImglintError, InputError, ProviderApiError, Report, rules, UsageError } from '../src/index.js';
import { useTempDir } from './support/temp-dir.js';
import { runCli } from './cli/run-cli.js';

const PV_FILE = 'examples/aws/ami-0e972d2890378139a.json';
const describeImages = JSON.parse(readFileSync('test/fixtures/aws/describe-images.json', 'utf8')) as { Images: Record<string, unknown>[] };
const describeInstanceTypes = JSON.parse(readFileSync('test/fixtures/aws/instance-types.json', 'utf8')) as {
  InstanceTypes: Record<string, unknown>[];
};

/**
 * An EC2 client for `check({ ec2Client })` answering with recorded response shapes, the way a library user
 * injects their own client. It answers by command name, as the SDK's `send` would route it.
 */
function recordedClient(instanceTypes = describeInstanceTypes.InstanceTypes) {
  const calls: string[] = [];
  return {
    calls,
    config: { region: async () => 'us-east-1' },
    async send(command: { constructor: { name: string }; input: { Filters?: { Values?: string[] }[] } }) {
      calls.push(command.constructor.name);
      // imglint looks images and types up by filter (image-id, instance-type): the first filter's values.
      const wanted = command.input.Filters?.[0]?.Values ?? [];
      switch (command.constructor.name) {
        case 'DescribeImagesCommand':
          return { Images: describeImages.Images.filter((image) => wanted.includes(image.ImageId as string)) };
        case 'DescribeInstanceTypesCommand':
          return { InstanceTypes: instanceTypes.filter((type) => wanted.includes(type.InstanceType as string)) };
        default:
          return { InstanceTypeOfferings: [] };
      }
    },
  };
}

describe('library: check()', () => {
  it('returns the report the CLI prints with --format json', async () => {
    const now = new Date();
    const report = await check({ imageFile: PV_FILE, type: 't2.micro', offline: true, region: 'us-east-1', now });
    expect(Report.parse(report)).toEqual(report);
    const cli = JSON.parse(runCli(['check', '--offline', '--region', 'us-east-1', '--image-file', PV_FILE, '--type', 't2.micro', '--format', 'json']).stdout);
    expect(cli).toEqual(report);
  });

  it('throws typed errors instead of printing or exiting', async () => {
    const unknownType = check({ imageFile: PV_FILE, type: 'q9.huge', offline: true, region: 'us-east-1' });
    await expect(unknownType).rejects.toBeInstanceOf(InputError);
    await expect(unknownType).rejects.toMatchObject({ kind: 'input', code: 'InstanceTypeNotFound' });
    await expect(check({ type: 't2.micro', offline: true })).rejects.toSatisfy(ImglintError.is);
  });

  it('uses an injected EC2 client: one call of each kind for many pairs', async () => {
    const client = recordedClient();
    const report = await check({ image: ['ami-0e972d2890378139a', 'ami-0f47531f8c49bd1c6'], type: ['t2.micro', 'm6g.large'], ec2Client: client });
    // The EC2 API for the facts; the embedded catalog for the fix hints' alternatives.
    expect(report.catalogs.map((catalog) => catalog.kind)).toEqual(['live', 'embedded']);
    expect(report.catalogs[0]).toEqual({ kind: 'live', description: 'EC2 API (us-east-1)' });
    expect(report.summary.targets).toBe(4);
    expect(client.calls.sort()).toEqual(['DescribeImagesCommand', 'DescribeInstanceTypeOfferingsCommand', 'DescribeInstanceTypesCommand']);
    // No offering for any type in the recorded answer: every pair is reported, each with the region verdict.
    for (const result of report.results) expect(result.findings.map((f) => f.ruleId)).toContain('instance-type-offering');
  });

  it('checks a generic OpenStack pair offline from flavorFile: every image x every flavor of the files, or the ones named', async () => {
    const files = { provider: 'openstack' as const, offline: true, config: false as const, imageFile: 'test/fixtures/openstack/openstack_image_show_osc6.json' };
    const all = await check({ ...files, flavorFile: 'test/fixtures/openstack/nova_v2.61_flavors_detail_response.json' });
    expect(all.results.map((result) => result.target.type)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    const named = await check({ ...files, flavorFile: ['test/fixtures/openstack/nova_v2.61_flavors_detail_response.json'], flavor: 'm1.tiny.specs' });
    expect(named.results.map((result) => [result.target.type, result.findings.map((f) => f.ruleId)])).toEqual([['m1.tiny.specs', ['mem-page-size']]]);
    await expect(check({ ...files, flavorFile: 'test/fixtures/openstack/openstack_flavor_show_osc6.json', flavor: 'm1.nano' })).rejects.toMatchObject({ code: 'FlavorNotFound' });
  });

  it('the package entry point resolves to the built library', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', "const m = await import('imglint'); console.log(typeof m.check, m.rules.length)"], {
      encoding: 'utf8',
    });
    expect(out.trim()).toBe(`function ${rules.length}`);
  });
});

describe('property: malformed instance type documents from EC2', () => {
  const real = describeInstanceTypes.InstanceTypes.find((type) => type.InstanceType === 'c5.large')!;
  /** A real InstanceTypeInfo with one top-level field replaced by an arbitrary JSON value, or removed. */
  const mutated = fc
    .tuple(fc.constantFrom(...Object.keys(real)), fc.option(fc.jsonValue(), { nil: undefined }))
    .map(([key, value]) => ({ ...real, [key]: value }));

  it('always give facts or a ProviderApiError naming the operation, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(mutated, async (document) => {
        try {
          const report = await check({ image: 'ami-0e972d2890378139a', type: 'c5.large', ec2Client: recordedClient([document]) });
          expect(report.results).toHaveLength(1);
        } catch (error) {
          if (error instanceof InputError) {
            // A mutated InstanceType name no longer matches what was asked: reported as not found, by name.
            expect(error.message).toContain('c5.large');
            return;
          }
          expect(error).toBeInstanceOf(ProviderApiError);
          expect((error as ProviderApiError).message).toContain('DescribeInstanceTypes');
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('library: check() takes what --availability-zone and --timeout give the CLI', () => {
  const AL2023 = 'examples/aws/ami-0006118602dfc1c09.json';

  it('availabilityZone: the report `--availability-zone` gives, zones judged', async () => {
    const now = new Date();
    const report = await check({ imageFile: AL2023, type: ['t3.micro', 'p5.48xlarge'], region: 'us-east-1', availabilityZone: ['use1-az3'], offline: true, now, config: false });
    expect(report.results.map((result) => [result.target.availabilityZones, result.verdict])).toEqual([
      [['use1-az3'], 'fail'],
      [['use1-az3'], 'pass'],
    ]);
    expect(report.results[0]!.findings.map((finding) => finding.ruleId)).toEqual(['instance-type-offering']);
    const cli = runCli(['check', '--offline', '--image-file', AL2023, '--type', 't3.micro', '--type', 'p5.48xlarge', '--region', 'us-east-1', '--availability-zone', 'use1-az3', '--format', 'json']);
    expect(JSON.parse(cli.stdout)).toEqual(report);
  });

  it('timeoutMs: a client that never answers ends in a ProviderApiError Timeout, its request aborted', async () => {
    let aborted = false;
    const silent = {
      config: { region: async () => 'us-east-1' },
      send: (_command: unknown, options?: { abortSignal?: unknown }) =>
        new Promise((_resolve, reject) => {
          const signal = options?.abortSignal as AbortSignal;
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(signal.reason);
          });
        }),
    };
    const error = await check({ image: 'ami-0e972d2890378139a', type: 't2.micro', ec2Client: silent, timeoutMs: 50, config: false }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderApiError);
    expect(error).toMatchObject({ code: 'Timeout' });
    expect(aborted).toBe(true);
  });
});

describe('library: check() validates its options at the API boundary', () => {
  const cases: [string, unknown, string][] = [
    ['no argument', undefined, 'check() takes an options object (got nothing)'],
    ['null', null, 'check() takes an options object (got null)'],
    ['a number image', { image: 42 }, 'check(): options.image: expected an image ID or name, or a list of them (got 42)'],
    ['an object type', { type: { a: 1 } }, 'check(): options.type: expected an instance type or flavor, or a list of them (got an object)'],
    ['a number imageFile', { imageFile: 7 }, 'check(): options.imageFile: expected a file path, or a list of them (got 7)'],
    ['a number flavorFile', { flavorFile: 7 }, 'check(): options.flavorFile: expected a file path, or a list of them (got 7)'],
    ['a null in type', { type: [null] }, 'check(): options.type: expected an instance type or flavor, or a list of them (got an array)'],
    ['an unknown failOn', { image: 'ami-1', type: 't2.micro', failOn: 'sometimes' }, `check(): options.failOn: expected 'error', 'warning', 'info' or 'never' (got "sometimes")`],
    ['a NaN volume size', { image: 'x', type: 'y', provider: 'openstack', launch: { volumeSizeGiB: Number.NaN } }, 'check(): options.launch.volumeSizeGiB: expected number (got NaN)'],
    ['an unknown provider', { provider: 'gcp', image: 'x', type: 'y' }, `check(): options.provider: expected 'aws', 'rackspace' or 'openstack' (got "gcp")`],
    ['a misspelt option', { imagefile: PV_FILE, type: 't2.micro' }, 'check(): unknown option imagefile (did you mean imageFile?)'],
    ['a zero timeoutMs', { image: 'ami-1', type: 't2.micro', timeoutMs: 0 }, 'check(): options.timeoutMs: expected a whole number of milliseconds above 0 (got 0)'],
    ['a number availabilityZone', { image: 'ami-1', type: 't2.micro', availabilityZone: 1 }, 'check(): options.availabilityZone: expected a zone name or ID, or a list of them (got 1)'],
    [
      'availabilityZone on OpenStack',
      { provider: 'rackspace', image: 'x', type: 'y', availabilityZone: 'nova' },
      'check(): options.availabilityZone applies to AWS targets (provider is rackspace)',
    ],
  ];
  it.each(cases)('%s is a UsageError naming the option', async (_, options, message) => {
    const error = await (check as (options: unknown) => Promise<unknown>)(options).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(message);
  });

  it("passes an error from the caller's own getter through as it is (documented)", async () => {
    const options = {
      get image(): string {
        throw new RangeError('from the getter');
      },
    };
    await expect(check(options as never)).rejects.toThrow(new RangeError('from the getter'));
  });
});

describe('library: check() applies .imglint.yaml like the CLI', () => {
  const dir = useTempDir('imglint-library-config-');
  const config = ['failOn: warning', 'ignore:', '  - rule: virtualization-type', '    type: "t2.*"', '    reason: legacy fleet'].join('\n');

  it('found from cwd up to the repository root', async () => {
    mkdirSync(`${dir()}/.git`, { recursive: true });
    mkdirSync(`${dir()}/infra`, { recursive: true });
    writeFileSync(`${dir()}/.imglint.yaml`, config);
    const report = await check({ imageFile: `${process.cwd()}/${PV_FILE}`, type: 't2.micro', offline: true, region: 'us-east-1', cwd: `${dir()}/infra` });
    expect(report.failOn).toBe('warning');
    expect(report.results[0]!.findings[0]!.suppressed).toEqual({ reason: 'legacy fleet' });
    expect(report.results[0]!.verdict).toBe('pass');
  });

  it('given as a path or as an object (validated like the file), or turned off with false', async () => {
    writeFileSync(`${dir()}/strict.yaml`, config);
    const base = { imageFile: PV_FILE, type: 't2.micro', offline: true, region: 'us-east-1' } as const;
    expect((await check({ ...base, config: `${dir()}/strict.yaml` })).summary.suppressed).toBe(1);
    expect((await check({ ...base, config: { rules: { 'virtualization-type': 'off' } } })).summary.errors).toBe(0);
    expect((await check({ ...base, config: false })).summary.errors).toBe(1);
    await expect(check({ ...base, config: { failOn: 'warn' } as never })).rejects.toThrow(
      'options.config: failOn: "warn" is not one of error|warning|info|never (did you mean warning?)',
    );
  });
});
