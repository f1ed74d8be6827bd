import { unknownReferencesError, type Provider } from '../../providers/provider.js';
import { InputError, UsageError } from '../errors.js';
import type { CatalogSource, FlavorFacts, ImageFacts, ProviderId } from '../model/index.js';
import { listNames } from './close-matches.js';
import { findFlavor, flavorSuggestions } from './flavor-lookup.js';
import { fileImagesOrThrow, findFileImages } from './image-lookup.js';

/** Flavors read from `--flavor-file`s (and manifest `flavorFile:`s), and the files they came from. */
export interface FileFlavors {
  /** The files, as the user named them (for messages and the report's catalog line). */
  files: readonly string[];
  /** Every flavor of the files, in file order; the first of several with one id or name answers for it. */
  flavors: readonly FlavorFacts[];
}

/** `{ kind: 'file', description: 'flavor files: a.json, b.json' }`: the report's catalog line for flavors from files. */
export function flavorFileSource(files: readonly string[]): CatalogSource {
  return { kind: 'file', description: `${files.length > 1 ? 'flavor files' : 'flavor file'} ${files.join(', ')}` };
}

/**
 * The flavor a reference names among flavors read from files, as Nova resolves a `flavorRef` and the CLI a flavor
 * name: the first whose id is `ref` (exactly), else the first named `ref`, else the first named `ref` ignoring case.
 */
export function findFileFlavor(flavors: readonly FlavorFacts[], ref: string): FlavorFacts | undefined {
  return findFlavor(flavors, ref, { ids: 'exact' });
}

/**
 * A {@link Provider} for an offline check of a generic OpenStack cloud, which has no embedded catalog: flavors only
 * from `flavors` (the `--flavor-file`s), images only from `images` (the `--image-file`s). Nothing is guessed:
 *
 * - `describeMachineTypes` resolves references with {@link findFileFlavor} and throws `InputError('FlavorNotFound')`
 *   naming every flavor no file describes, with close names as a hint.
 * - `describeImages` matches file images by id, else name; any other reference is a `UsageError` (offline runs cannot
 *   look images up).
 * - `offeredMachineTypes` is `undefined` (Nova lists only what a region offers); `candidateTypes` is every flavor of the
 *   files (the catalog fix hints draw on: a file of `openstack flavor list` output, `{"flavors": [...]}`, makes it the
 *   cloud's).
 * - `region` is the one given, else `OS_REGION_NAME`, else `(region not given)`: flavors from files do not depend on it.
 * - `catalogSource` is {@link flavorFileSource}.
 */
export function createFlavorFileProvider(options: {
  provider: Extract<ProviderId, 'openstack' | 'rackspace'>;
  region: string | undefined;
  flavors: FileFlavors;
  images?: readonly ImageFacts[];
}): Provider {
  const { files, flavors } = options.flavors;
  const region = options.region || process.env.OS_REGION_NAME || '(region not given)';
  const source = flavorFileSource(files);
  const images = options.images ?? [];

  function notFound(unknown: readonly string[], suggest: ReturnType<typeof flavorSuggestions>): InputError {
    const noun = unknown.length > 1 ? 'flavors' : 'flavor';
    return new InputError(
      'FlavorNotFound',
      `Unknown ${noun} ${listNames(unknown)}: in no --flavor-file (${files.join(', ')}), and imglint has no embedded catalog for generic OpenStack clouds.`,
      {
        hint: [
          ...unknown.flatMap((ref) => suggest(ref, unknown.length > 1)),
          `Save the flavor with \`openstack flavor show -f json "${unknown[0]}" > flavor.json\` and pass it with --flavor-file, or run without --offline.`,
        ].join(' '),
      },
    );
  }

  return {
    id: options.provider,
    catalogSource: source,
    region: () => Promise.resolve(region),

    async describeImages(refs) {
      return fileImagesOrThrow(findFileImages(images, refs), (missing) =>
        new UsageError(`Offline mode cannot look up ${missing.join(', ')}: imglint has no embedded catalog of images.`, {
          hint: `Save the image with \`openstack image show -f json "${missing[0]}" > image.json\` and pass it with --image-file, or run without --offline.`,
        }),
      );
    },

    async describeMachineTypes(refs) {
      const found = new Map<string, FlavorFacts>();
      const unknown: string[] = [];
      for (const ref of new Set(refs)) {
        const flavor = findFileFlavor(flavors, ref);
        if (flavor) found.set(ref, flavor);
        else unknown.push(ref);
      }
      if (unknown.length > 0) {
        const suggest = flavorSuggestions(unknown, flavors);
        throw unknownReferencesError(unknown, found, (refs) => notFound(refs, suggest));
      }
      return found;
    },

    offeredMachineTypes: () => Promise.resolve(undefined),

    async candidateTypes() {
      return { types: flavors, offered: undefined, source };
    },
  };
}
