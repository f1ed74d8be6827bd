import * as z from 'zod/mini';
import { Architecture, BootMode, RootDeviceType, SupportLevel, VirtualizationType } from './common.js';
import { SelectionFacts } from './selection-facts.js';

/** An EC2 instance type, from `InstanceTypeInfo` (DescribeInstanceTypes). */
export const InstanceTypeFacts = z.object({
  provider: z.literal('aws'),
  /** `InstanceType`, e.g. `c3.large`. */
  name: z.string().check(z.minLength(1)),
  /** `SupportedVirtualizationTypes`. */
  virtualizationTypes: z.array(VirtualizationType).check(z.minLength(1)),
  /** `ProcessorInfo.SupportedArchitectures`. */
  architectures: z.array(Architecture).check(z.minLength(1)),
  /** `NetworkInfo.EnaSupport`. */
  enaSupport: SupportLevel,
  /** `SupportedBootModes`. */
  bootModes: z.array(BootMode).check(z.minLength(1)),
  /** `SupportedRootDeviceTypes`. */
  rootDeviceTypes: z.array(RootDeviceType).check(z.minLength(1)),
  /** `NitroTpmSupport === 'supported'`. */
  nitroTpm: z.boolean(),
  /** `EbsInfo.NvmeSupport`: whether EBS volumes are exposed as NVMe devices. */
  nvmeSupport: SupportLevel,
  /** `CurrentGeneration`. */
  currentGeneration: z.boolean(),
  /** `Hypervisor` (`xen` or `nitro`); absent on bare-metal types. */
  hypervisor: z.optional(z.enum(['xen', 'nitro'])),
  /** `BareMetal`. */
  bareMetal: z.boolean(),
  /** `VCpuInfo.DefaultVCpus`. */
  vcpus: z.int().check(z.positive()),
  /** `MemoryInfo.SizeInMiB`, in MiB. */
  memoryMiB: z.int().check(z.positive()),
  /**
   * What attribute-based selection reads (CPU manufacturer, accelerators, network, storage, ...), when the source
   * listed it: a live `DescribeInstanceTypes` listing does; the embedded catalog keeps these facts in a file of their
   * own, loaded only for instance requirements (`src/catalog/aws-selection.ts`).
   */
  selection: z.optional(SelectionFacts),
});
export type InstanceTypeFacts = z.infer<typeof InstanceTypeFacts>;

/** A Nova flavor (`GET /flavors/detail` with `OS-FLV-WITH-EXT-SPECS:extra_specs`), on Rackspace or any OpenStack. */
export const FlavorFacts = z.object({
  provider: z.enum(['rackspace', 'openstack']),
  /** Flavor `id` (a string: `general1-1`, `2`). */
  id: z.string().check(z.minLength(1)),
  /** Flavor `name` (`1 GB General Purpose v1`). */
  name: z.string(),
  /** `ram`, in MiB. */
  memoryMiB: z.number().check(z.nonnegative()),
  /** `disk`: the root disk, in GiB; 0 means boot from volume only. */
  diskGiB: z.number().check(z.nonnegative()),
  /** `OS-FLV-EXT-DATA:ephemeral`, in GiB. */
  ephemeralGiB: z.number().check(z.nonnegative()),
  /** `vcpus`. */
  vcpus: z.number().check(z.nonnegative()),
  /** `extra_specs` (all values are strings in the API). */
  extraSpecs: z.record(z.string(), z.string()),
  /** `extra_specs.class` (Rackspace: `general1`, `compute1`, `io1`, `onmetal`, ...). */
  flavorClass: z.optional(z.string()),
  /** `OS-FLV-DISABLED:disabled`. */
  disabled: z.boolean(),
});
export type FlavorFacts = z.infer<typeof FlavorFacts>;

/** What imglint knows about an instance type (AWS) or a flavor (OpenStack). */
export const MachineTypeFacts = z.discriminatedUnion('provider', [InstanceTypeFacts, FlavorFacts]);
export type MachineTypeFacts = z.infer<typeof MachineTypeFacts>;
