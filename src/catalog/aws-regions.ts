import { InputError } from '../errors.js';
import type { AwsRegionsFile } from './aws-catalog-format.js';
import { closeMatches, didYouMean } from './close-matches.js';
import meta from './aws/meta.json' with { type: 'json' };

/**
 * Which AWS regions imglint knows, and how well: the regions whose offerings are embedded (`meta.json`), the regions
 * of every partition the installed AWS SDK listed when the catalog was generated (`regions.json`, read only for a
 * region outside the first set), and names shaped like a region that neither lists (a region newer than both).
 */

/** Regions whose offerings the embedded catalog holds (the 30 regions of the `aws` partition in moto's data). */
export const EMBEDDED_REGIONS: readonly string[] = Object.keys(meta.counts.offerings);

/** Date of the embedded offerings (YYYY-MM-DD). */
export const OFFERINGS_AS_OF = meta.offeringsAsOf;

/**
 * Regions where AWS maps zone names (`us-east-1a`) to physical zones independently for each account (accounts
 * created before November 2025): "All Regions introduced after November 2012 use a uniform mapping" (AWS, "AZ IDs",
 * https://docs.aws.amazon.com/global-infrastructure/latest/regions/az-ids.html). These are the regions introduced up
 * to November 2012. A zone name's offerings in moto's data are those of moto's account there, so offline only zone
 * IDs are judged in these regions.
 */
export const INDEPENDENTLY_MAPPED_REGIONS: ReadonlySet<string> = new Set([
  'us-east-1',
  'eu-west-1',
  'us-west-1',
  'ap-southeast-1',
  'ap-northeast-1',
  'us-west-2',
  'sa-east-1',
  'ap-southeast-2',
]);

/** How imglint knows a region. */
export type AwsRegionStatus =
  /** Its offerings are embedded. */
  | { kind: 'embedded' }
  /** A region of `partition` in the AWS SDK's list, without embedded offerings (newer or opt-in; another partition). */
  | { kind: 'listed'; partition: string }
  /** Shaped like a region of `partition` (its pattern and a compass word), but in no list: a region newer than both. */
  | { kind: 'unlisted'; partition: string; listSource: string };

/** The word before a region's number: every AWS region name has one (`us-east-1`, `ap-southeast-7`, `eu-central-2`). */
const COMPASS = new Set(['north', 'south', 'east', 'west', 'central', 'northeast', 'northwest', 'southeast', 'southwest']);

let regionsFile: Promise<AwsRegionsFile> | undefined;

function loadRegions(): Promise<AwsRegionsFile> {
  regionsFile ??= import('./aws/regions.json', { with: { type: 'json' } }).then((module) => module.default as AwsRegionsFile);
  return regionsFile;
}

/**
 * Tells a real region from a misspelt one. Embedded regions answer without loading anything. Otherwise the AWS
 * SDK's region list decides; a name in no list is accepted as a region newer than imglint when it matches a
 * partition's `regionRegex` and its middle word is one of the compass words real region names use (`us-east-9`),
 * and refused otherwise (`us-est-1`): a new region is never refused, a typo never passes silently.
 *
 * @throws InputError `UnknownRegion` naming the region, with up to 3 close region names as a hint.
 */
export async function awsRegionStatus(region: string): Promise<AwsRegionStatus> {
  if (EMBEDDED_REGIONS.includes(region)) return { kind: 'embedded' };
  const { partitions, source } = await loadRegions();
  const listed = partitions.find((partition) => partition.regions.includes(region));
  if (listed) return { kind: 'listed', partition: listed.id };
  const known = partitions.flatMap((partition) => partition.regions);
  const shaped = partitions.find((partition) => new RegExp(partition.regionRegex).test(region));
  if (shaped && COMPASS.has(region.split('-').at(-2)!)) return { kind: 'unlisted', partition: shaped.id, listSource: source };
  const suggestions = didYouMean(region, closeMatches(region, known.map((name) => [name, []] as const)), false);
  throw new InputError('UnknownRegion', `Unknown AWS region ${JSON.stringify(region)}: not a region of any AWS partition (${partitions.map((p) => p.id).join(', ')})`, {
    hint: [...suggestions, 'Region names look like us-east-1, eu-west-2 or ap-southeast-1 (aws ec2 describe-regions --all-regions lists yours).'].join(' '),
  });
}

/**
 * Why the embedded offerings cannot judge `region` (for a notice and the report's catalog line); `undefined` when
 * they can.
 */
export function offeringsNotCovered(region: string, status: AwsRegionStatus): string | undefined {
  const covered = `${EMBEDDED_REGIONS.length} regions of the aws partition, moto data of ${OFFERINGS_AS_OF}`;
  switch (status.kind) {
    case 'embedded':
      return undefined;
    case 'listed':
      return status.partition === 'aws'
        ? `${region} is an aws region the embedded offerings do not cover (an opt-in or newer region; they cover ${covered})`
        : `${region} is a region of the ${status.partition} partition; the embedded offerings cover only ${covered}`;
    case 'unlisted':
      return `${region} is in neither the AWS SDK's region list (${status.listSource}) nor the embedded offerings (${covered}): a region newer than imglint, or a misspelling`;
  }
}

/** A zone ID (`use1-az1`; a Local Zone's `use1-bos1-az1`), as opposed to a zone name (`us-east-1a`). */
export function isZoneId(zone: string): boolean {
  return /^[a-z]+\d+-(?:[a-z]+\d+-)?az\d+$/.test(zone);
}

/**
 * Why `zone` cannot be a zone of `region`, when that is certain: a zone name always starts with its region's name
 * (`us-east-1a`, `us-east-1-bos-1a`); a zone ID is checked against the zone IDs of `knownIds` (the region's zone
 * IDs in the embedded data) when given.
 */
export function zoneOutsideRegion(zone: string, region: string, knownIds?: readonly string[]): string | undefined {
  if (!isZoneId(zone)) {
    if (zone.startsWith(region) && zone.length > region.length) return undefined;
    return `${zone} is not an availability zone of ${region} (zone names start with the region's name, e.g. ${region}a)`;
  }
  if (knownIds === undefined || knownIds.length === 0) return undefined;
  const prefix = (id: string) => id.split('-')[0];
  if (knownIds.some((id) => prefix(id) === prefix(zone))) return undefined;
  return `${zone} is not an availability zone ID of ${region} (its zone IDs are ${[...knownIds].sort().join(', ')})`;
}
