import { z } from 'zod';
import { Architecture, BootMode, ProviderId, RootDeviceType, SupportLevel, VirtualizationType } from './common.js';

/**
 * What imglint knows about an instance type (AWS) or flavor (OpenStack), in provider-neutral terms.
 * AWS: built from an EC2 `InstanceTypeInfo` (DescribeInstanceTypes).
 */
export const MachineTypeFacts = z.object({
  provider: ProviderId,
  /** `InstanceType`, e.g. `c3.large`. */
  name: z.string().min(1),
  /** `SupportedVirtualizationTypes`. */
  virtualizationTypes: z.array(VirtualizationType).min(1),
  /** `ProcessorInfo.SupportedArchitectures`. */
  architectures: z.array(Architecture).min(1),
  /** `NetworkInfo.EnaSupport`. */
  enaSupport: SupportLevel,
  /** `SupportedBootModes`. */
  bootModes: z.array(BootMode).min(1),
  /** `SupportedRootDeviceTypes`. */
  rootDeviceTypes: z.array(RootDeviceType).min(1),
  /** `NitroTpmSupport === 'supported'`. */
  nitroTpm: z.boolean(),
  /** `EbsInfo.NvmeSupport`: whether EBS volumes are exposed as NVMe devices. */
  nvmeSupport: SupportLevel,
  /** `CurrentGeneration`. */
  currentGeneration: z.boolean(),
  /** `Hypervisor` (`xen` or `nitro`); absent on bare-metal types. */
  hypervisor: z.enum(['xen', 'nitro']).optional(),
  /** `BareMetal`. */
  bareMetal: z.boolean(),
  /** `VCpuInfo.DefaultVCpus`. */
  vcpus: z.number().int().positive(),
  /** `MemoryInfo.SizeInMiB`, in MiB. */
  memoryMiB: z.number().int().positive(),
});
export type MachineTypeFacts = z.infer<typeof MachineTypeFacts>;
