import { withUnknownReferences } from '../../providers/provider.js';
import { InputError, type ImglintError } from '../errors.js';
import type { ImageFacts } from '../model/index.js';

/**
 * The `--image-file` images that image references name, as the offline providers (the embedded Rackspace catalog,
 * snapshots) resolve them: each reference is the first image whose id is `ref`, else the one whose name is `ref`.
 *
 * @param options.names - `false`: ids only (AWS, whose image references are AMI IDs); default `true`.
 * @returns `found`: reference -> image, each distinct reference once; `missing`: the references no image answers to,
 *   in order (the caller says why it cannot look them up); `ambiguous`: reference -> InputError `AmbiguousImageName`
 *   when no id is the reference and several images are named it.
 */
export function findFileImages(
  images: readonly ImageFacts[],
  refs: readonly string[],
  { names = true }: { names?: boolean } = {},
): { found: Map<string, ImageFacts>; missing: string[]; ambiguous: Map<string, InputError> } {
  const found = new Map<string, ImageFacts>();
  const missing: string[] = [];
  const ambiguous = new Map<string, InputError>();
  for (const ref of new Set(refs)) {
    const byId = images.find((image) => image.id === ref);
    const matches = byId ? [byId] : names ? images.filter((image) => image.name === ref) : [];
    if (matches.length > 1) {
      const ids = matches.map((image) => image.id).join(', ');
      ambiguous.set(ref, new InputError('AmbiguousImageName', `${matches.length} images in --image-file are named "${ref}": ${ids}.`, {
        hint: 'Pass the image ID instead of its name.',
      }));
      continue;
    }
    if (matches[0]) found.set(ref, matches[0]);
    else missing.push(ref);
  }
  return { found, missing, ambiguous };
}

/**
 * The images of a {@link findFileImages} lookup, or the error for the references it could not answer: the first
 * `AmbiguousImageName`, else `missingError(missing)`; either way carrying each unknown reference's own error and the
 * images found (see `withUnknownReferences`), so one target's bad reference fails that target only.
 */
export function fileImagesOrThrow(
  lookup: ReturnType<typeof findFileImages>,
  missingError: (refs: readonly string[]) => ImglintError,
): Map<string, ImageFacts> {
  const { found, missing, ambiguous } = lookup;
  if (missing.length === 0 && ambiguous.size === 0) return found;
  const unknown = new Map<string, ImglintError>([...ambiguous, ...missing.map((ref) => [ref, missingError([ref])] as const)]);
  const first = ambiguous.values().next().value ?? missingError(missing);
  throw withUnknownReferences(first, unknown, found);
}
