/**
 * `instance-type-offering` offline in every region and zone of the data: the cases come from moto's offering files in
 * test/fixtures/data (not from the generated catalog), and each target goes through checkTargets as `imglint check
 * --offline` sends it.
 */
import { describe, expect, it } from 'vitest';
import { INDEPENDENTLY_MAPPED_REGIONS } from '../../src/catalog/aws-regions.js';
import { checkTargets } from '../../src/engine/check-targets.js';
import type { AwsImageFacts, Finding, TargetRequest } from '../../src/model/index.js';
import { exampleAl2023x86 } from '../rules/images.js';
import { dataFolder, readDataJson } from '../support/data.js';

type Offering = { InstanceType: string; Location: string };

const REGION_TEXT = 'The requested configuration is currently not supported. Please check the documentation for supported configurations.';
const types = Object.keys(readDataJson<Record<string, unknown>>('aws/instance_types.json')).sort();
const regions = dataFolder('aws/instance_type_offerings/region');
/** The image: an HVM x86_64 EBS AMI with ENA, which every x86_64 type with legacy BIOS can run. */
const image: AwsImageFacts = exampleAl2023x86;
/** x86_64 types, so the architecture rule keeps out of the way of the offering rule. */
const x86 = new Set(
  Object.entries(readDataJson<Record<string, { ProcessorInfo: { SupportedArchitectures: string[] } }>>('aws/instance_types.json'))
    .filter(([, info]) => info.ProcessorInfo.SupportedArchitectures.includes('x86_64'))
    .map(([name]) => name),
);

/** Zone -> types it offers, by LocationType, from the data file. */
function zones(kind: 'availability-zone' | 'availability-zone-id', region: string): Map<string, Set<string>> {
  const byZone = new Map<string, Set<string>>();
  for (const { InstanceType, Location } of readDataJson<Offering[]>(`aws/instance_type_offerings/${kind}/${region}.json`)) {
    byZone.set(Location, (byZone.get(Location) ?? new Set()).add(InstanceType));
  }
  return byZone;
}

async function check(requests: TargetRequest[]) {
  return checkTargets(requests, { offline: true, knownImages: [image], now: new Date('2026-12-01T00:00:00Z') });
}

const target = (region: string, type: string, availabilityZones?: string[]): TargetRequest => ({
  provider: 'aws',
  region,
  image: image.id,
  type,
  ...(availabilityZones && { availabilityZones }),
});

const offeringFindings = (result: { findings: Finding[] }) => result.findings.filter((finding) => finding.ruleId === 'instance-type-offering');

describe.each(regions)('%s, offline', (region) => {
  const offered = new Set(readDataJson<Offering[]>(`aws/instance_type_offerings/region/${region}.json`).map((o) => o.InstanceType));
  const yes = types.find((name) => offered.has(name) && x86.has(name))!;
  const no = types.find((name) => !offered.has(name) && x86.has(name))!;

  it(`passes a type it offers and fails one it does not with EC2's text`, async () => {
    const report = await check([target(region, yes), target(region, no)]);
    expect(report.notices).toEqual([]);
    expect(offeringFindings(report.results[0]!)).toEqual([]);
    const [finding] = offeringFindings(report.results[1]!);
    expect(finding).toMatchObject({ severity: 'error', message: `${no} is not offered in ${region}`, providerError: { code: 'Unsupported', message: REGION_TEXT } });
    expect(report.catalogs[0]!.description).toContain(`offerings of ${region} and its ${zones('availability-zone', region).size} zones`);
  });

  it('judges zone IDs: a zone that lacks the type fails with EC2\'s text naming the zones that offer it', async () => {
    const byId = zones('availability-zone-id', region);
    // A type some zone offers and another zone lacks (every region of the data has one).
    const partial = types.find((name) => x86.has(name) && [...byId.values()].some((set) => set.has(name)) && [...byId.values()].some((set) => !set.has(name)))!;
    expect(partial).toBeDefined();
    const lacking = [...byId].find(([, set]) => !set.has(partial))![0];
    const offering = [...byId].filter(([, set]) => set.has(partial)).map(([zone]) => zone).sort();
    const report = await check([target(region, partial, [offering[0]!]), target(region, partial, [lacking]), target(region, partial, [lacking, offering[0]!])]);
    expect(offeringFindings(report.results[0]!)).toEqual([]);
    const [error] = offeringFindings(report.results[1]!);
    expect(error).toMatchObject({
      severity: 'error',
      providerError: {
        code: 'Unsupported',
        message: `Your requested instance type (${partial}) is not supported in your requested Availability Zone (${lacking}). Please retry your request by not specifying an Availability Zone or choosing ${offering.join(', ')}.`,
      },
    });
    const [warning] = offeringFindings(report.results[2]!);
    expect(warning).toMatchObject({ severity: 'warning' });
    expect(warning!.message).toContain(`not offered in availability zone ${lacking} of the 2 the launch spans`);
    expect(report.results[2]!.target.availabilityZones).toEqual([lacking, offering[0]]);
  });

  it(
    INDEPENDENTLY_MAPPED_REGIONS.has(region)
      ? 'does not judge zone names, which AWS maps per account here, and says so'
      : 'judges zone names like zone IDs',
    async () => {
      const byName = zones('availability-zone', region);
      const partial = types.find((name) => x86.has(name) && [...byName.values()].some((set) => set.has(name)) && [...byName.values()].some((set) => !set.has(name)))!;
      expect(partial).toBeDefined();
      const lacking = [...byName].find(([, set]) => !set.has(partial))![0];
      const offering = [...byName].filter(([, set]) => set.has(partial)).map(([zone]) => zone).sort();
      const report = await check([target(region, partial, [lacking])]);
      if (INDEPENDENTLY_MAPPED_REGIONS.has(region)) {
        expect(offeringFindings(report.results[0]!)).toEqual([]);
        expect(report.notices).toEqual([expect.stringMatching(new RegExp(`^${lacking} \\(${region}\\): availability zone not judged: zone names in ${region} map to physical zones differently in each AWS account`))]);
      } else {
        const [error] = offeringFindings(report.results[0]!);
        expect(error!.providerError!.message).toBe(
          `Your requested instance type (${partial}) is not supported in your requested Availability Zone (${lacking}). Please retry your request by not specifying an Availability Zone or choosing ${offering.join(', ')}.`,
        );
        expect(report.notices).toEqual([]);
      }
    },
  );
});

describe('zones and regions the data does not judge', () => {
  it('a type no requested zone offers is an error; the fix hint ranks types offered in the zone first', async () => {
    const byId = zones('availability-zone-id', 'us-east-1');
    // use1-az3 offers few types: t2.micro is among them, m5.large is not.
    expect(byId.get('use1-az3')!.has('m5.large')).toBe(false);
    const report = await check([target('us-east-1', 'm5.large', ['use1-az3']), target('us-east-1', 'm5.large', ['use1-az3', 'use1-az9'])]);
    const [finding] = offeringFindings(report.results[0]!);
    expect(finding).toMatchObject({ severity: 'error', message: `m5.large is not offered in availability zone use1-az3 (us-east-1); it is offered in ${[...byId].filter(([, set]) => set.has('m5.large')).map(([zone]) => zone).sort().join(', ')}` });
    expect(finding!.alternatives!.length).toBeGreaterThan(0);
    for (const name of finding!.alternatives!) expect(byId.get('use1-az3')!.has(name), name).toBe(true);
    // A zone the data does not know is not judged, and the report says so.
    expect(report.notices).toEqual([expect.stringMatching(/^use1-az9 \(us-east-1\): availability zone not judged: use1-az9 is not among the zones of us-east-1 in the embedded data of 2026-08-01/)]);
  });

  it('a zone of another region is an input error of its target; the others are checked', async () => {
    const report = await check([target('us-east-1', 't3.micro', ['eu-west-1a']), target('us-east-1', 't3.micro', ['use1-az1'])]);
    expect(report.results.map((result) => result.verdict)).toEqual(['error', 'pass']);
    expect(report.results[0]!.error).toMatchObject({ kind: 'input', code: 'UnknownAvailabilityZone' });
    expect(report.results[0]!.error!.message).toContain('eu-west-1a is not an availability zone of us-east-1');
  });

  it('a misspelt region is an input error of its targets, with a suggestion; the other regions are checked', async () => {
    const report = await check([target('us-est-1', 't3.micro'), target('us-east-1', 't3.micro')]);
    expect(report.results.map((result) => result.verdict)).toEqual(['error', 'pass']);
    expect(report.results[0]!.error).toMatchObject({ kind: 'input', code: 'UnknownRegion', hint: expect.stringMatching(/^Did you mean us-east-1\b/) });
  });

  it.each([
    ['ap-southeast-7', 'is an aws region the embedded offerings do not cover'],
    ['cn-north-1', 'is a region of the aws-cn partition'],
    ['us-gov-west-1', 'is a region of the aws-us-gov partition'],
  ])('%s: checked, with a notice that offerings were not judged', async (region, why) => {
    const report = await check([target(region, 't3.micro', [`${region}a`])]);
    expect(report.results[0]!.verdict).toBe('pass');
    expect(report.notices).toEqual([`${region} ${why}${report.notices[0]!.slice(region.length + 1 + why.length)}`]);
    expect(report.notices[0]).toContain('whether instance types are offered there was not judged (run without --offline to ask EC2)');
    expect(report.catalogs[0]!.description).toContain(`no offerings for ${region}: availability not judged`);
  });
});
