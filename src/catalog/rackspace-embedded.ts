import { unknownReferencesError, type Provider } from '../../providers/provider.js';
import { InputError, UsageError } from '../errors.js';
import type { CatalogSource, FlavorFacts, OpenStackImageFacts } from '../model/index.js';
import { listNames, MAX_SUGGESTED_REFS } from './close-matches.js';
import { findFlavor, flavorSuggestions } from './flavor-lookup.js';
import { fileImagesOrThrow, findFileImages } from './image-lookup.js';
import metaJson from './rackspace/meta.json' with { type: 'json' };

/**
 * imglint's embedded Rackspace catalog: the Nova flavors (`GET /flavors/detail`) of each captured region, generated
 * by `scripts/generate-rackspace-catalog.ts` into `./rackspace/*.json` and validated there. Loading does no
 * validation and happens on first use only. Images are never in it: offline checks read them from `--image-file`.
 */

/** `flavors.json`: region (upper case, as in the service catalog) -> its flavors, in the order Nova listed them. */
export interface RackspaceFlavorsFile {
  regions: Record<string, FlavorFacts[]>;
}

/** `meta.json`: where the catalog came from and what it holds. */
export interface RackspaceCatalogMeta {
  /** Date of the capture (YYYY-MM-DD): the MIMIC commit that holds the canned `GET /flavors/detail` answer. */
  dataAsOf: string;
  /** Regions with flavors, sorted (the region comes from the flavors' own `links`). */
  regions: string[];
  source: {
    repository: string;
    commit: string;
    commitDate: string;
    /** Path of the canned response in the repository. */
    path: string;
    /** SPDX identifier. */
    license: string;
    /** The copy the generator read, relative to `../shared/data/rackspace`, and its sha256. */
    sharedDataFile: string;
    sha256: string;
  };
  /** Data the generator saw and deliberately left out, with the flavor ids and why. */
  excluded: Array<{ sharedDataFile: string; sha256: string; flavors: string[]; reason: string }>;
  /** Repository path of the script that wrote the catalog. */
  generatedBy: string;
  /** Flavors per region. */
  counts: Record<string, number>;
}

const meta: RackspaceCatalogMeta = metaJson;

const source: CatalogSource = {
  kind: 'embedded',
  description:
    `imglint embedded Rackspace catalog: MIMIC flavor_details_json.py @${meta.source.commit.slice(0, 8)} ` +
    `(${meta.regions.join(', ')})`,
  dataAsOf: meta.dataAsOf,
};

/** The embedded Rackspace catalog, loaded. */
export interface RackspaceCatalog {
  /** Region -> its flavors (38 in IAD as of 2015-08-27), in the order Nova listed them. */
  readonly flavors: ReadonlyMap<string, readonly FlavorFacts[]>;
  /** `{ kind: 'embedded', description: 'imglint embedded Rackspace catalog: MIMIC ... (IAD)', dataAsOf }`. */
  readonly source: CatalogSource;
}

let catalog: Promise<RackspaceCatalog> | undefined;

/**
 * Loads the embedded Rackspace catalog on first call (the flavors are a dynamic JSON import, so a bundler can keep
 * them off the start-up path) and returns the same catalog afterwards. Data: MIMIC's canned Rackspace
 * `GET /flavors/detail` for IAD (Apache-2.0), as of {@link RackspaceCatalog.source}`.dataAsOf`.
 */
export function loadRackspaceCatalog(): Promise<RackspaceCatalog> {
  catalog ??= import('./rackspace/flavors.json', { with: { type: 'json' } }).then(({ default: file }: { default: unknown }) => ({
    flavors: new Map(Object.entries((file as RackspaceFlavorsFile).regions)),
    source,
  }));
  return catalog;
}

/** The catalog's spelling of `region` (matched case-insensitively), or a UsageError listing the regions it has. */
function catalogRegion(region: string): string {
  const wanted = region.toUpperCase();
  const found = meta.regions.find((known) => known === wanted);
  if (found !== undefined) return found;
  const have = meta.regions.join(', ');
  throw new UsageError(
    `The embedded Rackspace catalog has no flavors for region ${region}: it holds ${have} only (Nova flavor list captured ${meta.dataAsOf}).`,
    { hint: `Pass --region ${meta.regions[0]} with --offline, or run without --offline to ask ${region}'s Nova for its flavors.` },
  );
}

function flavorNotFound(unknown: readonly string[], region: string, suggest: ReturnType<typeof flavorSuggestions>): InputError {
  const hints = unknown.slice(0, MAX_SUGGESTED_REFS).flatMap((ref) => {
    const excluded = meta.excluded.find(({ flavors: ids }) => ids.includes(ref));
    if (excluded) return [`${ref} is left out of the catalog on purpose (${excluded.reason}).`];
    return suggest(ref, unknown.length > 1);
  });
  const label = unknown.length > 1 ? 'Unknown flavors' : 'Unknown flavor';
  return new InputError(
    'FlavorNotFound',
    `${label} ${listNames(unknown)}: not in imglint's embedded Rackspace catalog for ${region} (data as of ${meta.dataAsOf}).`,
    {
      hint: [
        ...hints,
        'Pass a flavor ID (general1-1) or name (1 GB General Purpose v1), or run without --offline to ask Nova ' +
          `(flavors added after ${meta.dataAsOf} are not in the catalog).`,
      ].join(' '),
    },
  );
}

/**
 * A {@link Provider} (id `rackspace`) for `--offline`: flavors from the embedded catalog ({@link loadRackspaceCatalog},
 * loaded on the first call that needs it), images only from `images` (the facts of the `--image-file`s the caller read).
 *
 * - The region is matched case-insensitively (`iad` is `IAD`); a region the catalog lacks is a `UsageError` listing the
 *   regions it has, thrown here.
 * - `describeMachineTypes` resolves each reference as a flavor id, else a name (exact, then ignoring case), and throws
 *   `InputError('FlavorNotFound')` naming every unknown one, with up to 3 close ids per reference as a hint.
 * - `describeImages` matches the file images by id, else by name; any other reference is a `UsageError` (offline
 *   mode cannot look images up), and a name shared by several file images is `InputError('AmbiguousImageName')`.
 * - `offeredMachineTypes` returns `undefined` (Nova lists only what a region offers); `candidateTypes` returns the
 *   region's flavors with the catalog's source.
 */
export function createEmbeddedRackspaceProvider(options: { region: string; images?: readonly OpenStackImageFacts[] }): Provider {
  const region = catalogRegion(options.region);
  const images = options.images ?? [];
  // meta.json lists exactly the regions of flavors.json: the generator writes both.
  const regionFlavors = async () => (await loadRackspaceCatalog()).flavors.get(region)!;

  return {
    id: 'rackspace',
    catalogSource: source,
    region: () => Promise.resolve(region),

    async describeImages(refs) {
      return fileImagesOrThrow(findFileImages(images, refs), (missing) => {
        const what = `${missing.join(', ')}: the embedded Rackspace catalog holds flavors, not images`;
        return new UsageError(`Offline mode cannot look up ${what}.`, {
          hint:
            `Save the image with \`openstack image show -f json "${missing[0]}" > image.json\` and pass it with --image-file, ` +
            'or run without --offline.',
        });
      });
    },

    async describeMachineTypes(refs) {
      const flavors = await regionFlavors();
      const found = new Map<string, FlavorFacts>();
      const unknown: string[] = [];
      for (const ref of new Set(refs)) {
        const flavor = findFlavor(flavors, ref);
        if (flavor) found.set(ref, flavor);
        else unknown.push(ref);
      }
      if (unknown.length > 0) {
        const suggest = flavorSuggestions(unknown, flavors);
        throw unknownReferencesError(unknown, found, (refs) => flavorNotFound(refs, region, suggest));
      }
      return found;
    },

    offeredMachineTypes: () => Promise.resolve(undefined),

    async candidateTypes() {
      return { types: await regionFlavors(), offered: undefined, source };
    },
  };
}
