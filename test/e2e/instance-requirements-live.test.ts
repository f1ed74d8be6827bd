/**
 * Instance requirements on a live run are judged against the region's real types: the paged DescribeInstanceTypes
 * and DescribeInstanceTypeOfferings listing (the one `imglint matrix` uses), cached 24 hours, never the embedded
 * catalog. The built CLI against the local EC2 endpoint (real query protocol, moto's data, EC2's paging), with the
 * calls it gets counted.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Report } from '../../src/model/index.js';
import { readDataJson } from '../support/data.js';
import { useTempDir } from '../support/temp-dir.js';
import { hasStackTrace, runCliAsync } from '../cli/run-cli.js';
import { endpointEnv, startEc2Endpoint, type Ec2Endpoint } from './ec2-endpoint.js';

type Json = Record<string, unknown>;
const al2023 = (JSON.parse(readFileSync('examples/aws/ami-0006118602dfc1c09.json', 'utf8')) as { Images: Json[] }).Images[0]!;
/** The real Amazon Linux 2023 AMI without ENA: every Nitro type refuses it (ena-support), the Xen ones run it. */
const NO_ENA = 'ami-0e0a0000000000001';
const noEna: Json = { ...al2023, ImageId: NO_ENA, EnaSupport: undefined };

/** Two Auto Scaling groups picking 2-4 vCPUs and 4-16 GiB by attributes, from launch templates with that AMI. */
const TEMPLATE = `Resources:
  WebTemplate:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        ImageId: ${NO_ENA}
  WebGroup:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: "1"
      MaxSize: "4"
      MixedInstancesPolicy:
        LaunchTemplate:
          LaunchTemplateSpecification:
            LaunchTemplateId: !Ref WebTemplate
            Version: !GetAtt WebTemplate.LatestVersionNumber
          Overrides:
            - InstanceRequirements:
                VCpuCount: { Min: 2, Max: 4 }
                MemoryMiB: { Min: 4096, Max: 16384 }
  BatchGroup:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: "0"
      MaxSize: "8"
      MixedInstancesPolicy:
        LaunchTemplate:
          LaunchTemplateSpecification:
            LaunchTemplateId: !Ref WebTemplate
            Version: !GetAtt WebTemplate.LatestVersionNumber
          Overrides:
            - InstanceRequirements:
                VCpuCount: { Min: 4, Max: 4 }
                MemoryMiB: { Min: 8192, Max: 8192 }
`;

const dir = useTempDir('imglint-requirements-live-');
let endpoint: Ec2Endpoint | undefined;
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
});

async function run(cacheDir: string) {
  const template = path.join(dir(), 'template.yaml');
  writeFileSync(template, TEMPLATE);
  const result = await runCliAsync(['check', '--cloudformation', template, '--region', 'us-east-1', '--format', 'json'], {
    ...endpointEnv(endpoint!),
    IMGLINT_CACHE_DIR: cacheDir,
  });
  expect(hasStackTrace(result.stderr)).toBe(false);
  return { result, report: Report.parse(JSON.parse(result.stdout)) };
}

const calls = () => Object.fromEntries([...endpoint!.calls].sort());

describe('instance requirements, live: the region listing', () => {
  it('lists the region once for every group (EC2 paging), caches it, and the next run lists nothing', async () => {
    endpoint = await startEc2Endpoint([noEna]);
    const types = Object.keys(readDataJson<Json>('aws/instance_types.json')).length;
    const offerings = readDataJson<unknown[]>('aws/instance_type_offerings/region/us-east-1.json').length;
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'imglint-cache-'));
    const first = await run(cacheDir);
    // Web: some selectable types cannot run the AMI (the Nitro ones); Batch (4 vCPUs, 8 GiB) selects Nitro types only.
    expect(first.report.results.map((entry) => [entry.target.source?.address, entry.findings.map((finding) => `${finding.ruleId} ${finding.severity}`)])).toEqual([
      ['WebGroup', ['instance-requirements warning']],
      ['BatchGroup', ['instance-requirements error']],
    ]);
    // Every page of both listings (100 types, 1,000 offerings a page), once for the two groups.
    expect(calls()).toEqual({
      DescribeImages: 1,
      DescribeInstanceTypeOfferings: Math.ceil(offerings / 1000),
      DescribeInstanceTypes: Math.ceil(types / 100),
    });
    const listing = endpoint.requests.filter((params) => params.get('Action') === 'DescribeInstanceTypes');
    expect(listing.every((params) => !params.has('Filter.1.Name') && params.get('MaxResults') === '100')).toBe(true);

    endpoint.calls.clear();
    const second = await run(cacheDir);
    expect(second.report.results.map((entry) => entry.findings)).toEqual(first.report.results.map((entry) => entry.findings));
    expect(calls()).toEqual({ DescribeImages: 1 });
  });

  it("judges the region's own types, not the embedded catalog's", async () => {
    // A region that has only these types (the endpoint lists and offers no others).
    endpoint = await startEc2Endpoint([noEna], { types: ['m4.large', 'm4.xlarge', 'm5.large', 'c5.xlarge', 't3.medium', 'm6g.large', 'c3.large'] });
    const { result, report } = await run(mkdtempSync(path.join(tmpdir(), 'imglint-cache-')));
    expect(result.status).toBe(1);
    const web = report.results.find((entry) => entry.target.source?.address === 'WebGroup')!;
    expect(web.findings.map((finding) => [finding.ruleId, finding.severity])).toEqual([['instance-requirements', 'warning']]);
    // m4: Xen, no ENA needed; t3 is burstable (excluded by default), m6g is arm64, c3.large has 3.75 GiB.
    expect(web.findings[0]!.message).toBe(
      `2 of the 4 instance types that instance requirements (VCpuCount 2-4, MemoryMiB 4096-16384) select in us-east-1 cannot run AMI ${NO_ENA}: c5.xlarge (ena-support), m5.large (ena-support)`,
    );
    const batch = report.results.find((entry) => entry.target.source?.address === 'BatchGroup')!;
    expect(batch.findings.map((finding) => [finding.ruleId, finding.severity])).toEqual([['instance-requirements', 'error']]);
    expect(batch.findings[0]!.message).toMatch(/^None of the 1 instance types that .* can run AMI ami-0e0a0000000000001: c5\.xlarge \(ena-support\)$/);
  });
});
