import * as z from 'zod/mini';
import { Architecture, RootDeviceType, VirtualizationType } from '../../src/model/common.js';

/**
 * zod schema for the part of EC2's `Image` imglint reads, in the API's PascalCase
 * (the shapes `aws ec2 describe-images` prints and `@aws-sdk/client-ec2` returns).
 * Unknown keys are ignored; a missing or mistyped field that a rule needs is an error naming the field.
 */

const InstanceTypeItem = z.object({ InstanceType: z.string() });

/** EC2 `Image` (DescribeImages). */
export const Ec2Image = z.object({
  ImageId: z.string().check(z.regex(/^ami-[0-9a-f]+$/, 'must look like ami-0123456789abcdef0')),
  Name: z.optional(z.string()),
  State: z.string(),
  VirtualizationType,
  Architecture,
  EnaSupport: z.optional(z.boolean()),
  BootMode: z.optional(z.enum(['legacy-bios', 'uefi', 'uefi-preferred'])),
  TpmSupport: z.optional(z.string()),
  RootDeviceType,
  DeprecationTime: z.optional(z.string()),
  CreationDate: z.optional(z.string()),
  InstanceTypeSpecification: z.optional(
    z.object({
      SupportedInstanceTypes: z.optional(z.array(InstanceTypeItem)),
      UnsupportedInstanceTypes: z.optional(z.array(InstanceTypeItem)),
    }),
  ),
});
export type Ec2Image = z.infer<typeof Ec2Image>;
