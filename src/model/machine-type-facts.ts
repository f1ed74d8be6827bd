import * as z from 'zod/mini';
import { Architecture, BootMode, ProviderId, RootDeviceType, SupportLevel, VirtualizationType } from './common.js';

/**
 * What imglint knows about an instance type (AWS) or flavor (OpenStack), in provider-neutral terms.
 * AWS: built from an EC2 `InstanceTypeInfo` (DescribeInstanceTypes).
 */
export const MachineTypeFacts = z.object({
  provider: ProviderId,
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
});
export type MachineTypeFacts = z.infer<typeof MachineTypeFacts>;
