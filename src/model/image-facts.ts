import * as z from 'zod/mini';
import { Architecture, RootDeviceType, VirtualizationType } from './common.js';

/**
 * The AMI owner's allow/deny list of instance types (EC2 `Image.InstanceTypeSpecification`).
 * Entries are instance type names and may contain `*` wildcards (`m7i.*`, `*.metal`).
 */
export const InstanceTypeSpecification = z.object({
  supported: z.array(z.string()),
  unsupported: z.array(z.string()),
});
export type InstanceTypeSpecification = z.infer<typeof InstanceTypeSpecification>;

/**
 * An AMI, from an EC2 `Image` (DescribeImages or `aws ec2 describe-images`).
 * Absent optional fields mean "the API did not say".
 */
export const AwsImageFacts = z.object({
  provider: z.literal('aws'),
  /** `ImageId`, e.g. `ami-0e972d2890378139a`. */
  id: z.string().check(z.minLength(1)),
  name: z.optional(z.string()),
  /** Region the image lives in, when known. */
  region: z.optional(z.string()),
  /** `State`, lower-cased (`available`, `deregistered`, ...). */
  state: z.string(),
  /** `VirtualizationType`. */
  virtualizationType: VirtualizationType,
  /** `Architecture`. */
  architecture: Architecture,
  /** `EnaSupport`: true when enhanced networking with ENA is enabled on the AMI. Absent means false on EC2. */
  enaSupport: z.boolean(),
  /** `BootMode` as registered; undefined when the AMI has none (the instance type's default applies). */
  bootMode: z.optional(z.enum(['legacy-bios', 'uefi', 'uefi-preferred'])),
  /** True when `TpmSupport` is `v2.0` (NitroTPM enabled). */
  tpmSupport: z.boolean(),
  /** `RootDeviceType`. */
  rootDeviceType: RootDeviceType,
  /** `DeprecationTime`, ISO 8601, when the AMI has one. */
  deprecationTime: z.optional(z.string()),
  /** `CreationDate`, ISO 8601. */
  creationDate: z.optional(z.string()),
  /** `InstanceTypeSpecification`, when the owner set one. */
  instanceTypeSpecification: z.optional(InstanceTypeSpecification),
});
export type AwsImageFacts = z.infer<typeof AwsImageFacts>;

/**
 * A Glance image (Glance v2 `/v2/images/{id}`, or Nova's `/images/{id}` proxy), on Rackspace or any OpenStack.
 * Property values are kept as the provider spells them; rules interpret them.
 */
export const OpenStackImageFacts = z.object({
  provider: z.enum(['rackspace', 'openstack']),
  /** Image UUID. */
  id: z.string().check(z.minLength(1)),
  name: z.optional(z.string()),
  region: z.optional(z.string()),
  /** Glance `status`, lower-cased (`active`, `queued`, `saving`, `killed`, `deleted`, `deactivated`); Nova's
   * `ACTIVE`/`SAVING`/`ERROR`/... lower-cased. */
  state: z.string(),
  /** `vm_mode` (Rackspace) or `hw_vm_mode`: `xen` = PV, `hvm` = HVM/PVHVM, `metal` = Rackspace OnMetal. */
  vmMode: z.optional(z.string()),
  /** `min_ram` / Nova `minRam`, in MiB (0 when unset). */
  minRamMiB: z.number().check(z.nonnegative()),
  /** `min_disk` / Nova `minDisk`, in GiB (0 when unset). */
  minDiskGiB: z.number().check(z.nonnegative()),
  /** `size` / Nova `OS-EXT-IMG-SIZE:size`, in bytes; absent when the API does not say. */
  sizeBytes: z.optional(z.number().check(z.nonnegative())),
  /** Rackspace `flavor_classes`, raw (`*,!io1,!memory1,!compute1,!onmetal`). */
  flavorClasses: z.optional(z.string()),
  /** Where `flavorClasses` came from: the image itself, or the base image of a snapshot (`base_image_ref`). */
  flavorClassesFrom: z.optional(z.enum(['image', 'base-image'])),
  /** `auto_disk_config`, raw (`True`, `False`, `disabled`). */
  autoDiskConfig: z.optional(z.string()),
  /** Rackspace `image_type`: `base` or `snapshot`. */
  imageType: z.optional(z.string()),
  /** `base_image_ref` of a snapshot. */
  baseImageRef: z.optional(z.string()),
  /** `os_type` (`linux`, `windows`). */
  osType: z.optional(z.string()),
  /** `img_config_drive` (`optional`, `mandatory`). */
  configDrive: z.optional(z.string()),
});
export type OpenStackImageFacts = z.infer<typeof OpenStackImageFacts>;

/** What imglint knows about a machine image, per provider family. */
export const ImageFacts = z.discriminatedUnion('provider', [AwsImageFacts, OpenStackImageFacts]);
export type ImageFacts = z.infer<typeof ImageFacts>;
