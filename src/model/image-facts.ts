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
 * A Python int as Nova holds it (Nova's integers have no size limit): a JSON number when it is a safe integer, else
 * its decimal digits (`"99999999999999999999"`).
 */
export const PyInt = z.union([z.int(), z.string().check(z.regex(/^-?[0-9]+$/))]);
export type PyInt = z.infer<typeof PyInt>;

/**
 * The image properties `POST /servers` checks against the flavor, as Nova's `ImageMetaProps` holds them after
 * coercing Glance's strings (`nova/objects/image_meta.py`): booleans read by oslo's `bool_from_string` (`yes`,
 * `1`, `true`, ... are true, anything else false), integers by Python's `int()`, enumerations checked. Absent keys
 * are absent properties. Source: the Glance property of the same name in `hw_` form (`hw_cpu_policy`, ...).
 */
export const NovaImageHardware = z.object({
  /** `hw_cpu_policy`. */
  cpuPolicy: z.optional(z.enum(['dedicated', 'shared', 'mixed'])),
  /** `hw_cpu_thread_policy`. */
  cpuThreadPolicy: z.optional(z.enum(['prefer', 'isolate', 'require'])),
  /** `hw_cpu_realtime_mask`, raw (`^0-1`). */
  cpuRealtimeMask: z.optional(z.string()),
  /** `hw_cpu_sockets`, `hw_cpu_cores`, `hw_cpu_threads`: the preferred topology. */
  cpuSockets: z.optional(PyInt),
  cpuCores: z.optional(PyInt),
  cpuThreads: z.optional(PyInt),
  /** `hw_cpu_max_sockets`, `hw_cpu_max_cores`, `hw_cpu_max_threads`: the topology limits. */
  cpuMaxSockets: z.optional(PyInt),
  cpuMaxCores: z.optional(PyInt),
  cpuMaxThreads: z.optional(PyInt),
  /** `hw_numa_nodes`. */
  numaNodes: z.optional(PyInt),
  /** `hw_numa_cpus.0`, `.1`, ... (contiguous from 0): each a CPU spec Nova parses (`0-1,^1,4`). */
  numaCpus: z.optional(z.array(z.string())),
  /** `hw_numa_mem.0`, `.1`, ... (contiguous from 0), in MiB. */
  numaMem: z.optional(z.array(PyInt)),
  /** `hw_mem_page_size`, raw (`large`, `2048`, `1GB`). */
  memPageSize: z.optional(z.string()),
  /** `hw_locked_memory`. */
  lockedMemory: z.optional(z.boolean()),
  /** `hw_pci_numa_affinity_policy`. */
  pciNumaAffinityPolicy: z.optional(z.enum(['required', 'legacy', 'preferred', 'socket'])),
  /** `hw_ephemeral_encryption`. */
  ephemeralEncryption: z.optional(z.boolean()),
  /** `hw_ephemeral_encryption_format`. */
  ephemeralEncryptionFormat: z.optional(z.enum(['plain', 'luks', 'luksv2'])),
  /** `hw_mem_encryption` (AMD SEV). */
  memEncryption: z.optional(z.boolean()),
  /** `hw_firmware_type`. */
  firmwareType: z.optional(z.enum(['uefi', 'bios'])),
  /** `hw_machine_type`, raw (`q35`, `pc-q35-7.0`). */
  machineType: z.optional(z.string()),
  /** `hw_pmu`. */
  pmu: z.optional(z.boolean()),
  /** `hw_serial_port_count`. */
  serialPortCount: z.optional(PyInt),
  /** `hw_vif_multiqueue_enabled`. */
  vifMultiqueueEnabled: z.optional(z.boolean()),
  /** Traits of `trait:<NAME>=required` properties (`HW_CPU_HYPERTHREADING`). */
  traitsRequired: z.optional(z.array(z.string())),
});
export type NovaImageHardware = z.infer<typeof NovaImageHardware>;

/**
 * An image property Nova's `ImageMeta.from_dict` refuses, and what `POST /servers` answers for it: 400
 * `Invalid image metadata. Error: <reason>`, or 500 where Nova's error escapes its handler (`hw_numa_cpus.N`).
 */
export const NovaImageMetadataError = z.object({
  status: z.enum(['400', '500']),
  /** The fault body's message, exactly. */
  message: z.string(),
  /** The Glance property (`hw_cpu_policy`, `vm_mode`, `hw_numa_cpus.0`). */
  property: z.string(),
  /** Its value. */
  value: z.string(),
  /** Nova's reason (`Field value pinned is invalid`). */
  reason: z.string(),
  /** What Nova accepts there (`one of dedicated, shared, mixed`). */
  expected: z.string(),
});
export type NovaImageMetadataError = z.infer<typeof NovaImageMetadataError>;

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
  /**
   * `cinder_encryption_key_id`, raw: set by Cinder on an image uploaded from an encrypted volume (the key of that
   * volume's encryption, in the key manager). Nova refuses to boot such an image directly.
   */
  cinderEncryptionKeyId: z.optional(z.string()),
  /**
   * Generic OpenStack only (Rackspace runs its own fork): the properties Nova checks against the flavor, as Nova
   * reads them. Absent when {@link OpenStackImageFacts.invalidMetadata} is set, or for Rackspace images.
   */
  hardware: z.optional(NovaImageHardware),
  /** Generic OpenStack only: the property Nova's image metadata schema refuses first, when one is refused. */
  invalidMetadata: z.optional(NovaImageMetadataError),
});
export type OpenStackImageFacts = z.infer<typeof OpenStackImageFacts>;

/** What imglint knows about a machine image, per provider family. */
export const ImageFacts = z.discriminatedUnion('provider', [AwsImageFacts, OpenStackImageFacts]);
export type ImageFacts = z.infer<typeof ImageFacts>;
