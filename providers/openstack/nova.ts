import pLimit from 'p-limit';
import * as z from 'zod/mini';
import { isNotFound, OpenStackHttpError } from './http.js';
import type { OpenStackSession } from './session.js';

/**
 * Nova (compute API v2 / v2.1) reads: flavors with their inline extra_specs, and images through Nova's image proxy.
 * Results are the raw JSON objects, checked only for their envelope and an `id`; `normalize.ts` turns them into
 * facts.
 *
 * Sources: Rackspace Cloud Servers API (rackerlabs/docs-cloud-servers @ 2f6c24cf: `api-reference/methods/
 * get-*-flavors-*`, `extensions/ext-flavors-os-extra-specs.rst`, `ext-flavors-extra-specs.rst`, images
 * `get-list-images-with-details-images-detail.rst`); OpenStack compute API reference (docs.openstack.org/
 * api-ref/compute/: "List Flavors With Details", "List Images With Details", "Show Image Details"; paging by `limit`/`marker` with `*_links` rel `next`).
 */

/** A raw API object: the fields as the API sent them, with at least a string `id`. */
export type RawRecord = { id: string } & Record<string, unknown>;

/** The part of a session the Nova calls use (easy to fake). */
export type NovaSession = Pick<OpenStackSession, 'computeUrl' | 'getJson'>;

const Item = z.looseObject({ id: z.string() });
const Links = z.optional(z.array(z.looseObject({ rel: z.string(), href: z.string() })));
const FlavorPage = z.object({ flavors: z.array(Item), flavors_links: Links });
const ImagePage = z.object({ images: z.array(Item), images_links: Links });
const ImageEnvelope = z.object({ image: Item });
const ExtraSpecs = z.object({ extra_specs: z.record(z.string(), z.string()) });

/**
 * Upstream Nova lists extra specs with the flavors only from compute microversion 2.61 (Rocky) on; both headers are
 * sent, the second for clouds older than 2.27.
 */
const EXTRA_SPECS_MICROVERSION = { 'openstack-api-version': 'compute 2.61', 'x-openstack-nova-api-version': '2.61' };
/** Parallel `os-extra_specs` reads on clouds older than 2.61. */
const EXTRA_SPECS_CONCURRENCY = 8;

/**
 * Every flavor of the region with details and extra specs: `GET {compute}/flavors/detail`, following the
 * `flavors_links` `next` link's `marker`/`limit` on the session's own endpoint (next links can name an internal
 * host). Rackspace inlines extra_specs under `OS-FLV-WITH-EXT-SPECS:extra_specs`. Generic OpenStack is asked for
 * compute microversion 2.61, which adds `extra_specs`; a cloud that refuses it (406: older than Rocky) is listed
 * without, and each flavor's `GET {compute}/flavors/{id}/os-extra_specs` is read (8 at a time), so that the `hw:*`
 * checks never run on specs they were not given.
 *
 * @param session - endpoints and authenticated reads.
 * @param provider - `rackspace` (inline extra specs, no microversions) or `openstack`.
 * @returns the raw flavor objects, in API order.
 * @throws the session's errors; `MalformedResponse` when the envelope is wrong or the paging does not advance.
 */
export async function listFlavors(session: NovaSession, provider: 'rackspace' | 'openstack' = 'rackspace'): Promise<RawRecord[]> {
  const list = (headers?: Readonly<Record<string, string>>) =>
    listPages(session, '/flavors/detail', new URLSearchParams(), async (url) => {
      const page = await session.getJson(url, FlavorPage, headers ? { headers } : undefined);
      return { items: page.flavors, links: page.flavors_links };
    });
  if (provider === 'rackspace') return list();
  try {
    return await list(EXTRA_SPECS_MICROVERSION);
  } catch (error) {
    if (!(error instanceof OpenStackHttpError && error.status === 406)) throw error;
  }
  const base = await session.computeUrl();
  const limit = pLimit(EXTRA_SPECS_CONCURRENCY);
  return Promise.all(
    (await list()).map((flavor) =>
      'extra_specs' in flavor || 'OS-FLV-WITH-EXT-SPECS:extra_specs' in flavor
        ? flavor
        : limit(async () => {
            const specs = await session.getJson(`${base}/flavors/${encodeURIComponent(flavor.id)}/os-extra_specs`, ExtraSpecs);
            return { ...flavor, extra_specs: specs.extra_specs };
          }),
    ),
  );
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
