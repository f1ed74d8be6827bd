import * as z from 'zod/mini';
import { isNotFound, OpenStackHttpError } from './http.js';
import type { OpenStackSession } from './session.js';

/**
 * Nova (compute API v2 / v2.1) reads: flavors with their extra_specs, and images through Nova's image proxy.
 * Results are the raw JSON objects, checked only for their envelope and an `id`; `normalize.ts` turns them into
 * facts.
 *
 * Sources: Rackspace Cloud Servers API (rackerlabs/docs-cloud-servers @ 2f6c24cf: `api-reference/methods/
 * get-*-flavors-*`, `extensions/ext-flavors-os-extra-specs.rst`, `ext-flavors-extra-specs.rst`, images
 * `get-list-images-with-details-images-detail.rst`); OpenStack compute API reference (docs.openstack.org/
 * api-ref/compute/: "List Flavors With Details", "Show Flavor Details", "List Extra Specs For A Flavor",
 * "List Images With Details", "Show Image Details"; paging by `limit`/`marker` with `*_links` rel `next`).
 */

/** A raw API object: the fields as the API sent them, with at least a string `id`. */
export type RawRecord = { id: string } & Record<string, unknown>;

/** The part of a session the Nova calls use (easy to fake). */
export type NovaSession = Pick<OpenStackSession, 'computeUrl' | 'getJson'>;

/**
 * Key under which Rackspace's Nova (and the `OS-FLV-WITH-EXT-SPECS` extension) inlines a flavor's extra_specs;
 * {@link getFlavor} puts fetched extra_specs here too, so callers read one place.
 */
export const INLINE_EXTRA_SPECS_KEY = 'OS-FLV-WITH-EXT-SPECS:extra_specs';

const Item = z.looseObject({ id: z.string() });
const Links = z.optional(z.array(z.looseObject({ rel: z.string(), href: z.string() })));
const FlavorPage = z.object({ flavors: z.array(Item), flavors_links: Links });
const FlavorEnvelope = z.object({ flavor: Item });
const ExtraSpecsEnvelope = z.object({ extra_specs: z.record(z.string(), z.unknown()) });
const ImagePage = z.object({ images: z.array(Item), images_links: Links });
const ImageEnvelope = z.object({ image: Item });

/**
 * Every flavor of the region with details: `GET {compute}/flavors/detail`, following the `flavors_links` `next`
 * link's `marker`/`limit` on the session's own endpoint (next links can name an internal host). Rackspace inlines
 * extra_specs under {@link INLINE_EXTRA_SPECS_KEY}; clouds that do not are not asked per flavor here (use
 * {@link getFlavor} for one flavor).
 *
 * @param session - endpoints and authenticated reads.
 * @returns the raw flavor objects, in API order.
 * @throws the session's errors; `MalformedResponse` when the envelope is wrong or the paging does not advance.
 */
export async function listFlavors(session: NovaSession): Promise<RawRecord[]> {
  return listPages(session, '/flavors/detail', new URLSearchParams(), async (url) => {
    const page = await session.getJson(url, FlavorPage);
    return { items: page.flavors, links: page.flavors_links };
  });
}

/**
 * One flavor: `GET {compute}/flavors/{id}`, plus `GET {compute}/flavors/{id}/os-extra_specs` when the flavor has no
 * inline extra_specs (neither {@link INLINE_EXTRA_SPECS_KEY} nor microversion 2.61's `extra_specs`); the fetched
 * specs are stored under {@link INLINE_EXTRA_SPECS_KEY}. A 404 on os-extra_specs (extension absent) leaves them out.
 *
 * @param session - endpoints and authenticated reads.
 * @param id - the flavor id (a string: `"2"`, `"general1-1"`).
 * @returns the raw flavor, or `undefined` when Nova answers 404.
 * @throws the session's errors other than 404.
 */
export async function getFlavor(session: NovaSession, id: string): Promise<RawRecord | undefined> {
  const base = await session.computeUrl();
  const flavor = await unlessNotFound(() => session.getJson(`${base}/flavors/${encodeURIComponent(id)}`, FlavorEnvelope));
  if (flavor === undefined) return undefined;
  const raw: RawRecord = flavor.flavor;
  if (INLINE_EXTRA_SPECS_KEY in raw || 'extra_specs' in raw) return raw;
  const specs = await getFlavorExtraSpecs(session, raw.id);
  return specs === undefined ? raw : { ...raw, [INLINE_EXTRA_SPECS_KEY]: specs };
}

/**
 * A flavor's extra_specs: `GET {compute}/flavors/{id}/os-extra_specs` → `{"extra_specs": {...}}`. Values are
 * strings in every Nova (`"disk_io_index": "40"`), typed loosely here.
 *
 * @param session - endpoints and authenticated reads.
 * @param id - the flavor id.
 * @returns the specs, or `undefined` on 404 (no such flavor, or the extension is not deployed).
 */
export async function getFlavorExtraSpecs(
  session: NovaSession,
  id: string,
): Promise<Record<string, unknown> | undefined> {
  const base = await session.computeUrl();
  const url = `${base}/flavors/${encodeURIComponent(id)}/os-extra_specs`;
  return (await unlessNotFound(() => session.getJson(url, ExtraSpecsEnvelope)))?.extra_specs;
}

/**
 * One image through Nova's proxy: `GET {compute}/images/{id}` → `{"image": {...}}` (`minRam`, `minDisk`,
 * `OS-EXT-IMG-SIZE:size`, `metadata{}`). The proxy is gone from compute microversion 2.36 on; Rackspace's Nova
 * (no microversions) has it.
 *
 * @param session - endpoints and authenticated reads.
 * @param id - the image id (a UUID).
 * @returns the raw image, or `undefined` when Nova answers 404.
 */
export async function getNovaImage(session: NovaSession, id: string): Promise<RawRecord | undefined> {
  const base = await session.computeUrl();
  return (await unlessNotFound(() => session.getJson(`${base}/images/${encodeURIComponent(id)}`, ImageEnvelope)))
    ?.image;
}

/**
 * Images with exactly this name: `GET {compute}/images/detail?name=...`, all pages.
 *
 * @param session - endpoints and authenticated reads.
 * @param name - the exact image name.
 * @returns the raw images (empty when none has the name).
 */
export async function findNovaImagesByName(session: NovaSession, name: string): Promise<RawRecord[]> {
  return listPages(session, '/images/detail', new URLSearchParams({ name }), async (url) => {
    const page = await session.getJson(url, ImagePage);
    return { items: page.images, links: page.images_links };
  });
}

async function unlessNotFound<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * Reads `{compute}{path}?{query}` and its next pages. Each next page is the same path on the session's endpoint
 * with the `next` link's query (`marker`, `limit`) merged over the original query.
 */
async function listPages(
  session: NovaSession,
  path: string,
  query: URLSearchParams,
  readPage: (url: string) => Promise<{ items: RawRecord[]; links?: { rel: string; href: string }[] | undefined }>,
): Promise<RawRecord[]> {
  const base = await session.computeUrl();
  const items: RawRecord[] = [];
  const seen = new Set<string>();
  let current: URLSearchParams | undefined = query;
  while (current !== undefined) {
    const search = current.toString();
    const url = `${base}${path}${search ? `?${search}` : ''}`;
    if (seen.has(url)) {
      throw new OpenStackHttpError('MalformedResponse', `paging does not advance at ${url}`, {
        url,
        hint: 'the API returned the same next link twice',
      });
    }
    seen.add(url);
    const { items: pageItems, links } = await readPage(url);
    items.push(...pageItems);
    const next = links?.find((link) => link.rel === 'next')?.href;
    current = next === undefined || pageItems.length === 0 ? undefined : mergedQuery(query, next);
  }
  return items;
}

function mergedQuery(original: URLSearchParams, nextHref: string): URLSearchParams {
  const merged = new URLSearchParams(original);
  for (const [key, value] of new URL(nextHref, 'http://next.invalid/').searchParams) merged.set(key, value);
  return merged;
}
