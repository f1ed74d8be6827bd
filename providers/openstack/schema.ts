import * as z from 'zod/mini';
import { isNovaImageProperty } from './nova-checks/image-meta.js';

/**
 * zod schemas for the raw OpenStack API objects imglint reads: a Nova flavor (`GET /flavors/detail`), a Nova image
 * (`GET /images/detail`, the compute API's image proxy) and a Glance v2 image (`GET /v2/images`). Field names are the
 * APIs' own. Unknown keys are allowed (and dropped); a missing or mistyped field that a rule needs is an error naming
 * the field. Units are the APIs': RAM in MiB, disks in GiB, image sizes in bytes.
 * Sources: `../shared/reference/rackspace-openstack.md` §2 (flavors) and §3 (images).
 */

// zod/mini ships no messages ("Invalid input"): checks name what they expect, for `formatZodError`.
const atLeastZero = z.nonnegative({ error: 'expected a number >= 0' });
/**
 * z.int() also refuses numbers beyond the safe integers (exactness is gone there), by default as "Invalid input";
 * below them it already says what `atLeastZero` would, which then stays quiet.
 */
const NonNegativeInt = z
  .int({
    error: (issue) =>
      issue.code === 'too_big'
        ? `expected a whole number of at most ${Number.MAX_SAFE_INTEGER}`
        : issue.code === 'too_small'
          ? 'expected a number >= 0'
          : undefined,
  })
  .check(z.refine((value: number) => value >= 0 || value < Number.MIN_SAFE_INTEGER, { error: 'expected a number >= 0' }));
const NonNegativeNumber = z.number().check(atLeastZero);
const NonEmptyString = z.string().check(z.minLength(1, { error: 'expected a non-empty string' }));

/**
 * The image properties imglint reads. Glance v2 returns them as top-level string keys of the image; Nova's proxy
 * returns them under `metadata`; `openstack image show -f json` prints them under `properties`.
 */
const imagePropertyShape = {
  /** Rackspace allow/deny list of flavor classes (`*,!io1,!memory1,!compute1,!onmetal`). */
  flavor_classes: z.optional(z.string()),
  /** Rackspace (and Nova's legacy name): `xen` = PV, `hvm` = HVM/PVHVM, `metal` = OnMetal. */
  vm_mode: z.optional(z.string()),
  /** Upstream Nova's name for `vm_mode`. */
  hw_vm_mode: z.optional(z.string()),
  /** `True`, `False`, `disabled` (raw: Nova compares `strip().lower()`). */
  auto_disk_config: z.optional(z.string()),
  /** Rackspace: `base` or `snapshot`. */
  image_type: z.optional(z.string()),
  /** The image a snapshot was made from (Rackspace). */
  base_image_ref: z.optional(z.string()),
  /** `linux` or `windows`. */
  os_type: z.optional(z.string()),
  /** `optional` or `mandatory`. */
  img_config_drive: z.optional(z.string()),
};

/**
 * Glance stores every custom property as a string, and Nova's checks read them as strings (`hw_numa_nodes`, ...): a
 * property Nova reads whose value is not a string is not something Glance returns.
 */
const novaPropertiesAreStrings = z.superRefine((value: Record<string, unknown>, context) => {
  for (const [key, inner] of Object.entries(value)) {
    if (isNovaImageProperty(key) && typeof inner !== 'string') {
      context.addIssue({ code: 'invalid_type', expected: 'string', input: inner, path: [key] });
    }
  }
});

/**
 * The image's properties, as one object (`properties` of `openstack image show -f json`): the ones typed here, and
 * every other key as it is (Nova reads many; see `nova-checks/image-meta.ts`).
 */
export const ImageProperties = z.looseObject(imagePropertyShape).check(novaPropertiesAreStrings);
export type ImageProperties = z.infer<typeof ImageProperties>;

const EXTRA_SPECS_SHAPE = "expected the extra specs as an object of strings, or as one string of key='value' pairs";

/**
 * A Nova flavor, as `GET /v2/{tenant}/flavors/detail` (or `/flavors/{id}`) returns it, with the
 * `OS-FLV-EXT-DATA` and `OS-FLV-WITH-EXT-SPECS` extensions Rackspace enables.
 */
export const NovaFlavor = z.object({
  /** A string, even when it looks like a number (`"2"`, `"general1-1"`). */
  id: NonEmptyString,
  /** `1 GB General Purpose v1`. */
  name: z.string(),
  /** Memory, in MiB. */
  ram: NonNegativeInt,
  /** Root disk, in GiB; 0 means the flavor can only boot from a volume. */
  disk: NonNegativeInt,
  /** Data (ephemeral) disks, in GiB. */
  'OS-FLV-EXT-DATA:ephemeral': z.optional(NonNegativeInt),
  vcpus: NonNegativeInt,
  /** Swap, in MiB; the empty string means none (Rackspace sends `""` for every class but standard1). */
  swap: z.optional(z.union([NonNegativeInt, z.literal('')], { error: 'expected a whole number of MiB or ""' })),
  /** Extra specs, inline (Rackspace, and Nova before microversion 2.61). Every value is a string (`"40"`). */
  'OS-FLV-WITH-EXT-SPECS:extra_specs': z.optional(z.record(z.string(), z.string())),
  /** Extra specs, as Nova returns them from microversion 2.61 on. */
  extra_specs: z.optional(z.record(z.string(), z.string())),
  /**
   * Extra specs, as `openstack flavor show -f json` prints them: an object (python-openstackclient on openstacksdk,
   * e.g. 6.0), or one string `key='value', key2='value2'` (older releases, through osc-lib's `format_dict`).
   */
  properties: z.optional(
    z.union([z.record(z.string(), z.string()), z.string().check(z.refine((text) => parseFormatDict(text) !== undefined, { error: EXTRA_SPECS_SHAPE }))], {
      error: EXTRA_SPECS_SHAPE,
    }),
  ),
  'OS-FLV-DISABLED:disabled': z.optional(z.boolean()),
  /** Bandwidth factor relative to the network's cap (a float). Not used by any rule. */
  rxtx_factor: z.optional(z.number()),
});

/**
 * The entries of a string that osc-lib's `format_dict` wrote (`hw:cpu_policy='dedicated', hw:numa_nodes='2'`: keys
 * sorted, each value quoted, `, ` between them; `""` for none), or `undefined` when the string is not of that form.
 * A value may hold quotes and commas; only `', ` before the next `key=` ends it.
 */
export function parseFormatDict(text: string): Record<string, string> | undefined {
  const entries: Record<string, string> = {};
  const entry = /([^=,\s][^=]*)='(.*?)'(?:, (?=[^=,\s][^=]*=')|$)/sy;
  let at = 0;
  while (at < text.length) {
    entry.lastIndex = at;
    const match = entry.exec(text);
    if (match === null) return undefined;
    entries[match[1]!] = match[2]!;
    at = entry.lastIndex;
  }
  return entries;
}

/** A Nova image, one item of `GET /v2/{tenant}/images/detail` (or the `image` of `GET /images/{id}`). */
export const NovaImage = z.object({
  id: NonEmptyString,
  name: z.optional(z.nullable(z.string())),
  /** `ACTIVE`, `SAVING` (Glance queued or saving), `DELETED`, `ERROR` (Glance killed), `UNKNOWN`. */
  status: NonEmptyString,
  /** Glance `min_ram`, in MiB. */
  minRam: NonNegativeInt,
  /** Glance `min_disk`, in GiB. */
  minDisk: NonNegativeInt,
  /** Glance `size`, in bytes; may be a JSON float (`1.017415075e+09`). */
  'OS-EXT-IMG-SIZE:size': z.optional(NonNegativeNumber),
  /** `AUTO` when `auto_disk_config` reads as true, else `MANUAL`; absent when the image has no `auto_disk_config`. */
  'OS-DCF:diskConfig': z.optional(z.enum(['AUTO', 'MANUAL'])),
  /** The image's properties (Glance's custom properties); every value is a string. */
  metadata: z.optional(z.record(z.string(), z.string())),
});

/**
 * A Glance v2 image (`GET /v2/images/{id}`, one item of `GET /v2/images`), with custom properties as top-level
 * string keys. Also the shape `openstack image show -f json` prints, which moves every property under `properties`.
 */
export const GlanceImage = z
  .looseObject({
  id: NonEmptyString,
  /** Glance allows a null name. */
  name: z.optional(z.nullable(z.string())),
  /** `queued`, `saving`, `uploading`, `importing`, `active`, `killed`, `deleted`, `pending_delete`, `deactivated`. */
  status: NonEmptyString,
  /** In MiB. */
  min_ram: NonNegativeInt,
  /** In GiB. */
  min_disk: NonNegativeInt,
  /** In bytes; null until the image data is uploaded. */
  size: z.optional(z.nullable(NonNegativeNumber)),
  /** `public`, `private`, `shared`, `community`. */
  visibility: z.optional(z.string()),
  ...imagePropertyShape,
  /** `openstack image show -f json` only: the properties the client moved out of the top level. */
  properties: z.optional(ImageProperties),
  })
  .check(novaPropertiesAreStrings);

/**
 * The fields of Glance v2's image schema that are not custom properties (glanceclient `image_schema._BASE_SCHEMA`,
 * the `is_base` ones); every other top-level key of a Glance image is a property.
 */
export const GLANCE_BASE_FIELDS: ReadonlySet<string> = new Set([
  'checksum', 'container_format', 'created_at', 'direct_url', 'disk_format', 'file', 'id', 'locations', 'min_disk',
  'min_ram', 'name', 'os_hash_algo', 'os_hash_value', 'os_hidden', 'owner', 'protected', 'schema', 'self', 'size',
  'status', 'tags', 'updated_at', 'virtual_size', 'visibility', 'properties',
]);
