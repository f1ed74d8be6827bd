import type { InputError } from '../../src/errors.js';
import { describeValue } from '../../src/model/zod-issues.js';

/** One object of an OpenStack JSON document and its place in it (`['images', 2]`; none for the document itself). */
export interface DocumentItem {
  raw: unknown;
  at?: readonly PropertyKey[];
}

/**
 * The objects an OpenStack JSON document holds, as the APIs and the CLI write them: a listing (`{"images": [...]}`,
 * `GET /images/detail`), a wrapper (`{"image": {...}}`, `GET /images/{id}`), or the object itself (`openstack ... show
 * -f json`, Glance's `GET /v2/images/{id}`). An object always has an `id`; a listing or a wrapper never does.
 *
 * @param names - the document's keys: `{ one: 'image', many: 'images' }`.
 * @param errors - `invalid(detail)`: the error for a document of another shape; `empty()`: for an empty listing.
 * @returns the objects, in document order (at least one), not yet validated.
 * @throws what `errors` build.
 */
export function documentItems(
  document: unknown,
  names: { one: string; many: string },
  errors: { invalid: (detail: string) => InputError; empty: () => InputError },
): DocumentItem[] {
  if (!isObject(document)) {
    const article = /^[aeiou]/.test(names.one) ? 'an' : 'a';
    throw errors.invalid(`expected an object (${article} ${names.one}, {"${names.many}": [...]} or {"${names.one}": {...}}), got ${describeValue(document)}`);
  }
  if (!('id' in document) && names.many in document) {
    const list = document[names.many];
    if (!Array.isArray(list)) throw errors.invalid(`${names.many}: expected array (got ${describeValue(list)})`);
    if (list.length === 0) throw errors.empty();
    return list.map((raw: unknown, index) => ({ raw, at: [names.many, index] }));
  }
  if (!('id' in document) && names.one in document) return [{ raw: document[names.one], at: [names.one] }];
  return [{ raw: document }];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
