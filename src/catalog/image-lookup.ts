import { InputError } from '../errors.js';
import type { ImageFacts } from '../model/index.js';

/**
 * The `--image-file` images that image references name, as the offline providers (the embedded Rackspace catalog,
 * snapshots) resolve them: each reference is the first image whose id is `ref`, else the one whose name is `ref`.
 *
 * @param options.names - `false`: ids only (AWS, whose image references are AMI IDs); default `true`.
 * @returns `found`: reference -> image, each distinct reference once; `missing`: the references no image answers to,
 *   in order (the caller says why it cannot look them up).
 * @throws InputError `AmbiguousImageName` when no id is a reference and several images are named it.
 */
export function findFileImages(
  images: readonly ImageFacts[],
  refs: readonly string[],
  { names = true }: { names?: boolean } = {},
): { found: Map<string, ImageFacts>; missing: string[] } {
  const found = new Map<string, ImageFacts>();
  const missing: string[] = [];
  for (const ref of new Set(refs)) {
    const byId = images.find((image) => image.id === ref);
    const matches = byId ? [byId] : names ? images.filter((image) => image.name === ref) : [];
    if (matches.length > 1) {
      const ids = matches.map((image) => image.id).join(', ');
      throw new InputError('AmbiguousImageName', `${matches.length} images in --image-file are named "${ref}": ${ids}.`, {
        hint: 'Pass the image ID instead of its name.',
      });
    }
    if (matches[0]) found.set(ref, matches[0]);
    else missing.push(ref);
  }
  return { found, missing };
}
