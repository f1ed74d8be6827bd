/**
 * Live checks pinned to availability zones, against the local EC2 endpoint (moto's real zone offerings): one
 * DescribeInstanceTypeOfferings per location kind answers for the zones and the region, the cache keeps the answers,
 * and region names are validated before any call.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Report } from '../../src/model/index.js';
import { runCliAsync } from '../cli/run-cli.js';
import { readDataJson } from '../support/data.js';
import { endpointEnv, startEc2Endpoint, type Ec2Endpoint } from './ec2-endpoint.js';

const al2023 = (JSON.parse(readFileSync('examples/aws/ami-0006118602dfc1c09.json', 'utf8')) as { Images: Record<string, unknown>[] }).Images[0]!;

/** Zones of us-east-1 offering `type`, by LocationType, from moto's data. */
const zonesOffering = (kind: string, type: string) =>
  readDataJson<{ InstanceType: string; Location: string }[]>(`aws/instance_type_offerings/${kind}/us-east-1.json`)
    .filter((offering) => offering.InstanceType === type)
    .map((offering) => offering.Location)
    .sort();

let endpoint: Ec2Endpoint;
let cacheDir: string;
const env = () => ({ ...endpointEnv(endpoint), IMGLINT_CACHE_DIR: cacheDir });

beforeAll(async () => {
  endpoint = await startEc2Endpoint([al2023]);
});
afterAll(() => endpoint.close());
beforeEach(() => {
  endpoint.calls.clear();
  endpoint.requests.length = 0;
  cacheDir = mkdtempSync(path.join(tmpdir(), 'imglint-zones-cache-'));
  return () => rmSync(cacheDir, { recursive: true, force: true });
});

const check = async (...args: string[]) => {
  const run = await runCliAsync(['check', '--image', 'ami-0006118602dfc1c09', '--format', 'json', ...args], env());
  return { ...run, report: run.stdout ? Report.parse(JSON.parse(run.stdout)) : undefined };
};

describe('imglint check --availability-zone, live', () => {
  it('zone names: one DescribeInstanceTypeOfferings by availability-zone answers for zones and region; the cache keeps it', async () => {
    // us-east-1e offers 58 types in moto's account: t2.micro, not m5.large.
    expect(zonesOffering('availability-zone', 't2.micro')).toContain('us-east-1e');
    expect(zonesOffering('availability-zone', 'm5.large')).not.toContain('us-east-1e');
    const first = await check('--type', 't2.micro', '--type', 'm5.large', '--availability-zone', 'us-east-1e');
    expect(first.status).toBe(1);
    expect(Object.fromEntries(endpoint.calls)).toEqual({ DescribeImages: 1, DescribeInstanceTypes: 1, DescribeInstanceTypeOfferings: 1 });
    const offerings = endpoint.requests.find((form) => form.get('Action') === 'DescribeInstanceTypeOfferings')!;
    expect(offerings.get('LocationType')).toBe('availability-zone');
    expect([offerings.get('Filter.1.Name'), offerings.get('Filter.1.Value.1'), offerings.get('Filter.1.Value.2')]).toEqual(['instance-type', 't2.micro', 'm5.large']);

    const [t2, m5] = first.report!.results;
    expect(t2!.verdict).toBe('pass');
    expect(m5!.verdict).toBe('fail');
    const finding = m5!.findings.find((f) => f.ruleId === 'instance-type-offering')!;
    expect(finding.providerError).toEqual({
      code: 'Unsupported',
      message: `Your requested instance type (m5.large) is not supported in your requested Availability Zone (us-east-1e). Please retry your request by not specifying an Availability Zone or choosing ${zonesOffering('availability-zone', 'm5.large').join(', ')}.`,
    });
    expect(first.report!.notices).toEqual([]);

    endpoint.calls.clear();
    const again = await check('--type', 'm5.large', '--type', 't2.micro', '--availability-zone', 'us-east-1e');
    expect(Object.fromEntries(endpoint.calls)).toEqual({ DescribeImages: 1 });
    expect(again.report!.results.map((result) => result.verdict)).toEqual(['fail', 'pass']);
    expect(again.report!.catalogs[0]).toMatchObject({ kind: 'cache' });
  });

  it('zone IDs and names together: one call per location kind; a group with one zone lacking the type gets a warning', async () => {
    const lacking = 'use1-az3';
    const offering = zonesOffering('availability-zone-id', 'm5.large')[0]!;
    const run = await check('--type', 'm5.large', '--availability-zone', lacking, '--availability-zone', offering, '--availability-zone', 'us-east-1a');
    expect(run.status).toBe(0);
    expect(endpoint.calls.get('DescribeInstanceTypeOfferings')).toBe(2);
    expect(endpoint.requests.flatMap((form) => (form.get('Action') === 'DescribeInstanceTypeOfferings' ? [form.get('LocationType')] : [])).sort()).toEqual([
      'availability-zone',
      'availability-zone-id',
    ]);
    const finding = run.report!.results[0]!.findings.find((f) => f.ruleId === 'instance-type-offering')!;
    expect(finding.severity).toBe('warning');
    expect(finding.message).toBe(`m5.large is not offered in availability zone ${lacking} of the 3 the launch spans; launches there fail, the other zones offer it`);
  });

  it('without zones, the offerings call is by region, as before', async () => {
    const plain = await check('--type', 'm5.large');
    expect(plain.status).toBe(0);
    const offerings = endpoint.requests.find((form) => form.get('Action') === 'DescribeInstanceTypeOfferings')!;
    expect(offerings.get('LocationType')).toBe('region');
  });
});

describe('regions, live', () => {
  it('a misspelt region exits 2 with a suggestion before any call', async () => {
    const run = await check('--type', 't2.micro', '--region', 'us-est-1');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^imglint: Unknown AWS region "us-est-1"/);
    expect(run.stderr).toContain('Did you mean us-east-1');
    expect(endpoint.calls.size).toBe(0);
  });

  it('without --region: AWS_DEFAULT_REGION when AWS_REGION is unset, as the AWS CLI takes it (the SDK alone would not)', async () => {
    const run = await runCliAsync(['check', '--image', 'ami-0006118602dfc1c09', '--type', 't2.micro', '--format', 'json'], {
      ...env(),
      AWS_REGION: '',
      AWS_DEFAULT_REGION: 'eu-west-1',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = Report.parse(JSON.parse(run.stdout));
    expect(report.results[0]!.target.region).toBe('eu-west-1');
    expect(report.catalogs[0]!.description).toBe('EC2 API (eu-west-1)');
  });

  it('a region the embedded data predates is asked live, without a notice', async () => {
    const run = await check('--type', 't2.micro', '--region', 'ap-southeast-7');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.report!.results[0]!.verdict).toBe('pass');
    expect(run.report!.notices).toEqual([]);
    expect(endpoint.calls.get('DescribeInstanceTypeOfferings')).toBe(1);
  });
});
