import type { Ec2ClientLike } from '../../providers/aws/ec2-client.js';
import { UsageError } from '../errors.js';
import type { FailOn, LaunchOptions, ProviderId, Report, TargetRequest } from '../model/index.js';
import { checkTargets, type CheckTargetsOptions } from './check-targets.js';

/** A check request: every image is checked against every instance type or flavor. */
export interface CheckOptions {
  /** `aws` (default), `rackspace` or `openstack`. */
  provider?: ProviderId;
  /** Images to look up: AMI IDs; Glance image IDs or names. */
  image?: string | readonly string[];
  /**
   * Image description files: `aws ec2 describe-images` output (`{"Images":[...]}`) or one Image (AWS);
   * Glance v2 JSON (`openstack image show -f json`) or Nova image JSON (OpenStack).
   */
  imageFile?: string | readonly string[];
  /** Instance type names (`t3.micro`), or flavor IDs or names (`general1-1`). */
  type?: string | readonly string[];
  /** Alias of `type` for OpenStack users. */
  flavor?: string | readonly string[];
  /** Region; default: the SDK's resolution (AWS), `OS_REGION_NAME` / `RAX_REGION` (OpenStack). */
  region?: string;
  /** Use the embedded catalog instead of the provider's API; images must then come from `imageFile`. */
  offline?: boolean;
  /** How the server would be created (OpenStack: `diskConfig`, `bootFromVolume`, `volumeSizeGiB`). */
  launch?: LaunchOptions;
  /** Lowest severity that fails a target (default `error`). */
  failOn?: FailOn;
  /** Clock for deprecation checks (default: now). */
  now?: Date;
  /** An `EC2Client` from `@aws-sdk/client-ec2` to use instead of creating one (for tests and custom setups). */
  ec2Client?: Ec2ClientLike;
  /** Builds each provider instead of the default (catalog cache, snapshots). */
  providerFor?: CheckTargetsOptions['providerFor'];
}

function list(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
}

/** The image x type pairs a flag-style request names, as target requests. */
export function targetsOf(options: CheckOptions): TargetRequest[] {
  const provider = options.provider ?? 'aws';
  const images = [
    ...list(options.imageFile).map((imageFile) => ({ imageFile })),
    ...[...new Set(list(options.image))].map((image) => ({ image })),
  ];
  const types = [...new Set([...list(options.type), ...list(options.flavor)])];
  if (images.length === 0) {
    const example = provider === 'aws' ? '--image ami-... or --image-file describe-images.json' : '--image <id|name> or --image-file image.json';
    throw new UsageError('no image given', { hint: `pass ${example}` });
  }
  if (types.length === 0) {
    const [what, flag] = provider === 'aws' ? ['instance type', '--type, e.g. --type t3.micro'] : ['flavor', '--flavor, e.g. --flavor general1-1'];
    throw new UsageError(`no ${what} given`, { hint: `pass ${flag}` });
  }
  return images.flatMap((image) =>
    types.map((type) => ({ provider, region: options.region, ...image, type, ...(options.launch ? { launch: options.launch } : {}) })),
  );
}

/**
 * Checks every image x instance type (or flavor) pair and returns the report `imglint check --format json`
 * prints. Never prints or exits.
 * @throws UsageError (bad options), InputError (unknown image, type or flavor; malformed image file),
 *   ProviderApiError (credentials, throttling after retries, network, timeouts, malformed responses).
 */
export async function check(options: CheckOptions): Promise<Report> {
  return checkTargets(targetsOf(options), {
    offline: options.offline,
    failOn: options.failOn,
    now: options.now,
    ec2Client: options.ec2Client,
    providerFor: options.providerFor,
    strict: true,
  });
}
