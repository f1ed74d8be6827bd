// Real Amazon Linux AMIs from moto's latest_amis/<region>.json (committed in test/fixtures/data), as EC2 `Image` objects: the
// conversion scripts/generate-aws-examples.ts applies (see examples/aws/README.md), for every AMI of a region.
import { readDataJson } from '../../test/support/data.js';
import { describeImagesEntry, type MotoAmi } from '../generate-aws-examples.js';

/** Every AMI of `latest_amis/<region>.json` as an EC2 `Image`, in file order. */
export function latestAmis(region: string): Record<string, unknown>[] {
  return readDataJson<MotoAmi[]>(`aws/latest_amis/${region}.json`).map(describeImagesEntry);
}
