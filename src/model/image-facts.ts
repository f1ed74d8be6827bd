import * as z from 'zod/mini';
import { Architecture, ProviderId, RootDeviceType, VirtualizationType } from './common.js';

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
 * What imglint knows about a machine image, in provider-neutral terms.
 * AWS: built from an EC2 `Image` (DescribeImages). Absent optional fields mean "the API did not say".
 */
export const ImageFacts = z.object({
  provider: ProviderId,
  /** The provider's image ID (`ImageId`, e.g. `ami-0e972d2890378139a`). */
  id: z.string().check(z.minLength(1)),
  name: z.optional(z.string()),
  /** Region the image lives in, when known. */
  region: z.optional(z.string()),
  /** Provider state, lower-cased (`available`, `deregistered`, ... on EC2). */
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
export type ImageFacts = z.infer<typeof ImageFacts>;
