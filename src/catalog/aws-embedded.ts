import { unknownReferencesError, type OfferingsAnswer, type Provider, type ZoneOfferings } from '../../providers/provider.js';
import { InputError, UsageError } from '../errors.js';
import type { CatalogSource, AwsImageFacts, InstanceTypeFacts } from '../model/index.js';
import { closeMatchesFor, didYouMean, listNames } from './close-matches.js';
import {
  bitsetHas,
  bitsetIndexes,
  decodeBitset,
  expandAwsProfiles,
  expandAwsTypeRow,
  findTypeRow,
  type AwsInstanceTypesFile,
  type AwsOfferingsFile,
  type AwsRegionOfferings,
  type AwsTypeProfile,
} from './aws-catalog-format.js';
import { awsRegionStatus, EMBEDDED_REGIONS, INDEPENDENTLY_MAPPED_REGIONS, isZoneId, OFFERINGS_AS_OF, offeringsNotCovered } from './aws-regions.js';
import meta from './aws/meta.json' with { type: 'json' };

/**
 * imglint's embedded EC2 catalog: the instance types and the offerings of every region and availability zone that
 * moto copied from `DescribeInstanceTypes` / `DescribeInstanceTypeOfferings`, compacted by
 * `scripts/generate-aws-catalog.ts` into `./aws/*.json` and validated there. Loading does no validation and happens on
 * first use only; a lookup expands only the types it names (rows are found by binary search, offerings are bitsets
 * over the row index).
 */

const SHORT_COMMIT = meta.source.commit.slice(0, 8);

const source: CatalogSource = {
  kind: 'embedded',
  description: `imglint embedded catalog: moto instance_types.json @${SHORT_COMMIT}`,
  dataAsOf: meta.dataAsOf,
};

/** Number of zones (names, not counting their IDs) the embedded offerings cover. */
const ZONE_NAMES = Object.values(meta.counts.zones).reduce((sum, count) => sum + count, 0) / 2;

/** The embedded EC2 catalog. */
export interface AwsCatalog {
  /**
   * Every instance type in the catalog (1,373 as of 2026-08-02), by `InstanceType` name, sorted by name. Expands every
   * type on first use: checks use {@link AwsCatalog.type}.
   */
  readonly types: ReadonlyMap<string, InstanceTypeFacts>;
  /** Every instance type name, sorted. */
  readonly typeNames: readonly string[];
  /** One type's facts (expanded on first use, then the same object), or `undefined` when the catalog lacks it. */
  type(name: string): InstanceTypeFacts | undefined;
  /**
   * The instance types offered in `region` (`DescribeInstanceTypeOfferings`, LocationType=region), or `undefined`
   * when the catalog has no offerings for that region (which says nothing about availability).
   */
  offeredIn(region: string): ReadonlySet<string> | undefined;
  /** Whether `region` offers the type `name`; `undefined` when the catalog has no offerings for that region. */
  offers(region: string, name: string): boolean | undefined;
  /** The zone names and zone IDs of `region` in the data, sorted; `undefined` for a region without offerings. */
  zonesOf(region: string): readonly string[] | undefined;
  /**
   * Where the types are offered among the zones of `region`: zone IDs always; zone names only where AWS maps them the
   * same way in every account (not in {@link INDEPENDENTLY_MAPPED_REGIONS}, where moto's account mapped them).
   * `undefined` for a region without offerings.
   */
  zoneOfferings(region: string): ZoneOfferings | undefined;
  /** `{ kind: 'embedded', description: 'imglint embedded catalog: moto instance_types.json @<commit>', dataAsOf }`. */
  readonly source: CatalogSource;
}

let catalog: Promise<AwsCatalog> | undefined;

/**
 * Loads the embedded EC2 catalog on first call (the JSON files are dynamic imports, so a bundler can keep them
 * out of the start-up path) and returns the same catalog afterwards. Data: moto `instance_types.json` and
 * `instance_type_offerings/{region,availability-zone,availability-zone-id}/*.json` (Apache-2.0), as of
 * {@link AwsCatalog.source}`.dataAsOf` (types) and `meta.json`'s `offeringsAsOf`.
 */
export function loadAwsCatalog(): Promise<AwsCatalog> {
  catalog ??= Promise.all([
    import('./aws/instance-types.json', { with: { type: 'json' } }),
    import('./aws/offerings.json', { with: { type: 'json' } }),
  ]).then(([typesModule, offeringsModule]) =>
    createAwsCatalog(typesModule.default as AwsInstanceTypesFile, offeringsModule.default as AwsOfferingsFile),
  );
  return catalog;
}

function createAwsCatalog(typesFile: AwsInstanceTypesFile, offeringsFile: AwsOfferingsFile): AwsCatalog {
  const rows = typesFile.types;
  let profiles: AwsTypeProfile[] | undefined;
  const expanded: (InstanceTypeFacts | undefined)[] = [];
  const expand = (index: number): InstanceTypeFacts =>
    (expanded[index] ??= expandAwsTypeRow(rows[index]!, (profiles ??= expandAwsProfiles(typesFile))));
  let all: Map<string, InstanceTypeFacts> | undefined;
  let names: string[] | undefined;

  const regionOf = (region: string): AwsRegionOfferings | undefined =>
    Object.hasOwn(offeringsFile.regions, region) ? offeringsFile.regions[region] : undefined;
  const regionBits = new Map<string, Uint8Array>();
  const bitsOf = (region: string, offerings: AwsRegionOfferings) => {
    let bits = regionBits.get(region);
    if (bits === undefined) regionBits.set(region, (bits = decodeBitset(offerings.region)));
    return bits;
  };
  const offeredSets = new Map<string, ReadonlySet<string>>();
  const zoneAnswers = new Map<string, ZoneOfferings>();

  return {
    get types() {
      return (all ??= new Map(rows.map((row, index) => [row[0], expand(index)])));
    },
    get typeNames() {
      return (names ??= rows.map(([name]) => name));
    },
    type(name) {
      const index = findTypeRow(rows, name);
      return index < 0 ? undefined : expand(index);
    },
    offeredIn(region) {
      const offerings = regionOf(region);
      if (offerings === undefined) return undefined;
      let set = offeredSets.get(region);
      if (set === undefined) offeredSets.set(region, (set = new Set(bitsetIndexes(bitsOf(region, offerings)).map((index) => rows[index]![0]))));
      return set;
    },
    offers(region, name) {
      const offerings = regionOf(region);
      if (offerings === undefined) return undefined;
      const index = findTypeRow(rows, name);
      return index >= 0 && bitsetHas(bitsOf(region, offerings), index);
    },
    zonesOf(region) {
      const offerings = regionOf(region);
      return offerings && Object.keys(offerings.zones).sort();
    },
    zoneOfferings(region) {
      const offerings = regionOf(region);
      if (offerings === undefined) return undefined;
      let answer = zoneAnswers.get(region);
      if (answer === undefined) {
        const judgesNames = !INDEPENDENTLY_MAPPED_REGIONS.has(region);
        const zones = Object.keys(offerings.zones).filter((zone) => judgesNames || isZoneId(zone)).sort();
        const sets = offerings.sets.map(decodeBitset);
        answer = {
          zones: new Set(zones),
          offering(type) {
            const index = findTypeRow(rows, type);
            return new Set(index < 0 ? [] : zones.filter((zone) => bitsetHas(sets[offerings.zones[zone]!]!, index)));
          },
          notJudged(zone) {
            if (!judgesNames && !isZoneId(zone) && Object.hasOwn(offerings.zones, zone)) {
              return `zone names in ${region} map to physical zones differently in each AWS account (AWS maps them independently in the regions introduced by November 2012), so offline only zone IDs are judged there: pass the zone ID (aws ec2 describe-availability-zones --region ${region}), or run without --offline`;
            }
            return `${zone} is not among the zones of ${region} in the embedded data of ${OFFERINGS_AS_OF} (${zones.join(', ')}); a newer zone is not judged offline`;
          },
        };
        zoneAnswers.set(region, answer);
      }
      return answer;
    },
    source,
  };
}

/** The catalog line of a check offline in `region`: the types' source, plus which offerings judged it. */
function sourceFor(region: string, notCovered: string | undefined): CatalogSource {
  const zones = (meta.counts.zones as Record<string, number>)[region];
  const coverage =
    notCovered === undefined
      ? `offerings of ${region} and its ${zones! / 2} zones as of ${OFFERINGS_AS_OF} (${EMBEDDED_REGIONS.length} aws regions, ${ZONE_NAMES} zones embedded)`
      : `no offerings for ${region}: availability not judged (${EMBEDDED_REGIONS.length} aws regions, ${ZONE_NAMES} zones embedded, as of ${OFFERINGS_AS_OF})`;
  return { ...source, description: `${source.description}; ${coverage}` };
}

/**
 * A {@link Provider} for `--offline`: instance types and offerings from the embedded catalog
 * ({@link loadAwsCatalog}, loaded on the first call that needs it), images only from `images`
 * (the facts of the `--image-file`s the caller read).
 *
 * - `checkRegion` throws `InputError('UnknownRegion')` for a name that is no AWS region (with close names), and gives
 *   a notice for a real region whose offerings are not embedded (opt-in or newer regions, other partitions).
 * - `describeMachineTypes` throws `InputError('InstanceTypeNotFound')` naming every type the catalog lacks, with
 *   the catalog's date and up to 3 close names per type as a hint. It never guesses facts.
 * - `offeredMachineTypes` / `zoneOfferings` return `undefined` answers for regions without offerings data; zone
 *   names are judged only where AWS maps them alike in every account (zone IDs everywhere).
 * - `describeImages` throws `UsageError` for any ID not in `images`: offline mode cannot look AMIs up.
 * - `catalogSource` says which region's offerings judged the check, or that none did.
 */
export function createEmbeddedAwsProvider(options: { region: string; images?: readonly AwsImageFacts[] }): Provider {
  const images = new Map((options.images ?? []).map((image) => [image.id, image]));
  const { region } = options;
  let notCovered: string | undefined = EMBEDDED_REGIONS.includes(region) ? undefined : `${region} has no embedded offerings`;
  const offeredOf = async (names: readonly string[]): Promise<Set<string> | undefined> => {
    const catalog = await loadAwsCatalog();
    if (!EMBEDDED_REGIONS.includes(region)) return undefined;
    return new Set(names.filter((name) => catalog.offers(region, name)));
  };
  return {
    id: 'aws',
    get catalogSource() {
      return sourceFor(region, notCovered);
    },
    region: () => Promise.resolve(region),

    async checkRegion() {
      notCovered = offeringsNotCovered(region, await awsRegionStatus(region));
      return notCovered === undefined ? {} : { notice: `${notCovered}: whether instance types are offered there was not judged (run without --offline to ask EC2).` };
    },

    async describeImages(ids) {
      const wanted = [...new Set(ids)];
      const missing = wanted.filter((id) => !images.has(id));
      const found = new Map(wanted.flatMap((id) => (images.has(id) ? [[id, images.get(id)!] as const] : [])));
      if (missing.length > 0) {
        throw unknownReferencesError(
          missing,
          found,
          (refs) =>
            new UsageError(`Offline mode cannot look up ${refs.join(', ')}: the embedded catalog holds instance types, not AMIs.`, {
              hint: `Save the image's \`aws ec2 describe-images --image-ids ${refs[0]}\` output to a file and pass it with --image-file, or run without --offline.`,
            }),
        );
      }
      return found;
    },

    async candidateTypes() {
      const catalog = await loadAwsCatalog();
      const zones = catalog.zoneOfferings(region);
      return { types: catalog.types.values(), offered: catalog.offeredIn(region), ...(zones && { zones }), source: sourceFor(region, notCovered) };
    },

    async describeMachineTypes(names) {
      const catalog = await loadAwsCatalog();
      const found = new Map<string, InstanceTypeFacts>();
      const unknown: string[] = [];
      for (const name of new Set(names)) {
        const facts = catalog.type(name);
        if (facts) found.set(name, facts);
        else unknown.push(name);
      }
      if (unknown.length > 0) {
        // Close matches once, for the first names: the error naming them all and each name's own error share them.
        const matches = closeMatchesFor(unknown, catalog.typeNames.map((name) => [name, []] as const));
        throw unknownReferencesError(unknown, found, (refs) => {
          const label = refs.length > 1 ? 'Unknown instance types' : 'Unknown instance type';
          return new InputError(
            'InstanceTypeNotFound',
            `${label} ${listNames(refs)}: not in imglint's embedded EC2 catalog (data as of ${meta.dataAsOf}).`,
            {
              hint: [
                ...refs.flatMap((name) => didYouMean(name, matches.get(name) ?? [], refs.length > 1)),
                `Check the spelling, or run without --offline to ask EC2 (types added or retired after ${meta.dataAsOf} are not in the catalog).`,
              ].join(' '),
            },
          );
        });
      }
      return found;
    },

    offeredMachineTypes: offeredOf,

    async zoneOfferings(names): Promise<OfferingsAnswer> {
      return { offered: await offeredOf(names), zones: (await loadAwsCatalog()).zoneOfferings(region) };
    },
  };
}
