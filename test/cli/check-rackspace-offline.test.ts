import { describe, expect, it } from 'vitest';
import { Report } from '../../src/model/index.js';
import { hasStackTrace, runCli } from './run-cli.js';

/**
 * `imglint check --provider rackspace --offline`: the embedded IAD flavor catalog and the real images of
 * examples/rackspace/, through the built CLI. No network: OS_AUTH_URL points at a closed port, so an accidental live
 * call would fail the run.
 */

const PV = 'examples/rackspace/ubuntu-14.04-pv.json';
const PVHVM = 'examples/rackspace/centos-7-pvhvm.json';
const WINDOWS = 'examples/rackspace/windows-server-2012.json';
const ONMETAL = 'examples/rackspace/onmetal-ubuntu-14.04.json';
const SNAPSHOT = 'examples/rackspace/snapshot-ubuntu-13.10.json';

const IDS = {
  [PV]: 'fed66ee7-fb4b-4464-b8c6-609c1fde218f',
  [PVHVM]: 'f8ae535e-67c0-41a5-bf55-b06d0ee40cc2',
  [WINDOWS]: '78cc6fbe-ad59-4324-8712-5dd191cb6a5c',
  [ONMETAL]: 'fb508530-2500-4a30-a947-038491df2bb5',
  [SNAPSHOT]: '474a827e-e28e-4764-9852-70cec4c23326',
} as const;

/** No OpenStack settings from the machine; a dead identity endpoint so that no run can go online unnoticed. */
const ENV: Record<string, string> = {
  OS_AUTH_URL: 'http://127.0.0.1:9/v2.0',
  RAX_USERNAME: 'offline-user',
  RAX_API_KEY: 'offline-key-0123456789abcdef',
  RAX_REGION: '',
  OS_REGION_NAME: '',
  OS_CLOUD: '',
};

const offline = (args: readonly string[], env: Record<string, string> = {}) =>
  runCli(['check', '--provider', 'rackspace', '--offline', ...args], { ...ENV, ...env });

function checkJson(file: keyof typeof IDS, flavor: string, ...extra: string[]) {
  const run = offline(['--region', 'IAD', '--image-file', file, '--flavor', flavor, '--format', 'json', ...extra]);
  expect(run.stderr).toBe('');
  const report = Report.parse(JSON.parse(run.stdout));
  expect(report.catalogs).toEqual([expect.objectContaining({ kind: 'embedded', dataAsOf: '2015-08-27' })]);
  const result = report.results[0]!;
  expect(result.target).toMatchObject({ provider: 'rackspace', region: 'IAD', image: IDS[file], type: flavor });
  return { run, result, rules: result.findings.map((finding) => finding.ruleId).sort() };
}

describe('imglint check --provider rackspace --offline (embedded IAD flavors, examples/rackspace images)', () => {
  const BFV = (size: string) => ['--boot-from-volume', '--volume-size', size];
  const cases: [string, keyof typeof IDS, string, string[], string[], number][] = [
    ['PV on general1-1 with AUTO (auto_disk_config True)', PV, 'general1-1', ['--disk-config', 'AUTO'], [], 0],
    ['PV on io1-15', PV, 'io1-15', [], ['flavor-class', 'virtualization-type'], 1],
    ['PV on compute1-4, image boot', PV, 'compute1-4', [], ['flavor-class', 'virtualization-type', 'zero-disk-flavor'], 1],
    ['PV on memory1-30, 40 GiB volume', PV, 'memory1-30', BFV('40'), ['flavor-class', 'virtualization-type'], 1],
    ['PV on onmetal-compute1', PV, 'onmetal-compute1', [], ['flavor-class'], 1],
    ['PVHVM on general1-1 with AUTO', PVHVM, 'general1-1', ['--disk-config', 'AUTO'], ['auto-disk-config'], 1],
    ['PVHVM on general1-1 with MANUAL', PVHVM, 'general1-1', ['--disk-config', 'MANUAL'], [], 0],
    ['PVHVM on io1-15', PVHVM, 'io1-15', [], [], 0],
    ['PVHVM on compute1-4, image boot', PVHVM, 'compute1-4', [], ['zero-disk-flavor'], 1],
    ['PVHVM on compute1-4, image boot as admin', PVHVM, 'compute1-4', ['--admin'], [], 0],
    ['PVHVM on compute1-4, 50 GiB volume', PVHVM, 'compute1-4', BFV('50'), [], 0],
    ['PVHVM on standard1 (flavor 2), volume boot', PVHVM, '2', BFV('50'), ['zero-disk-flavor'], 1],
    ['Windows on general1-1 (20 GiB)', WINDOWS, 'general1-1', [], ['min-disk'], 1],
    ['Windows on "2 GB General Purpose v1" (by name)', WINDOWS, '2 GB General Purpose v1', [], [], 0],
    ['Windows on memory1-15, 30 GiB volume', WINDOWS, 'memory1-15', BFV('30'), ['volume-size'], 1],
    ['OnMetal on onmetal-compute1', ONMETAL, 'onmetal-compute1', [], [], 0],
    ['OnMetal on general1-1', ONMETAL, 'general1-1', [], ['flavor-class'], 1],
    ['snapshot (no flavor_classes, no vm_mode) on general1-1', SNAPSHOT, 'general1-1', [], [], 0],
    ['snapshot (no flavor_classes, no vm_mode) on onmetal-compute1', SNAPSHOT, 'onmetal-compute1', [], ['flavor-class'], 1],
  ];

  it.each(cases)('%s', (_name, file, flavor, extra, expected, status) => {
    const { run, rules } = checkJson(file, flavor, ...extra);
    expect(rules).toEqual(expected);
    expect(run.status).toBe(status);
  });

  it('reports the provider texts Rackspace and Nova answer', () => {
    const auto = checkJson(PVHVM, 'general1-1', '--disk-config', 'AUTO').result.findings[0]!;
    expect(auto.providerError).toEqual({ code: '400', message: `Requested image ${IDS[PVHVM]} has automatic disk resize disabled.` });

    const pv = checkJson(PV, 'io1-15').result.findings.find((finding) => finding.ruleId === 'flavor-class')!;
    expect(pv.providerError).toMatchObject({ code: '400', message: 'Image cannot be built with provided flavor' });

    const zero = checkJson(PVHVM, 'compute1-4').result.findings[0]!;
    expect(zero.providerError).toEqual({ code: '403', message: 'Only volume-backed servers are allowed for flavors with zero disk.' });

    const volume = checkJson(WINDOWS, 'memory1-15', ...BFV('30')).result.findings[0]!;
    expect(volume.providerError?.message).toBe(
      'Volume is smaller than the minimum size specified in image metadata. Volume size is 32212254720 bytes, minimum size is 42949672960 bytes.',
    );
  });

  it('marks the snapshot verdict as inferred from vm_mode defaults (its base image is not in the file)', () => {
    const finding = checkJson(SNAPSHOT, 'onmetal-compute1').result.findings[0]!;
    expect(finding.message).toBe(
      `Image ${IDS[SNAPSHOT]} has no flavor_classes (a snapshot image); inferred from vm_mode (none): "*,!onmetal", which excludes class onmetal; flavor onmetal-compute1 is class onmetal (verdict inferred)`,
    );
  });

  it('suggests OnMetal flavors for the OnMetal image, in text output', () => {
    const run = offline(['--region', 'IAD', '--image-file', ONMETAL, '--flavor', 'general1-1']);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`FAIL ${IDS[ONMETAL]} (OnMetal - Ubuntu 14.04 LTS (Trusty Tahr)) on general1-1 in IAD`);
    expect(run.stdout).toContain('launch error: 400: Image cannot be built with provided flavor');
    expect(run.stdout).toMatch(/flavors that can run it: onmetal-compute1\b.*, onmetal-io1\b.*, onmetal-memory1\b/);
    expect(run.stderr).toBe('');
  });

  it('takes the region from RAX_REGION, case-insensitively', () => {
    const run = offline(['--image-file', PVHVM, '--flavor', 'general1-1', '--format', 'json'], { RAX_REGION: 'iad' });
    expect(run.status).toBe(0);
    expect(Report.parse(JSON.parse(run.stdout)).results[0]!.target.region).toBe('IAD');
  });
});

describe('imglint check --provider rackspace / openstack: usage errors exit 2', () => {
  it('--offline without a region', () => {
    const run = offline(['--image-file', PVHVM, '--flavor', 'general1-1']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--offline needs a region for Rackspace');
    expect(run.stderr).toContain('hint: pass --region IAD');
    expect(hasStackTrace(run.stderr)).toBe(false);
  });

  it('--region DFW offline lists the regions the catalog has', () => {
    const run = offline(['--region', 'DFW', '--image-file', PVHVM, '--flavor', 'general1-1']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('The embedded Rackspace catalog has no flavors for region DFW: it holds IAD only');
    expect(run.stderr).toContain('hint: Pass --region IAD with --offline');
  });

  it('an unknown flavor, with a suggestion', () => {
    const run = offline(['--region', 'IAD', '--image-file', PVHVM, '--flavor', 'general1-3']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Unknown flavor general1-3');
    expect(run.stderr).toMatch(/hint: Did you mean general1-\d/);
    expect(run.stdout).toBe('');
  });

  it('an image reference offline (no --image-file to match it)', () => {
    const run = offline(['--region', 'IAD', '--image', 'CentOS 7 (PVHVM)', '--flavor', 'general1-1']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Offline mode cannot look up CentOS 7 (PVHVM)');
  });

  it('--disk-config with --provider aws', () => {
    const run = runCli(['check', '--offline', '--image-file', 'examples/aws/ami-0006118602dfc1c09.json', '--type', 't3.micro', '--disk-config', 'AUTO'], ENV);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--disk-config, --boot-from-volume, --volume-size and --admin apply to OpenStack flavors');
    expect(run.stderr).toContain('hint: add --provider rackspace or --provider openstack');
  });

  it('--volume-size without --boot-from-volume', () => {
    const run = offline(['--region', 'IAD', '--image-file', WINDOWS, '--flavor', 'memory1-15', '--volume-size', '40']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--volume-size needs --boot-from-volume');
    expect(run.stdout).toBe('');
  });

  it('--volume-size that is not a whole number of GiB', () => {
    const run = offline(['--region', 'IAD', '--image-file', WINDOWS, '--flavor', 'memory1-15', '--boot-from-volume', '--volume-size', '0']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('expected a whole number of GiB');
  });

  it('--provider openstack --offline, with its hint', () => {
    const run = runCli(['check', '--provider', 'openstack', '--offline', '--region', 'RegionOne', '--image-file', PVHVM, '--flavor', 'm1.small'], ENV);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('imglint has no embedded catalog for generic OpenStack clouds');
    expect(run.stderr).toContain(
      'hint: pass the flavors with --flavor-file (`openstack flavor show -f json <flavor>` output), run without --offline (OS_AUTH_URL, OS_CLOUD or clouds.yaml), or use --provider rackspace --offline',
    );
    expect(hasStackTrace(run.stderr)).toBe(false);
  });
});
