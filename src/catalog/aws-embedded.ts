import { unknownReferencesError, type Provider } from '../../providers/provider.js';
import { InputError, UsageError } from '../errors.js';
import type { CatalogSource, AwsImageFacts, InstanceTypeFacts } from '../model/index.js';
import { closeMatches, didYouMean } from './close-matches.js';
import { expandAwsInstanceTypes, type AwsInstanceTypesFile, type AwsOfferingsFile } from './aws-catalog-format.js';
import meta from './aws/meta.json' with { type: 'json' };

/**
 * imglint's embedded EC2 catalog: the instance types and per-region offerings that moto copied from
 * `DescribeInstanceTypes` / `DescribeInstanceTypeOfferings`, compacted by `scripts/generate-aws-catalog.ts`
 * into `./aws/*.json` and validated there. Loading does no validation and happens on first use only.
 */

const SHORT_COMMIT = meta.source.commit.slice(0, 8);

const source: CatalogSource = {
  kind: 'embedded',
  description: `imglint embedded catalog: moto instance_types.json @${SHORT_COMMIT}`,
  dataAsOf: meta.dataAsOf,
};

/** The embedded EC2 catalog, expanded. */
export interface AwsCatalog {
  /** Every instance type in the catalog (1,373 as of 2026-08-02), by `InstanceType` name, sorted by name. */
  readonly types: ReadonlyMap<string, InstanceTypeFacts>;
  /**
   * The instance types offered in `region` (`DescribeInstanceTypeOfferings`, LocationType=region), or
   * `undefined` when the catalog has no offerings for that region (which says nothing about availability).
   */
  offeredIn(region: string): ReadonlySet<string> | undefined;
  /** `{ kind: 'embedded', description: 'imglint embedded catalog: moto instance_types.json @<commit>', dataAsOf }`. */
  readonly source: CatalogSource;
}

let catalog: Promise<AwsCatalog> | undefined;

/**
 * Loads the embedded EC2 catalog on first call (the JSON files are dynamic imports, so a bundler can keep them
 * out of the start-up path) and returns the same catalog afterwards. Data: moto `instance_types.json` and
 * `instance_type_offerings/region/*.json` (Apache-2.0), as of {@link AwsCatalog.source}`.dataAsOf`.
 */
export function loadAwsCatalog(): Promise<AwsCatalog> {
  catalog ??= Promise.all([
    import('./aws/instance-types.json', { with: { type: 'json' } }),
    import('./aws/offerings.json', { with: { type: 'json' } }),
  ]).then(([typesModule, offeringsModule]) => {
    const typesFile = typesModule.default as AwsInstanceTypesFile;
    const regions = (offeringsModule.default as AwsOfferingsFile).regions;
    const offered = new Map<string, ReadonlySet<string>>();
    return {
      types: expandAwsInstanceTypes(typesFile),
      offeredIn(region: string): ReadonlySet<string> | undefined {
        const indexes = Object.hasOwn(regions, region) ? regions[region] : undefined;
        if (indexes === undefined) return undefined;
        let names = offered.get(region);
        if (names === undefined) {
          names = new Set(indexes.map((index) => typesFile.types[index]![0]));
          offered.set(region, names);
        }
        return names;
      },
      source,
    };
  });
  return catalog;
}

/**
 * A {@link Provider} for `--offline`: instance types and offerings from the embedded catalog
 * ({@link loadAwsCatalog}, loaded on the first call that needs it), images only from `images`
 * (the facts of the `--image-file`s the caller read).
 *
 * - `describeMachineTypes` throws `InputError('InstanceTypeNotFound')` naming every type the catalog lacks, with
 *   the catalog's date and up to 3 close names per type as a hint. It never guesses facts.
 * - `offeredMachineTypes` returns `undefined` for regions without offerings data (only `eu-west-1` and `us-east-1`).
 * - `describeImages` throws `UsageError` for any ID not in `images`: offline mode cannot look AMIs up.
 */
export function createEmbeddedAwsProvider(options: { region: string; images?: readonly AwsImageFacts[] }): Provider {
  const images = new Map((options.images ?? []).map((image) => [image.id, image]));
  return {
    id: 'aws',
    catalogSource: source,
    region: () => Promise.resolve(options.region),

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
      return { types: catalog.types.values(), offered: catalog.offeredIn(options.region), source: catalog.source };
    },

    async describeMachineTypes(names) {
      const { types } = await loadAwsCatalog();
      const wanted = [...new Set(names)];
      const unknown = wanted.filter((name) => !types.has(name));
      const found = new Map(wanted.flatMap((name) => (types.has(name) ? [[name, types.get(name)!] as const] : [])));
      if (unknown.length > 0) {
        // Close matches once per name: the error naming them all and each name's own error share them.
        const known = [...types.keys()].map((name) => [name, []] as const);
        const matches = new Map(unknown.map((name) => [name, closeMatches(name, known)]));
        throw unknownReferencesError(unknown, found, (refs) => {
          const label = refs.length > 1 ? 'Unknown instance types' : 'Unknown instance type';
          return new InputError(
            'InstanceTypeNotFound',
            `${label} ${refs.join(', ')}: not in imglint's embedded EC2 catalog (data as of ${meta.dataAsOf}).`,
            {
              hint: [
                ...refs.flatMap((name) => didYouMean(name, matches.get(name)!, refs.length > 1)),
                `Check the spelling, or run without --offline to ask EC2 (types added or retired after ${meta.dataAsOf} are not in the catalog).`,
              ].join(' '),
            },
          );
        });
      }
      return found;
    },

    async offeredMachineTypes(names) {
      const offered = (await loadAwsCatalog()).offeredIn(options.region);
      return offered && new Set(names.filter((name) => offered.has(name)));
    },
  };
}
