import { InputError } from '../../src/errors.js';
import { parseJsonText, readTextFile, type FileErrors } from '../../src/input/json-file.js';
import type { FlavorFacts } from '../../src/model/index.js';
import { documentItems } from './document-items.js';
import { flavorFactsFromNova, type OpenStackProviderId } from './normalize.js';

/**
 * `--flavor-file` (and a manifest's `flavorFile:`): Nova flavors described in a file instead of fetched, so a check can
 * run offline, without credentials, or before the flavor exists. Accepted documents:
 * - what `openstack flavor show -f json <flavor>` prints: one flavor, extra specs under `properties` (an object, or
 *   the `key='value', ...` string of older clients);
 * - Nova API JSON: one flavor (an item of `GET /flavors/detail`), `{"flavor": {...}}` (`GET /flavors/{id}`) or
 *   `{"flavors": [...]}` (`GET /flavors/detail`), extra specs under `extra_specs` (microversion 2.61 and later) or
 *   `OS-FLV-WITH-EXT-SPECS:extra_specs` (Rackspace).
 * A flavor without any of these has no extra specs: nothing is assumed about specs the file does not show.
 */

const FILE_ERRORS: FileErrors = {
  unreadable: 'UnreadableFlavorFile',
  malformed: 'MalformedFlavorFile',
  what: 'the flavor file',
  hint: 'save the output of `openstack flavor show -f json <flavor>` (or the Nova API response) to a file, unchanged, and pass its path',
};

const SHAPES_HINT =
  'the file must hold what `openstack flavor show -f json` prints, a Nova flavor, {"flavor": {...}} (from /flavors/{id}) ' +
  'or {"flavors": [...]} (from /flavors/detail)';

/**
 * Reads and validates a flavor file.
 *
 * @param path - the file, as the user wrote it (used verbatim in messages).
 * @param provider - `rackspace` or `openstack`; copied into the facts.
 * @returns facts for every flavor in the file, in file order (at least one).
 * @throws InputError `UnreadableFlavorFile` (cannot read), or anything {@link parseOpenStackFlavorDocument} throws.
 */
export async function readOpenStackFlavorFile(path: string, provider: OpenStackProviderId): Promise<FlavorFacts[]> {
  return parseOpenStackFlavorDocument(await readTextFile(path, FILE_ERRORS), path, provider);
}

/**
 * Parses the text of a flavor file (pure: no I/O). A leading byte-order mark is ignored.
 *
 * @param text - the file's content (see the module comment for the accepted documents).
 * @param path - the file name to put in messages.
 * @param provider - `rackspace` or `openstack`; copied into the facts.
 * @returns facts for every flavor (at least one), in document order; units as in `FlavorFacts` (`memoryMiB` MiB,
 *   `diskGiB` and `ephemeralGiB` GiB).
 * @throws InputError `MalformedFlavorFile` (not JSON: the message gives line and column), `InvalidFlavorFile` (JSON
 *   that is not one of the accepted documents; the message names the offending field, e.g.
 *   `flavor.json: flavors[1].ram: expected a number >= 0 (got -1)`), `EmptyFlavorFile` (`"flavors": []`).
 */
export function parseOpenStackFlavorDocument(text: string, path: string, provider: OpenStackProviderId): FlavorFacts[] {
  const items = documentItems(parseJsonText(text, path, FILE_ERRORS), { one: 'flavor', many: 'flavors' }, {
    invalid: (detail) => new InputError('InvalidFlavorFile', `${path}: ${detail}`, { hint: SHAPES_HINT }),
    empty: () =>
      new InputError('EmptyFlavorFile', `${path}: "flavors" is empty: no flavor to check`, {
        hint: 'the listing held no flavor: check the project and region it was run in (private flavors are listed only to projects with access)',
      }),
  });
  return items.map(({ raw, at }) => flavorFactsFromNova(raw, provider, { source: 'file', path, ...(at && { at }) }));
}
