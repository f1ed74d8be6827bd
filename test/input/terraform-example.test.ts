/**
 * examples/terraform/every-launch: one plan with every kind of launching resource imglint reads, its .tf
 * configuration beside it. Counts of targets per kind, findings on the resource blocks' lines, offline verdicts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTerraformPlan } from '../../src/input/terraform/plan.js';
import { Report } from '../../src/model/index.js';
import { runCliAsync } from '../cli/run-cli.js';
import { readDataJson } from '../support/data.js';
import type { Ec2Endpoint } from '../e2e/ec2-endpoint.js';
import { resourceChange } from './plan-json.js';
import { localAwsEnv, startSsmEndpoint, type SsmEndpoint } from './ssm-endpoint.js';

const PLAN = 'examples/terraform/every-launch/plan.json';
const TF = 'examples/terraform/every-launch/main.tf';
const imageFiles = ['ami-0006118602dfc1c09', 'ami-04fc404d256fd34a2', 'ami-0e972d2890378139a', 'ami-05448533fbe614dce'].flatMap((id) => ['--image-file', `examples/aws/${id}.json`]);

describe(PLAN, () => {
  it('gives every launch of every kind its own target (count in = count out), templates through their users', async () => {
    const targets = await readTerraformPlan(PLAN);
    const perKind: Record<string, number> = {};
    for (const target of targets) {
      const kind = target.source!.address!.split('.')[0]!;
      perKind[kind] = (perKind[kind] ?? 0) + 1;
    }
    expect(perKind).toEqual({ aws_autoscaling_group: 5, aws_spot_fleet_request: 2, aws_ec2_fleet: 2, aws_eks_node_group: 1, aws_instance: 1, aws_cloud9_environment_ec2: 1 });
    // The provider's region is var.region: the plan's variables give us-east-1.
    expect(targets.every((target) => target.region === 'us-east-1')).toBe(true);
  });

  it('points every target at its resource block in main.tf', async () => {
    const lines = readFileSync(TF, 'utf8').split('\n');
    for (const target of await readTerraformPlan(PLAN)) {
      const [type, name] = target.source!.address!.split('.');
      expect(target.source!.file).toBe(TF);
      expect(lines[target.source!.line! - 1]).toBe(`resource "${type}" "${name}" {`);
    }
  });

  it('offline with the image files: the arm64 template on an x86_64 spot override fails, EKS and the SSM image of Cloud9 are unverifiable', async () => {
    const run = await runCliAsync(['check', '--offline', '--plan', PLAN, ...imageFiles, '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const report = Report.parse(JSON.parse(run.stdout));
    expect(report.summary).toMatchObject({ targets: 12, passed: 9, failed: 1, unverifiable: 2 });
    const failed = report.results.find((result) => result.verdict === 'fail')!;
    expect(failed).toMatchObject({ target: { image: 'ami-04fc404d256fd34a2', type: 'c5.xlarge', source: { address: 'aws_spot_fleet_request.batch' } } });
    expect(failed.findings[0]!.ruleId).toBe('architecture');
  });
});

describe(`${PLAN} live, against local EC2 and SSM endpoints`, () => {
  let ec2: Ec2Endpoint;
  let ssm: SsmEndpoint;
  beforeAll(async () => {
    const images = ['ami-0006118602dfc1c09', 'ami-04fc404d256fd34a2', 'ami-0e972d2890378139a', 'ami-05448533fbe614dce'].map(
      (id) => (JSON.parse(readFileSync(`examples/aws/${id}.json`, 'utf8')) as { Images: Record<string, unknown>[] }).Images[0]!,
    );
    const { startEc2Endpoint } = await import('../e2e/ec2-endpoint.js');
    ec2 = await startEc2Endpoint(images);
    ssm = await startSsmEndpoint({
      '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-arm64': 'ami-04fc404d256fd34a2',
      '/aws/service/cloud9/amis/amazonlinux-2023-x86_64': 'ami-0006118602dfc1c09',
    });
  });
  afterAll(async () => {
    await ec2?.close();
    await ssm?.close();
  });
  const env = () => localAwsEnv(ec2.url, ssm.url);

  it("gives the offline verdicts in one call of each kind, the region's listing once for the instance requirements, and the SSM image of Cloud9 resolved", async () => {
    const cache = { IMGLINT_CACHE_DIR: mkdtempSync(path.join(tmpdir(), 'imglint-cache-')) };
    const run = await runCliAsync(['check', '--plan', PLAN, '--format', 'json'], { ...env(), ...cache });
    expect(run.stderr).toBe('');
    const report = Report.parse(JSON.parse(run.stdout));
    expect(report.summary).toMatchObject({ targets: 12, passed: 10, failed: 1, unverifiable: 1 });
    expect(report.results.find((result) => result.target.source?.address === 'aws_cloud9_environment_ec2.dev')).toMatchObject({ verdict: 'pass', target: { image: 'ami-0006118602dfc1c09', type: 't3.small' } });
    expect(ssm.calls).toEqual([['/aws/service/cloud9/amis/amazonlinux-2023-x86_64']]);
    // The requirements are judged against the region's real types: every page of both listings (100 types, 1,000
    // offerings a page), cached for 24 hours like imglint matrix's.
    const pages = (items: number, perPage: number) => Math.ceil(items / perPage);
    const types = Object.keys(readDataJson<Record<string, unknown>>('aws/instance_types.json')).length;
    const offerings = readDataJson<unknown[]>('aws/instance_type_offerings/region/us-east-1.json').length;
    expect(Object.fromEntries(ec2.calls)).toEqual({
      DescribeImages: 1,
      DescribeInstanceTypes: 1 + pages(types, 100),
      DescribeInstanceTypeOfferings: 1 + pages(offerings, 1000),
    });
    ec2.calls.clear();
    const again = await runCliAsync(['check', '--plan', PLAN, '--format', 'json'], { ...env(), ...cache });
    expect(Report.parse(JSON.parse(again.stdout)).summary).toEqual(report.summary);
    expect(Object.fromEntries(ec2.calls)).toEqual({ DescribeImages: 1 });
  });

  it("resolves a launch template's resolve:ssm: image_id with SSM", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'imglint-ssm-'));
    try {
      const plan = path.join(dir, 'plan.json');
      writeFileSync(
        plan,
        JSON.stringify({
          format_version: '1.2',
          resource_changes: [resourceChange('aws_launch_template.arm', { image_id: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-arm64', instance_type: 'c5.large' })],
          configuration: { provider_config: { aws: { name: 'aws', expressions: { region: { constant_value: 'us-east-1' } } } } },
        }),
      );
      const run = await runCliAsync(['check', '--plan', plan, '--format', 'json'], env());
      const [result] = Report.parse(JSON.parse(run.stdout)).results;
      expect(result).toMatchObject({ verdict: 'fail', target: { image: 'ami-04fc404d256fd34a2', type: 'c5.large' } });
      expect(result!.findings[0]!.ruleId).toBe('architecture');
      expect(ssm.calls.at(-1)).toEqual(['/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-arm64']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
