import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Report } from '../../src/model/index.js';
import { hasStackTrace, runCliAsync } from '../cli/run-cli.js';
import type { Ec2Endpoint } from './ec2-endpoint.js';

type Json = Record<string, unknown>;

function example(id: string): Json {
  return (JSON.parse(readFileSync(`examples/aws/${id}.json`, 'utf8')) as { Images: Json[] }).Images[0]!;
}

const pv = example('ami-0e972d2890378139a');
const al2023 = example('ami-0006118602dfc1c09');
const al2023Arm = example('ami-04fc404d256fd34a2');
/** Real AMIs with one attribute changed, each under an ID of its own, to reach one rule each. */
const variant = (id: string, change: Json, base: Json = al2023): Json => ({ ...base, ImageId: id, ...change });
const images = [
  pv,
  al2023,
  al2023Arm,
  variant('ami-0e0a0000000000001', { EnaSupport: undefined }),
  variant('ami-0e0a0000000000002', { BootMode: 'uefi' }),
  variant('ami-0e0a0000000000003', { RootDeviceType: 'instance-store' }),
  variant('ami-0e0a0000000000004', { BootMode: 'uefi', TpmSupport: 'v2.0' }),
  variant('ami-0e0a0000000000005', { State: 'pending' }),
  variant('ami-0e0a0000000000006', { DeprecationTime: '2025-06-30T00:00:00.000Z' }),
  variant('ami-0e0a0000000000007', { BootMode: 'uefi-preferred' }),
];

let endpoint: Ec2Endpoint;
const env = () => ({
  AWS_ENDPOINT_URL: endpoint.url,
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  AWS_REGION: 'us-east-1',
  AWS_MAX_ATTEMPTS: '1',
});

async function checkJson(image: string, type: string, ...extra: string[]) {
  const run = await runCliAsync(['check', '--image', image, '--type', type, '--format', 'json', ...extra], env());
  expect(run.stderr).toBe('');
  const report = Report.parse(JSON.parse(run.stdout));
  const errors = report.results[0]!.findings.filter((f) => f.severity === 'error').map((f) => f.ruleId);
  const others = report.results[0]!.findings.filter((f) => f.severity !== 'error').map((f) => f.ruleId);
  return { run, report, errors, others };
}

describe('imglint check against an EC2-compatible endpoint (AWS_ENDPOINT_URL)', () => {
  beforeAll(async () => {
    const { startEc2Endpoint } = await import('./ec2-endpoint.js');
    endpoint = await startEc2Endpoint(images);
  });
  afterAll(() => endpoint?.close());

  const verdicts: [string, string, string, string[], number][] = [
    ['paravirtual AMI on an HVM-only type', 'ami-0e972d2890378139a', 't2.micro', ['virtualization-type'], 1],
    ['paravirtual AMI on a PV-capable type', 'ami-0e972d2890378139a', 'm3.medium', [], 0],
    ['arm64 AMI on an x86_64 type', 'ami-04fc404d256fd34a2', 'c5.large', ['architecture'], 1],
    ['arm64 AMI on Graviton', 'ami-04fc404d256fd34a2', 'm6g.large', [], 0],
    ['AMI without ENA on a Nitro type', 'ami-0e0a0000000000001', 'c5.large', ['ena-support'], 1],
    ['UEFI AMI on a legacy-BIOS type', 'ami-0e0a0000000000002', 't2.micro', ['boot-mode'], 1],
    ['uefi-preferred AMI on a legacy-BIOS type', 'ami-0e0a0000000000007', 't2.micro', [], 0],
    ['instance-store AMI on an EBS-only type', 'ami-0e0a0000000000003', 'c5.large', ['root-device-type'], 1],
    ['NitroTPM AMI on a type without TPM', 'ami-0e0a0000000000004', 't2.micro', ['boot-mode', 'nitro-tpm'], 1],
    ['NitroTPM AMI on a Graviton type: the architecture is reported, not the TPM', 'ami-0e0a0000000000004', 'a1.large', ['architecture'], 1],
    ['NitroTPM AMI on a TPM type', 'ami-0e0a0000000000004', 'c6i.large', [], 0],
    ['pending AMI', 'ami-0e0a0000000000005', 't3.micro', ['image-state'], 1],
  ];

  it.each(verdicts)('%s', async (_name, image, type, expectedErrors, status) => {
    const { run, errors } = await checkJson(image, type);
    expect(errors).toEqual(expectedErrors);
    expect(run.status).toBe(status);
  });

  it('a deprecated AMI is a warning: exit 0, exit 1 with --fail-on warning', async () => {
    const { run, others } = await checkJson('ami-0e0a0000000000006', 't3.micro');
    expect(others).toContain('image-deprecated');
    expect(run.status).toBe(0);
    expect((await checkJson('ami-0e0a0000000000006', 't3.micro', '--fail-on', 'warning')).run.status).toBe(1);
  });

  it('a type the region does not offer fails instance-type-offering', async () => {
    const { run, errors, report } = await checkJson('ami-0006118602dfc1c09', 'c8ib.large', '--region', 'eu-west-1');
    expect(report.results[0]!.target.region).toBe('eu-west-1');
    expect(errors).toEqual(['instance-type-offering']);
    expect(run.status).toBe(1);
  });

  it('a one-pair check makes exactly one call of each kind', async () => {
    const before = new Map(endpoint.calls);
    await checkJson('ami-0e972d2890378139a', 't2.micro');
    const delta = (action: string) => (endpoint.calls.get(action) ?? 0) - (before.get(action) ?? 0);
    expect([delta('DescribeImages'), delta('DescribeInstanceTypes'), delta('DescribeInstanceTypeOfferings')]).toEqual([1, 1, 1]);
  });

  it('many pairs still cost one call of each kind', async () => {
    const before = new Map(endpoint.calls);
    const run = await runCliAsync(
      ['check', '--image', 'ami-0e972d2890378139a', '--image', 'ami-04fc404d256fd34a2', '--type', 't2.micro', '--type', 'm6g.large', '--type', 'c3.large', '--format', 'json'],
      env(),
    );
    expect(Report.parse(JSON.parse(run.stdout)).results).toHaveLength(6);
    const total = [...endpoint.calls].reduce((sum, [action, n]) => sum + n - (before.get(action) ?? 0), 0);
    expect(total).toBe(3);
  });

  it('an unknown AMI exits 2 naming it and the region', async () => {
    const run = await runCliAsync(['check', '--image', 'ami-0123456789abcdef0', '--type', 't2.micro'], env());
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('AMI ami-0123456789abcdef0 not found in us-east-1 (or not visible to this account)');
    expect(hasStackTrace(run.stderr)).toBe(false);
  });

  it('an unknown instance type exits 2 naming it', async () => {
    const run = await runCliAsync(['check', '--image', 'ami-0e972d2890378139a', '--type', 't2.mikro'], env());
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('t2.mikro');
    expect(hasStackTrace(run.stderr)).toBe(false);
  });
});

describe('a plan naming unknown references: one call of each kind, each target its own verdict', () => {
  let endpoint: Ec2Endpoint;
  beforeAll(async () => {
    const { startEc2Endpoint } = await import('./ec2-endpoint.js');
    endpoint = await startEc2Endpoint(images);
  });
  afterAll(() => endpoint?.close());

  it('an invisible AMI is unverifiable, a malformed one and an unknown type are errors, the rest are judged', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const targets: [string, string][] = [
      ['ami-0e972d2890378139a', 't2.micro'], // paravirtual on HVM-only: a finding
      ['ami-0006118602dfc1c09', 't3.micro'], // fine
      ['ami-0123456789abcdef0', 't3.micro'], // not visible to the account
      ['ami-xyz', 't3.micro'], // malformed
      ['ami-0006118602dfc1c09', 't3.mikro'], // unknown type
      ['ami-0e0a0000000000006', 't3.micro'], // deprecated: found by ID, so found by the filter too
    ];
    const dir = mkdtempSync(path.join(tmpdir(), 'imglint-plan-'));
    const manifest = path.join(dir, 'imglint.yaml');
    writeFileSync(manifest, `targets:\n${targets.map(([image, type]) => `  - provider: aws\n    region: us-east-1\n    image: ${image}\n    type: ${type}\n`).join('')}`);
    const run = await runCliAsync(['check', '--manifest', manifest, '--format', 'json'], {
      AWS_ENDPOINT_URL: endpoint.url,
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      AWS_MAX_ATTEMPTS: '1',
    });
    const report = Report.parse(JSON.parse(run.stdout));
    expect(report.results.map((result) => [result.verdict, result.error?.code ?? result.findings.map((f) => f.ruleId).join(',')])).toEqual([
      ['fail', 'virtualization-type'],
      ['pass', ''],
      ['unverifiable', 'unverifiable'],
      ['error', 'MalformedImageId'],
      ['error', 'InstanceTypeNotFound'],
      ['pass', 'image-deprecated'],
    ]);
    expect(report.results[2]!.findings[0]!.message).toBe(
      'Cannot see the image: AMI ami-0123456789abcdef0 not found in us-east-1 (or not visible to this account)',
    );
    expect(report.results[2]!.findings[0]!.fix).toBe('Check the region (--region), and that the AMI is public or shared with this account');
    expect(report.results[4]!.error?.message).toBe('Instance type t3.mikro not found in us-east-1');
    expect([...endpoint.calls].sort()).toEqual([
      ['DescribeImages', 1],
      ['DescribeInstanceTypeOfferings', 1],
      ['DescribeInstanceTypes', 1],
    ]);
    expect(run.status).toBe(2);
  });
});

describe('provider errors exit 3 with a hint', () => {
  it('no credentials', async () => {
    const run = await runCliAsync(['check', '--image', 'ami-0e972d2890378139a', '--type', 't2.micro', '--region', 'us-east-1'], {
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    });
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/credentials/i);
    expect(run.stderr).toMatch(/hint:/);
    expect(hasStackTrace(run.stderr)).toBe(false);
  });

  it('an endpoint that refuses connections', async () => {
    const run = await runCliAsync(['check', '--image', 'ami-0e972d2890378139a', '--type', 't2.micro', '--region', 'us-east-1'], {
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      AWS_MAX_ATTEMPTS: '1',
    });
    expect(run.status).toBe(3);
    expect(hasStackTrace(run.stderr)).toBe(false);
  });
});
