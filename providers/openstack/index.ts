import { listNames } from '../../src/catalog/close-matches.js';
import { findFlavor, flavorSuggestions } from '../../src/catalog/flavor-lookup.js';
import { ImglintError, InputError } from '../../src/errors.js';
import type { CatalogSource, FlavorFacts, ImageFacts, OpenStackImageFacts } from '../../src/model/index.js';
import { DEFAULT_PROVIDER_TIMEOUT_MS, unknownReferencesError, withUnknownReferences, type Provider } from '../provider.js';
import { resolveOpenStackConfig, type OpenStackProviderId } from './config.js';
import { findGlanceImagesByName, getGlanceImage, listGlanceImages } from './glance.js';
import { findNovaImagesByName, getNovaImage, listFlavors, type RawRecord } from './nova.js';
import { createOpenStackHttp } from './http.js';
import { flavorFactsFromNova, imageFactsFromGlance, imageFactsFromNova } from './normalize.js';
import { createOpenStackSession, type OpenStackSession } from './session.js';

/** Options for {@link createOpenStackProvider}. */
export interface OpenStackProviderOptions {
  provider: OpenStackProviderId;
  /** `--region`; default `OS_REGION_NAME` (and `RAX_REGION` on Rackspace) or the cloud's clouds.yaml entry. */
  region?: string;
  /** Images read from `--image-file`, matched by ID or name before asking Glance. */
  fileImages?: readonly OpenStackImageFacts[];
  /** A session to use instead of one built from the environment (tests, library users). */
  session?: OpenStackSession;
  /** Environment to read `OS_*` / `RAX_*` from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /**
   * Ends every request, retries included, when it aborts: the whole run's time limit (`--timeout`), shared by every
   * provider of a run. Absent: a limit of `timeoutMs` from the first call. Not used with `session`.
   */
  signal?: AbortSignal;
  /**
   * Milliseconds for the whole provider's calls (default {@link DEFAULT_PROVIDER_TIMEOUT_MS}): the limit itself when no
   * `signal` is given, else the limit `signal` stands for (for messages).
   */
  timeoutMs?: number;
}

/** A Glance ID: a UUID. Anything else is looked up by name. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The live Rackspace / OpenStack provider: flavors from Nova `GET /flavors/detail` (listed once, extra_specs inline),
 * images from Glance v2 `GET /v2/images/{id}` (or `?name=`), falling back to Nova's image proxy where the catalog
 * has no image service. A snapshot without `flavor_classes` gets its base image's (`base_image_ref`), fetched once.
 * After authentication a check of one image and one flavor costs 2 calls (3 for such a snapshot).
 *
 * Configuration, credentials and the service catalog: `resolveOpenStackConfig` and `createOpenStackSession`.
 * Throws `UsageError` (configuration, unknown region), `InputError` `ImageNotFound` / `AmbiguousImageName` /
 * `FlavorNotFound`, and the transport's `ProviderApiError`s.
 */
export function createOpenStackProvider(options: OpenStackProviderOptions): Provider {
  const { provider } = options;
  let session = options.session;
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS;
  const open = (): OpenStackSession =>
    (session ??= createOpenStackSession(resolveOpenStackConfig({ provider, region: options.region, env: options.env }), {
      http: createOpenStackHttp({ signal: options.signal ?? AbortSignal.timeout(timeoutMs), signalLimitMs: timeoutMs }),
    }));
  let flavors: Promise<FlavorFacts[]> | undefined;

  async function allFlavors(): Promise<FlavorFacts[]> {
    flavors ??= (async () => {
      const compute = await open().computeUrl();
      const raw = await listFlavors(open(), provider);
      return raw.map((flavor, index) =>
        flavorFactsFromNova(flavor, provider, { source: 'api', endpoint: `${compute}/flavors/detail`, at: ['flavors', index] }),
      );
    })();
    return flavors;
  }

  const source = (): CatalogSource => ({ kind: 'live', description: `Nova API (${open().region})` });

  /** One image by ID or name, from Glance when the region has it, else from Nova's image proxy. */
  async function describeImage(ref: string): Promise<OpenStackImageFacts> {
    const region = open().region;
    const glance = (await open().imageUrl()) !== undefined;
    const toFacts = (raw: RawRecord) => (glance ? imageFactsFromGlance(raw, provider, region, { source: 'api', endpoint: 'Glance' }) : imageFactsFromNova(raw, provider, region, { source: 'api', endpoint: 'Nova images' }));
    let raw: RawRecord | undefined;
    if (UUID.test(ref)) {
      raw = glance ? await getGlanceImage(open(), ref) : await getNovaImage(open(), ref);
    } else {
      const found = glance ? await findGlanceImagesByName(open(), ref) : await findNovaImagesByName(open(), ref);
      if (found.length > 1) {
        throw new InputError('AmbiguousImageName', `${found.length} images in ${region} are named "${ref}": ${found.map((image) => image.id).join(', ')}`, {
          hint: 'pass the image ID instead of its name',
        });
      }
      raw = found[0];
    }
    if (raw === undefined) {
      throw new InputError('ImageNotFound', `image ${ref} not found in ${region} (or not visible to this project)`, {
        hint: UUID.test(ref) ? 'check the ID and the region' : 'check the name (it must match exactly) and the region, or pass the image ID',
      });
    }
    return withBaseFlavorClasses(toFacts(raw), toFacts);
  }

  /** Rackspace snapshots carry no `flavor_classes`; the base image they were taken from does (Heat does the same). */
  async function withBaseFlavorClasses(image: OpenStackImageFacts, toFacts: (raw: RawRecord) => OpenStackImageFacts): Promise<OpenStackImageFacts> {
    if (provider !== 'rackspace' || image.flavorClasses !== undefined || image.baseImageRef === undefined) return image;
    const glance = (await open().imageUrl()) !== undefined;
    const raw = glance ? await getGlanceImage(open(), image.baseImageRef) : await getNovaImage(open(), image.baseImageRef);
    const base = raw && toFacts(raw);
    if (base?.flavorClasses === undefined) return image;
    // The snapshot runs the base image's kernel: its vm_mode is the base's when the snapshot does not say.
    return { ...image, flavorClasses: base.flavorClasses, flavorClassesFrom: 'base-image', vmMode: image.vmMode ?? base.vmMode };
  }

  return {
    id: provider,
    region: async () => open().region,
    get catalogSource() {
      return source();
    },

    async describeImages(refs) {
      const known = new Map<string, ImageFacts>();
      for (const image of options.fileImages ?? []) known.set(image.id, image).set(image.name ?? image.id, image);
      const unique = [...new Set(refs)];
      const settled = await Promise.allSettled(unique.map((ref) => known.get(ref) ?? describeImage(ref)));
      const found = new Map<string, ImageFacts>();
      const unknown = new Map<string, ImglintError>();
      for (const [index, outcome] of settled.entries()) {
        if (outcome.status === 'fulfilled') found.set(unique[index]!, outcome.value);
        // A transport or credential failure is the whole group's; an unknown or ambiguous image only its targets'.
        else if (ImglintError.is(outcome.reason) && outcome.reason.kind !== 'provider') unknown.set(unique[index]!, outcome.reason);
        else throw outcome.reason;
      }
      if (unknown.size > 0) throw withUnknownReferences(unknown.values().next().value!, unknown, found);
      return found;
    },

    async describeMachineTypes(refs) {
      const all = await allFlavors();
      const found = new Map<string, FlavorFacts>();
      const unknown: string[] = [];
      for (const ref of new Set(refs)) {
        const flavor = findFlavor(all, ref, { ids: 'exact' });
        if (flavor) found.set(ref, flavor);
        else unknown.push(ref);
      }
      if (unknown.length > 0) {
        const suggest = flavorSuggestions(unknown, all);
        throw unknownReferencesError(unknown, found, (refs) => {
          const hints = refs.flatMap((ref) => suggest(ref, refs.length > 1));
          return new InputError('FlavorNotFound', `${refs.length > 1 ? 'flavors' : 'flavor'} ${listNames(refs)} not found in ${open().region}`, {
            hint: [...hints, `the region has ${all.length} flavors: \`openstack flavor list\` lists them`].join(' '),
          });
        });
      }
      return found;
    },

    // Nova lists only the flavors of the region: every flavor it returns is offered (so no listOfferings).
    offeredMachineTypes: async () => undefined,

    listMachineTypes: async () => [...(await allFlavors())],

    /**
     * `imglint matrix --type --owner`: `self` = the project's own images (Glance `owner=<the token's project ID>`,
     * whatever their visibility), `public` = the public ones (`visibility=public`), anything else a project ID
     * (`owner=`); paged by Glance's `next` links.
     */
    async listImages(owner) {
      let filters: Record<string, string>;
      if (owner === 'self') {
        // `owner=` with no `visibility` returns every image the project owns: private, shared (Glance's default
        // visibility since Pike), community and public. Only a token without a project (unscoped or domain-scoped)
        // falls back to `visibility=private`, which misses the project's shared and community images.
        const projectId = await open().projectId();
        filters = projectId !== undefined ? { owner: projectId } : { visibility: 'private' };
      } else {
        filters = owner === 'public' ? { visibility: 'public' } : { owner };
      }
      const region = open().region;
      const raw = await listGlanceImages(open(), filters);
      const toFacts = (image: RawRecord) => imageFactsFromGlance(image, provider, region, { source: 'api', endpoint: 'Glance' });
      // Snapshots get their base image's flavor_classes, as in `check` (one GET per snapshot that needs it).
      return Promise.all(raw.map((image) => withBaseFlavorClasses(toFacts(image), toFacts)));
    },

    async candidateTypes() {
      return { types: await allFlavors(), offered: undefined, source: source() };
    },
  };
}
