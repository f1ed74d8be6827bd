import * as z from 'zod/mini';
import { Architecture, BootMode, RootDeviceType, SupportLevel, VirtualizationType } from '../../src/model/common.js';

/**
 * zod schema for the part of EC2's `InstanceTypeInfo` imglint reads, in the API's PascalCase. Kept apart from
 * the image schema so that an offline check (image files, embedded catalog) never builds it.
 */
/** EC2 `InstanceTypeInfo` (DescribeInstanceTypes). */
export const Ec2InstanceTypeInfo = z.object({
  InstanceType: z.string(),
  CurrentGeneration: z.boolean(),
  SupportedVirtualizationTypes: z.array(VirtualizationType).check(z.minLength(1)),
  ProcessorInfo: z.object({ SupportedArchitectures: z.array(Architecture).check(z.minLength(1)) }),
  NetworkInfo: z.object({ EnaSupport: SupportLevel }),
  SupportedBootModes: z.array(BootMode).check(z.minLength(1)),
  SupportedRootDeviceTypes: z.array(RootDeviceType).check(z.minLength(1)),
  NitroTpmSupport: z.optional(z.enum(['supported', 'unsupported'])),
  EbsInfo: z.object({ NvmeSupport: SupportLevel }),
  Hypervisor: z.optional(z.enum(['xen', 'nitro'])),
  BareMetal: z.boolean(),
  VCpuInfo: z.object({ DefaultVCpus: z.int().check(z.positive()) }),
  MemoryInfo: z.object({ SizeInMiB: z.int().check(z.positive()) }),
});
export type Ec2InstanceTypeInfo = z.infer<typeof Ec2InstanceTypeInfo>;
