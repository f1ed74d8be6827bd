/** Region and zone names: which imglint judges, which it knows of without data, and which are misspellings. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AwsRegionsFile } from '../../src/catalog/aws-catalog-format.js';
import { awsRegionStatus, EMBEDDED_REGIONS, isZoneId, offeringsNotCovered, zoneOutsideRegion } from '../../src/catalog/aws-regions.js';
import { InputError } from '../../src/errors.js';
import { dataFolder, repoRoot } from '../support/data.js';
import { rejection } from '../support/errors.js';

const regionsFile = JSON.parse(readFileSync(path.join(repoRoot, 'src', 'catalog', 'aws', 'regions.json'), 'utf8')) as AwsRegionsFile;
const sdkRegions = regionsFile.partitions.flatMap((partition) => partition.regions);

describe('awsRegionStatus', () => {
  it('knows the offerings of every region of the data, and of no other', () => {
    expect([...EMBEDDED_REGIONS].sort()).toEqual(dataFolder('aws/instance_type_offerings/region'));
  });

  it.each(dataFolder('aws/instance_type_offerings/region'))('%s: embedded', async (region) => {
    expect(await awsRegionStatus(region)).toEqual({ kind: 'embedded' });
    expect(offeringsNotCovered(region, { kind: 'embedded' })).toBeUndefined();
  });

  it('knows every region of every partition the AWS SDK lists, naming those without embedded offerings', async () => {
    const notEmbedded = sdkRegions.filter((region) => !EMBEDDED_REGIONS.includes(region));
    expect(notEmbedded).toEqual(expect.arrayContaining(['ap-southeast-7', 'mx-central-1', 'cn-north-1', 'us-gov-west-1']));
    for (const region of notEmbedded) {
      const status = await awsRegionStatus(region);
      expect(status.kind, region).toBe('listed');
      expect(offeringsNotCovered(region, status), region).toMatch(new RegExp(`^${region} is `));
    }
    expect(offeringsNotCovered('ap-southeast-7', await awsRegionStatus('ap-southeast-7'))).toBe(
      'ap-southeast-7 is an aws region the embedded offerings do not cover (an opt-in or newer region; they cover 30 regions of the aws partition, moto data of 2026-08-01)',
    );
    expect(offeringsNotCovered('cn-north-1', await awsRegionStatus('cn-north-1'))).toBe(
      'cn-north-1 is a region of the aws-cn partition; the embedded offerings cover only 30 regions of the aws partition, moto data of 2026-08-01',
    );
    expect(await awsRegionStatus('us-gov-east-1')).toEqual({ kind: 'listed', partition: 'aws-us-gov' });
  });

  it('accepts a name shaped like a region newer than its lists (a partition pattern and a compass word), and says so', async () => {
    for (const region of ['us-east-9', 'ap-southwest-1', 'eu-northwest-3', 'cn-south-1', 'us-gov-central-1']) {
      const status = await awsRegionStatus(region);
      expect(status.kind, region).toBe('unlisted');
      expect(offeringsNotCovered(region, status)).toContain(`neither the AWS SDK's region list (${regionsFile.source})`);
    }
  });

  it.each([
    ['us-est-1', 'us-east-1'],
    ['eu-wset-1', 'eu-west-1'],
    ['us-east1', 'us-east-1'],
    ['useast1', undefined],
    ['US-EAST-1', 'us-east-1'],
    ['ap-southeast', undefined],
    ['', undefined],
  ])('refuses %j as a misspelling, with close names', async (region, suggestion) => {
    const error = await rejection(awsRegionStatus(region));
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ kind: 'input', code: 'UnknownRegion' });
    expect(error.message).toBe(`Unknown AWS region ${JSON.stringify(region)}: not a region of any AWS partition (${regionsFile.partitions.map((p) => p.id).join(', ')})`);
    if (suggestion) expect((error as InputError).hint).toMatch(new RegExp(`^Did you mean ${suggestion}\\b`));
    expect((error as InputError).hint).toContain('aws ec2 describe-regions --all-regions');
  });
});

describe('zones', () => {
  it('tells zone IDs from zone names', () => {
    for (const id of ['use1-az1', 'apne1-az4', 'use1-bos1-az1']) expect(isZoneId(id), id).toBe(true);
    for (const name of ['us-east-1a', 'ap-northeast-1d', 'us-east-1-bos-1a', 'use1']) expect(isZoneId(name), name).toBe(false);
  });

  it('refuses a zone name of another region, and a zone ID of another region where the zone IDs are known', () => {
    expect(zoneOutsideRegion('us-east-1a', 'us-east-1')).toBeUndefined();
    expect(zoneOutsideRegion('us-east-1-bos-1a', 'us-east-1')).toBeUndefined();
    expect(zoneOutsideRegion('eu-west-1a', 'us-east-1')).toBe("eu-west-1a is not an availability zone of us-east-1 (zone names start with the region's name, e.g. us-east-1a)");
    expect(zoneOutsideRegion('us-east-1', 'us-east-1')).toContain('is not an availability zone of us-east-1');
    expect(zoneOutsideRegion('euw1-az1', 'us-east-1')).toBeUndefined();
    expect(zoneOutsideRegion('euw1-az1', 'us-east-1', ['use1-az1', 'use1-az2'])).toBe('euw1-az1 is not an availability zone ID of us-east-1 (its zone IDs are use1-az1, use1-az2)');
  });
});
