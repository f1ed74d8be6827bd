import { z } from 'zod';
import { Architecture, BootMode, RootDeviceType, SupportLevel, VirtualizationType } from '../../src/model/index.js';

/**
 * zod schemas for the parts of EC2's responses imglint reads, in the API's PascalCase
 * (the shapes `aws ec2 describe-images` prints and `@aws-sdk/client-ec2` returns).
 * Unknown keys are ignored; a missing or mistyped field that a rule needs is an error naming the field.
 */

const InstanceTypeItem = z.object({ InstanceType: z.string() });

/** EC2 `Image` (DescribeImages). */
export const Ec2Image = z.object({
  ImageId: z.string().regex(/^ami-[0-9a-f]+$/, 'must look like ami-0123456789abcdef0'),
  Name: z.string().optional(),
  State: z.string(),
  VirtualizationType,
  Architecture,
  EnaSupport: z.boolean().optional(),
  BootMode: z.enum(['legacy-bios', 'uefi', 'uefi-preferred']).optional(),
  TpmSupport: z.string().optional(),
  RootDeviceType,
  DeprecationTime: z.string().optional(),
  CreationDate: z.string().optional(),
  InstanceTypeSpecification: z
    .object({
      SupportedInstanceTypes: z.array(InstanceTypeItem).optional(),
      UnsupportedInstanceTypes: z.array(InstanceTypeItem).optional(),
    })
    .optional(),
});
export type Ec2Image = z.infer<typeof Ec2Image>;

/** EC2 `InstanceTypeInfo` (DescribeInstanceTypes). */
export const Ec2InstanceTypeInfo = z.object({
  InstanceType: z.string(),
  CurrentGeneration: z.boolean(),
  SupportedVirtualizationTypes: z.array(VirtualizationType).min(1),
  ProcessorInfo: z.object({ SupportedArchitectures: z.array(Architecture).min(1) }),
  NetworkInfo: z.object({ EnaSupport: SupportLevel }),
  SupportedBootModes: z.array(BootMode).min(1),
  SupportedRootDeviceTypes: z.array(RootDeviceType).min(1),
  NitroTpmSupport: z.enum(['supported', 'unsupported']).optional(),
  EbsInfo: z.object({ NvmeSupport: SupportLevel }),
  Hypervisor: z.enum(['xen', 'nitro']).optional(),
  BareMetal: z.boolean(),
  VCpuInfo: z.object({ DefaultVCpus: z.number().int().positive() }),
  MemoryInfo: z.object({ SizeInMiB: z.number().int().positive() }),
});
export type Ec2InstanceTypeInfo = z.infer<typeof Ec2InstanceTypeInfo>;
