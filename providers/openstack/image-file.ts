import { InputError } from '../../src/errors.js';
import { parseJsonText, readTextFile, type FileErrors } from '../../src/input/json-file.js';
import type { OpenStackImageFacts } from '../../src/model/index.js';
import { documentItems } from './document-items.js';
import { imageFactsFromGlance, imageFactsFromNova, type OpenStackProviderId, type RawOrigin } from './normalize.js';

/**
 * `--image-file` for Rackspace and OpenStack: Glance images described in a file instead of fetched, so a check can
 * run offline, without credentials, or before the image exists. Accepted documents:
 * - what `openstack image show -f json <image>` prints: one Glance v2 image, custom properties under `properties`;
 * - Glance v2 API JSON: one image (`GET /v2/images/{id}`, properties at the top level) or `{"images": [...]}`
 *   (`GET /v2/images`);
 * - Nova API JSON: `{"image": {...}}` (`GET /images/{id}`) or `{"images": [...]}` (`GET /images/detail`), properties
 *   under `metadata`.
 * Each image is read as Nova's shape when it has `minRam`, `minDisk` or an object `metadata`, else as Glance's.
 */

const FILE_ERRORS: FileErrors = {
  unreadable: 'UnreadableImageFile',
  malformed: 'MalformedImageFile',
  what: 'the image file',
  hint: 'save the output of `openstack image show -f json <image>` (or the API response) to a file, unchanged, and pass its path',
};

const SHAPES_HINT =
  'the file must hold what `openstack image show -f json` prints, a Glance v2 image or {"images": [...]}, ' +
  'or Nova\'s {"image": {...}} or {"images": [...]} (from /images/detail)';

/**
 * Reads and validates an OpenStack image file.
 *
 * @param path - the file, as the user wrote it (used verbatim in messages).
 * @param provider - `rackspace` or `openstack`; copied into the facts.
 * @returns facts for every image in the file, in file order (at least one). `region` is unset: the file does not say.
 * @throws InputError `UnreadableImageFile` (cannot read), or anything {@link parseOpenStackImageDocument} throws.
 */
export async function readOpenStackImageFile(path: string, provider: OpenStackProviderId): Promise<OpenStackImageFacts[]> {
  const text = await readTextFile(path, FILE_ERRORS);
  return parseOpenStackImageDocument(text, path, provider);
}

/**
 * Parses the text of an OpenStack image file (pure: no I/O). A leading byte-order mark is ignored.
 *
 * @param text - the file's content (see the module comment for the accepted documents).
 * @param path - the file name to put in messages.
 * @param provider - `rackspace` or `openstack`; copied into the facts.
 * @returns facts for every image (at least one), in document order; units as in `OpenStackImageFacts`
 *   (`minRamMiB` MiB, `minDiskGiB` GiB, `sizeBytes` bytes).
 * @throws InputError `MalformedImageFile` (not JSON: the message gives line and column),
 *   `InvalidImageFile` (JSON that is not one of the accepted documents; the message names the offending field, e.g.
 *   `image.json: images[0].min_disk: expected int (got "40")`), `EmptyImageFile` (`"images": []`).
 */
export function parseOpenStackImageDocument(text: string, path: string, provider: OpenStackProviderId): OpenStackImageFacts[] {
  const items = documentItems(parseJsonText(text, path, FILE_ERRORS), { one: 'image', many: 'images' }, {
    invalid: (detail) => new InputError('InvalidImageFile', `${path}: ${detail}`, { hint: SHAPES_HINT }),
    empty: () =>
      new InputError('EmptyImageFile', `${path}: "images" is empty: no image to check`, {
        hint: 'the listing matched no image: check the image ID or name, and the region it was run in',
      }),
  });
  return items.map(({ raw, at }) => imageFacts(raw, provider, { source: 'file', path, ...(at && { at }) }));
}

function imageFacts(raw: unknown, provider: OpenStackProviderId, origin: RawOrigin): OpenStackImageFacts {
  const isNova = isObject(raw) && ('minRam' in raw || 'minDisk' in raw || isObject(raw.metadata));
  return isNova ? imageFactsFromNova(raw, provider, undefined, origin) : imageFactsFromGlance(raw, provider, undefined, origin);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
