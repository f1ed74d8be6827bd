import type * as z from 'zod/mini';
import { InputError, ProviderApiError } from '../../src/errors.js';
import type { FlavorFacts, OpenStackImageFacts } from '../../src/model/index.js';
import { formatZodError } from '../../src/model/zod-issues.js';
import { readImageMeta } from './nova-checks/image-meta.js';
import { GLANCE_BASE_FIELDS, GlanceImage, NovaFlavor, NovaImage, parseFormatDict } from './schema.js';

/**
 * Maps raw Nova flavors, Nova images and Glance v2 images to imglint's facts. Each function validates its input with
 * the schemas of `./schema.ts` first; what a failure becomes depends on where the object came from ({@link RawOrigin}).
 * Property values are copied as the provider spells them (`True`, `disabled`, `*,!onmetal`): rules interpret them.
 */

/** The provider families the OpenStack adapters serve: Rackspace, or any other OpenStack cloud. */
export type OpenStackProviderId = FlavorFacts['provider'];

/**
 * Where a raw object came from, which decides the error a schema failure becomes:
 * - omitted (a value handed to the library): `InputError` (`InvalidImage` or `InvalidFlavor`), message
 *   `Invalid Glance image: <field path>: <problem>`;
 * - `{ source: 'file', path }`: `InputError` (`InvalidImageFile` or `InvalidFlavorFile`), message
 *   `<path>: <field path>: <problem>`, e.g. `image.json: images[2].min_disk: expected int (got "40")`;
 * - `{ source: 'api', endpoint }`: `ProviderApiError('MalformedResponse')`, message naming the endpoint
 *   (e.g. `GET https://iad.servers.api.rackspacecloud.com/v2/123/flavors/detail`).
 *
 * `at` is the object's place in its document (`['images', 2]`), put in front of every field path.
 */
export type RawOrigin =
  | { source: 'file'; path: string; at?: readonly PropertyKey[] }
  | { source: 'api'; endpoint: string; at?: readonly PropertyKey[] };

/**
 * Facts for a Nova flavor (`GET /flavors/detail` item, with `OS-FLV-WITH-EXT-SPECS:extra_specs`; or what
 * `openstack flavor show -f json` prints).
 *
 * - `memoryMiB` = `ram` (MiB), `diskGiB` = `disk` (GiB; 0 = boot from volume only), `ephemeralGiB` =
 *   `OS-FLV-EXT-DATA:ephemeral` (GiB; 0 when absent), `vcpus` = `vcpus`.
 * - `extraSpecs` = `OS-FLV-WITH-EXT-SPECS:extra_specs`, else `extra_specs` (Nova microversion 2.61+), else
 *   `properties` (`openstack flavor show -f json`: an object, or older clients' `key='value', ...` string), else `{}`; values
 *   stay strings (`"disk_io_index": "40"`). `flavorClass` = `extraSpecs.class` (Rackspace: `general1`, `compute1`, ...).
 * - `disabled` = `OS-FLV-DISABLED:disabled`, false when absent.
 * - `swap` (MiB, or `""` for none) and `rxtx_factor` are validated but not kept: no rule reads them.
 *
 * @param raw - the flavor object, as parsed from JSON.
 * @param provider - `rackspace` or `openstack`; copied into the facts.
 * @param origin - where `raw` came from, for the error (see {@link RawOrigin}).
 * @throws InputError `InvalidFlavor` / `InvalidFlavorFile`, or ProviderApiError `MalformedResponse`, when `raw` is not
 *   a Nova flavor.
 */
export function flavorFactsFromNova(raw: unknown, provider: OpenStackProviderId, origin?: RawOrigin): FlavorFacts {
  const flavor = parse(NovaFlavor, raw, 'Nova flavor', origin);
  const properties = typeof flavor.properties === 'string' ? parseFormatDict(flavor.properties)! : flavor.properties;
  const extraSpecs = flavor['OS-FLV-WITH-EXT-SPECS:extra_specs'] ?? flavor.extra_specs ?? properties ?? {};
  return {
    provider,
    id: flavor.id,
    name: flavor.name,
    memoryMiB: flavor.ram,
    diskGiB: flavor.disk,
    ephemeralGiB: flavor['OS-FLV-EXT-DATA:ephemeral'] ?? 0,
    vcpus: flavor.vcpus,
    extraSpecs,
    flavorClass: extraSpecs.class,
    disabled: flavor['OS-FLV-DISABLED:disabled'] ?? false,
  };
}

/**
 * Facts for a Glance v2 image (`GET /v2/images/{id}`, an item of `GET /v2/images`, or `openstack image show -f json`).
 *
 * - `state` = `status`, lower-cased; `minRamMiB` = `min_ram` (MiB); `minDiskGiB` = `min_disk` (GiB);
 *   `sizeBytes` = `size` (bytes; absent when null or missing); `name` absent when null.
 * - Properties are top-level keys in the API and sit under `properties` in the CLI's output; a top-level key wins:
 *   `flavorClasses` = `flavor_classes` (with `flavorClassesFrom: 'image'` when present), `autoDiskConfig` =
 *   `auto_disk_config`, `imageType` = `image_type`, `baseImageRef` = `base_image_ref`, `osType` = `os_type`,
 *   `configDrive` = `img_config_drive`, `cinderEncryptionKeyId` = `cinder_encryption_key_id`,
 *   `vmMode` = `vm_mode` / `hw_vm_mode` (see {@link imageFactsFromNova}).
 *
 * @param raw - the image object, as parsed from JSON.
 * @param provider - `rackspace` or `openstack`; copied into the facts.
 * @param region - the region the image was read in, when known.
 * @param origin - where `raw` came from, for the error (see {@link RawOrigin}).
 * @throws InputError `InvalidImage` / `InvalidImageFile`, or ProviderApiError `MalformedResponse`, when `raw` is not a
 *   Glance v2 image.
 */
export function imageFactsFromGlance(
  raw: unknown,
  provider: OpenStackProviderId,
  region?: string,
  origin?: RawOrigin,
): OpenStackImageFacts {
  const image = parse(GlanceImage, raw, 'Glance image', origin);
  return imageFacts(provider, region, {
    id: image.id,
    name: image.name ?? undefined,
    status: image.status,
    minRamMiB: image.min_ram,
    minDiskGiB: image.min_disk,
    sizeBytes: image.size ?? undefined,
    properties: { ...stringEntries(image.properties ?? {}), ...stringEntries(image, (key) => !GLANCE_BASE_FIELDS.has(key)) },
  });
}

/** The string-valued entries of `object` (whose key passes `keep`): Glance's custom properties are all strings. */
function stringEntries(object: Record<string, unknown>, keep: (key: string) => boolean = () => true): Record<string, string> {
  return Object.fromEntries(Object.entries(object).filter((entry): entry is [string, string] => keep(entry[0]) && typeof entry[1] === 'string'));
}

/**
 * Facts for a Nova image (an item of `GET /images/detail`, or the `image` of `GET /images/{id}`).
 *
 * - `state` = `status`, lower-cased (`ACTIVE` -> `active`, `SAVING` -> `saving`, `ERROR` -> `error`; Nova folds
 *   Glance's `queued` into `SAVING` and `killed` into `ERROR`); `minRamMiB` = `minRam` (MiB); `minDiskGiB` = `minDisk`
 *   (GiB); `sizeBytes` = `OS-EXT-IMG-SIZE:size` (bytes, possibly a JSON float; absent without the extension).
 * - Properties come from `metadata`, with the same mapping as {@link imageFactsFromGlance}. `OS-DCF:diskConfig` is not
 *   used: it is derived from `auto_disk_config` and loses the difference between `False` and `disabled`.
 * - `vmMode`: Rackspace reads `vm_mode` (falling back to `hw_vm_mode`); upstream Nova lets `hw_vm_mode` override the
 *   legacy `vm_mode`, so `openstack` prefers `hw_vm_mode`.
 *
 * @param raw - the image object, as parsed from JSON.
 * @param provider - `rackspace` or `openstack`; copied into the facts.
 * @param region - the region the image was read in, when known.
 * @param origin - where `raw` came from, for the error (see {@link RawOrigin}).
 * @throws InputError `InvalidImage` / `InvalidImageFile`, or ProviderApiError `MalformedResponse`, when `raw` is not a
 *   Nova image.
 */
export function imageFactsFromNova(
  raw: unknown,
  provider: OpenStackProviderId,
  region?: string,
  origin?: RawOrigin,
): OpenStackImageFacts {
  const image = parse(NovaImage, raw, 'Nova image', origin);
  const metadata = image.metadata ?? {};
  return imageFacts(provider, region, {
    id: image.id,
    name: image.name ?? undefined,
    status: image.status,
    minRamMiB: image.minRam,
    minDiskGiB: image.minDisk,
    sizeBytes: image['OS-EXT-IMG-SIZE:size'],
    properties: metadata,
  });
}

/** What the Nova and Glance shapes have in common, in imglint's units. */
interface ImageCore {
  id: string;
  name: string | undefined;
  status: string;
  minRamMiB: number;
  minDiskGiB: number;
  sizeBytes: number | undefined;
  /** Every custom property, as Glance stores it (strings). */
  properties: Readonly<Record<string, string>>;
}

function imageFacts(provider: OpenStackProviderId, region: string | undefined, image: ImageCore): OpenStackImageFacts {
  const property = (key: string): string | undefined => image.properties[key];
  const flavorClasses = property('flavor_classes');
  // Rackspace runs its own Nova fork, whose image metadata rules are not upstream's (it accepts vm_mode metal).
  const nova = provider === 'openstack' ? readImageMeta(image.properties) : undefined;
  return {
    provider,
    id: image.id,
    name: image.name,
    region,
    state: image.status.toLowerCase(),
    vmMode: provider === 'rackspace' ? (property('vm_mode') ?? property('hw_vm_mode')) : (property('hw_vm_mode') ?? property('vm_mode')),
    minRamMiB: image.minRamMiB,
    minDiskGiB: image.minDiskGiB,
    sizeBytes: image.sizeBytes,
    flavorClasses,
    flavorClassesFrom: flavorClasses === undefined ? undefined : 'image',
    autoDiskConfig: property('auto_disk_config'),
    imageType: property('image_type'),
    baseImageRef: property('base_image_ref'),
    osType: property('os_type'),
    configDrive: property('img_config_drive'),
    cinderEncryptionKeyId: property('cinder_encryption_key_id'),
    ...(nova === undefined ? {} : 'error' in nova ? { invalidMetadata: nova.error } : { hardware: nova.hardware }),
  };
}

const FILE_HINTS = {
  image: 'save the image JSON unchanged, as `openstack image show -f json` or the Glance v2 or Nova API prints it',
  flavor: 'save the flavor JSON unchanged, as `openstack flavor show -f json` prints it or Nova\'s `GET /flavors/detail` returns it',
} as const;

/** Validates `raw`, or throws the error `origin` calls for (see {@link RawOrigin}). */
function parse<Schema extends z.ZodMiniType>(
  schema: Schema,
  raw: unknown,
  what: 'Nova flavor' | 'Nova image' | 'Glance image',
  origin: RawOrigin | undefined,
): z.infer<Schema> {
  const result = schema.safeParse(raw, { reportInput: true });
  if (result.success) return result.data as z.infer<Schema>;
  const issues = formatZodError(result.error, origin?.at);
  const entity = what === 'Nova flavor' ? 'flavor' : 'image';
  switch (origin?.source) {
    case undefined:
      throw new InputError(entity === 'flavor' ? 'InvalidFlavor' : 'InvalidImage', `Invalid ${what}: ${issues}`);
    case 'file':
      throw new InputError(entity === 'flavor' ? 'InvalidFlavorFile' : 'InvalidImageFile', `${origin.path}: ${issues}`, {
        hint: FILE_HINTS[entity],
      });
    case 'api':
      throw new ProviderApiError('MalformedResponse', `${origin.endpoint} answered with a ${what} imglint cannot read: ${issues}`, {
        hint: 'the endpoint does not answer like Nova or Glance v2: check the service catalog entry it came from',
      });
  }
}
