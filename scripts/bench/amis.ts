// Real Amazon Linux AMIs from moto's latest_amis/<region>.json (../shared/data), as EC2 `Image` objects: the
// conversion scripts/generate-aws-examples.ts applies (see examples/aws/README.md), for every AMI of a region.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sharedDataDir } from '../../test/catalog/shared-data.js';
import { describeImagesEntry, type MotoAmi } from '../generate-aws-examples.js';

/** Every AMI of `latest_amis/<region>.json` as an EC2 `Image`, in file order. */
export function latestAmis(region: string): Record<string, unknown>[] {
  const file = path.join(sharedDataDir, 'aws', 'latest_amis', `${region}.json`);
  return (JSON.parse(readFileSync(file, 'utf8')) as MotoAmi[]).map(describeImagesEntry);
}
