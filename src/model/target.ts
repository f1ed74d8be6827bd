import * as z from 'zod/mini';
import type { ImglintError } from '../errors.js';
import { ProviderId } from './common.js';

/** Where a target came from, so findings can point back at it. */
export const SourceLocation = z.object({
  /** Path of the plan or manifest the target was read from. */
  file: z.string(),
  /** 1-based line, when the format keeps lines. */
  line: z.optional(z.int().check(z.positive())),
  /** Resource address (`aws_instance.web`) or manifest entry name. */
  address: z.optional(z.string()),
});
export type SourceLocation = z.infer<typeof SourceLocation>;

/** How the server would be created: the options that change what Nova checks. */
export const LaunchOptions = z.object({
  /** `OS-DCF:diskConfig` of the create request; absent when the request does not send it. */
  diskConfig: z.optional(z.enum(['AUTO', 'MANUAL'])),
  /** Boot from a volume created from the image (`block_device_mapping_v2`) instead of the flavor's disk. */
  bootFromVolume: z.optional(z.boolean()),
  /** Size of that volume, in GiB. */
  volumeSizeGiB: z.optional(z.number().check(z.positive())),
  /** The caller has Nova's admin role (policy `os_compute_api:servers:create:zero_disk_flavor`). */
  admin: z.optional(z.boolean()),
});
export type LaunchOptions = z.infer<typeof LaunchOptions>;

export { KNOWN_AFTER_APPLY } from './placeholders.js';

/** One image x machine type pair to check, as reported. */
export const Target = z.object({
  provider: ProviderId,
  /** Region the launch would happen in (`us-east-1`, `IAD`). */
  region: z.string().check(z.minLength(1)),
  /**
   * Availability zones the launch is pinned to, by name (`us-east-1a`) or zone ID (`use1-az1`): one for an instance,
   * several for an Auto Scaling group spanning zones; absent when the launch lets EC2 pick the zone.
   */
  availabilityZones: z.optional(z.array(z.string().check(z.minLength(1)))),
  /** Image ID (AMI ID or Glance UUID), whether looked up or read from an `--image-file`; {@link KNOWN_AFTER_APPLY} when unknown. */
  image: z.string().check(z.minLength(1)),
  /** Instance type name (`t2.micro`), or flavor ID or name (`general1-1`). */
  type: z.string().check(z.minLength(1)),
  launch: z.optional(LaunchOptions),
  source: z.optional(SourceLocation),
  /**
   * Set when the target is a machine the deployment keeps rather than launches (see `TargetRequest.existing`): its
   * findings are lowered to `info` (`kept`), or those about the image alone (`resized`).
   */
  existing: z.optional(z.object({ change: z.enum(['kept', 'resized']), reason: z.string() })),
});
export type Target = z.infer<typeof Target>;

/**
 * Attribute-based instance type selection, in the shape of the EC2 and Auto Scaling APIs' `InstanceRequirements`
 * (`{ VCpuCount: { Min, Max }, MemoryMiB: { Min, Max }, BurstablePerformance: 'included', ... }`: vCPUs, MiB and GiB
 * as the API counts them). Interpreted by `src/engine/instance-requirements.ts`.
 */
export type InstanceRequirements = Readonly<Record<string, unknown>>;

/**
 * One pair a user asked about, before resolution: from flags, a manifest entry or a Terraform plan resource.
 * `image` and `type` are references (IDs or names); `undefined` means known only after apply.
 */
export interface TargetRequest {
  provider: ProviderId;
  /** Region; default the provider's (AWS_REGION, OS_REGION_NAME, ...). */
  region?: string;
  /** Availability zones (names or zone IDs) the launch is pinned to; see {@link Target}'s `availabilityZones`. */
  availabilityZones?: string[];
  /** Image reference to look up (AMI ID; Glance ID or name). */
  image?: string;
  /** An image description file instead of a lookup. */
  imageFile?: string;
  /** Instance type name, or flavor ID or name. */
  type?: string;
  /**
   * Instead of `type` (Rackspace, OpenStack): a flavor description file (`openstack flavor show -f json`, Nova flavor
   * JSON); the target is checked against every flavor in it.
   */
  flavorFile?: string;
  /**
   * Instead of `type`: the launch picks its instance types by these attributes (AWS), and the target is judged
   * against every type they may select (rule `instance-requirements`).
   */
  instanceRequirements?: InstanceRequirements;
  launch?: LaunchOptions;
  source?: SourceLocation;
  /** Why the target cannot be judged before apply (`ami is known only after apply`), when it cannot. */
  unknown?: string;
  /**
   * When what `unknown` lacks becomes known, for the words of the `unverifiable` finding: `apply` (a Terraform plan's
   * value, after `terraform apply`), `deploy` (a CloudFormation template's, when the stack is deployed), `live` (a
   * value only the provider's API gives, such as an SSM parameter in an offline run). Absent: not said.
   */
  unknownUntil?: 'apply' | 'deploy' | 'live';
  /**
   * Set when the target is a machine that already runs and that the input does not launch anew (a Terraform
   * `no-op`, or an update in place), with the reason. `kept`: it keeps its image and type, so nothing is launched
   * and its findings describe what already runs. `resized`: the update changes its instance type (flavor) in place:
   * EC2 stops it and starts it on the new type (`ModifyInstanceAttribute` checks the pair), Nova resizes it, but no
   * launch reads the image, so its state and deprecation stop nothing. Absent: the target is a launch.
   */
  existing?: { change: 'kept' | 'resized'; reason: string };
  /**
   * Why the target could not even be read: an error met while resolving its values (SSM `GetParameters` failing
   * for its region). It is reported as this error (verdict `error`, exit 3 for a provider error) without asking
   * the provider; `unknown` says the same for a reader of requests that does not look here.
   */
  error?: ImglintError;
}
