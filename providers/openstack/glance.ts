import * as z from 'zod/mini';
import { ProviderApiError } from '../../src/errors.js';
import { isNotFound, OpenStackHttpError } from './http.js';
import type { RawRecord } from './nova.js';
import type { OpenStackSession } from './session.js';

/**
 * Glance v2 (Rackspace Cloud Images) reads. An image is a flat object: Rackspace's properties (`flavor_classes`,
 * `vm_mode`, `auto_disk_config`, ...) are top-level keys next to `min_ram`, `min_disk`, `size`, `status`.
 * Results are raw, checked only for the envelope and an `id`; `normalize.ts` turns them into facts.
 *
 * Sources: Rackspace Cloud Images API (rackerlabs/docs-cloud-images @ 7a106b00: `api-reference/methods/
 * get-get-image-details-images-image-id.rst`, `get-list-images-images.rst`: `next`/`first` links, `name=` filter);
 * OpenStack Image API v2 reference (docs.openstack.org/api-ref/image/v2/: "Show image", "List images", the `next`
 * link is a path from the API root, e.g. `/v2/images?marker=...`).
 */

/** The part of a session the Glance calls use (easy to fake). */
export type GlanceSession = Pick<OpenStackSession, 'imageUrl' | 'getJson' | 'region'>;

const GlanceImage = z.looseObject({ id: z.string() });
const GlanceImagePage = z.object({ images: z.array(GlanceImage), next: z.optional(z.string()) });

/**
 * The Glance API root for a catalog URL: trailing slashes and a trailing version segment (`/v2`, `/v2.1`, `/v1`)
 * removed. `https://iad.images.api.rackspacecloud.com/v2` → `https://iad.images.api.rackspacecloud.com`;
 * `http://203.0.113.5/image/` → `http://203.0.113.5/image`.
 *
 * @param endpoint - the image endpoint from the service catalog.
 * @returns the root, to which `/v2/images...` paths (and Glance's `next` links) are appended.
 */
export function glanceRoot(endpoint: string): string {
  return endpoint.replace(/\/+$/, '').replace(/\/v\d+(\.\d+)?$/, '');
}

/**
 * One image: `GET {root}/v2/images/{id}` (the image object itself, no envelope).
 *
 * @param session - endpoints and authenticated reads.
 * @param id - the image id (a UUID).
 * @returns the raw image, or `undefined` when Glance answers 404.
 * @throws ProviderApiError `ServiceNotFound` when the catalog has no image service in the region; the session's
 *   errors other than 404.
 */
export async function getGlanceImage(session: GlanceSession, id: string): Promise<RawRecord | undefined> {
  const root = await requireGlanceRoot(session);
  try {
    return await session.getJson(`${root}/v2/images/${encodeURIComponent(id)}`, GlanceImage);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * Images with exactly this name: `GET {root}/v2/images?name=...` (see {@link listGlanceImages}).
 *
 * @param session - endpoints and authenticated reads.
 * @param name - the exact image name.
 * @returns the raw images (empty when none has the name).
 * @throws as {@link listGlanceImages}.
 */
export function findGlanceImagesByName(session: GlanceSession, name: string): Promise<RawRecord[]> {
  return listGlanceImages(session, { name });
}

/**
 * Images matching Glance list filters (`name`, `owner`, `visibility`, ...): `GET {root}/v2/images?...`, following
 * `next` (a path from the API root that carries the filters and the marker) until there is none.
 *
 * @param session - endpoints and authenticated reads.
 * @param filters - Glance v2 list filters, as query parameters.
 * @returns the raw images, in API order.
 * @throws as {@link getGlanceImage}, plus `MalformedResponse` when a `next` link repeats.
 */
export async function listGlanceImages(session: GlanceSession, filters: Record<string, string>): Promise<RawRecord[]> {
  const root = await requireGlanceRoot(session);
  const images: RawRecord[] = [];
  const seen = new Set<string>();
  let url: string | undefined = `${root}/v2/images?${new URLSearchParams(filters)}`;
  while (url !== undefined) {
    if (seen.has(url)) {
      throw new OpenStackHttpError('MalformedResponse', `paging does not advance at ${url}`, {
        url,
        hint: 'Glance returned the same next link twice',
      });
    }
    seen.add(url);
    const page: z.infer<typeof GlanceImagePage> = await session.getJson(url, GlanceImagePage);
    images.push(...page.images);
    url = page.next === undefined || page.images.length === 0 ? undefined : resolveNext(root, page.next);
  }
  return images;
}

/** Glance's `next` is a path from the API root (`/v2/images?marker=...`); an absolute URL is taken as it is. */
function resolveNext(root: string, next: string): string {
  return /^https?:\/\//i.test(next) ? next : `${root}/${next.replace(/^\/+/, '')}`;
}

async function requireGlanceRoot(session: GlanceSession): Promise<string> {
  const endpoint = await session.imageUrl();
  if (endpoint === undefined) {
    throw new ProviderApiError('ServiceNotFound', `the service catalog has no image (Glance) endpoint in ${session.region}`, {
      hint: "use Nova's image proxy (compute /images) for this region",
    });
  }
  return glanceRoot(endpoint);
}
