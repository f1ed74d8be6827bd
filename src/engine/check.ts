import * as z from 'zod/mini';
import type { Ec2ClientLike } from '../../providers/aws/ec2-client.js';
import { closeMatches, didYouMean } from '../catalog/close-matches.js';
import { applyConfig } from '../config/apply.js';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import type { ImglintConfig } from '../config/schema.js';
import { UsageError } from '../errors.js';
import { FailOn, LaunchOptions, ProviderId, type Report } from '../model/index.js';
import { ON_UNVERIFIABLE, type OnUnverifiable } from '../model/severity.js';
import { describeValue, formatZodIssue } from '../model/zod-issues.js';
import { checkTargets, type CheckTargetsOptions } from './check-targets.js';
import { asList, targetsOf } from './flag-targets.js';

/** A check request: every image is checked against every instance type or flavor. */
export interface CheckOptions {
  /** `aws` (default: the configuration's, else `aws`), `rackspace` or `openstack`. */
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
  /**
   * Flavor description files (Rackspace, OpenStack): `openstack flavor show -f json` output or Nova flavor JSON (one
   * flavor, `{"flavor": ...}`, `{"flavors": [...]}`). A `type` / `flavor` they describe (by id, else name) is taken
   * from them without a lookup; without any `type`, every image is checked against every flavor in them. Offline,
   * they are a generic OpenStack cloud's only catalog.
   */
  flavorFile?: string | readonly string[];
  /**
   * Region; default: the configuration's, else (AWS) `AWS_REGION`, `AWS_DEFAULT_REGION`, then the `AWS_PROFILE`
   * profile's `region` in the shared credentials file, then in the shared config file (live, through the SDK;
   * offline, read the same way without it: none is a UsageError), `OS_REGION_NAME` / `RAX_REGION` (OpenStack).
   */
  region?: string;
  /**
   * AWS: the availability zones the launch is pinned to, by name (`us-east-1a`) or zone ID (`use1-az1`), as
   * `--availability-zone` gives them; `instance-type-offering` then judges each zone. A list for a group spanning
   * zones. Default: none (the region's offerings are judged).
   *
   * @throws UsageError with a provider other than `aws`.
   */
  availabilityZone?: string | readonly string[];
  /**
   * Milliseconds all provider calls of the check may take together (default 60,000; `--timeout` gives it in
   * seconds); then the lookups still waiting fail with a `ProviderApiError` (`Timeout`). Each AWS request attempt is
   * also bounded on its own (10 s). Ignored offline.
   */
  timeoutMs?: number;
  /** Use the embedded catalog instead of the provider's API; images must then come from `imageFile`. */
  offline?: boolean;
  /** How the server would be created (OpenStack: `diskConfig`, `bootFromVolume`, `volumeSizeGiB` in GiB, `admin`). */
  launch?: LaunchOptions;
  /** Lowest severity that fails a target (default: the configuration's `failOn`, else `error`). */
  failOn?: FailOn;
  /** Severity of targets that cannot be verified (default: the configuration's `onUnverifiable`, else `warning`). */
  onUnverifiable?: OnUnverifiable;
  /**
   * The `.imglint.yaml` to apply, as the CLI does: a path (relative to `cwd`), a configuration object (validated like
   * the file), or `false` for none. Default: discovery from `cwd` up to the repository root, like `imglint check`.
   */
  config?: string | ImglintConfig | false;
  /** Where configuration discovery starts and relative source paths are resolved (default `process.cwd()`). */
  cwd?: string;
  /** Clock for deprecation checks and ignore expiry (default: now). */
  now?: Date;
  /** An `EC2Client` from `@aws-sdk/client-ec2` to use instead of creating one (for tests and custom setups). */
  ec2Client?: Ec2ClientLike;
  /** Builds each provider instead of the default (catalog cache, snapshots). */
  providerFor?: CheckTargetsOptions['providerFor'];
}

const Ref = z.string().check(z.minLength(1));
const Refs = z.union([Ref, z.array(Ref)]);
const isFunction = (value: unknown) => typeof value === 'function';

/** The options object as the library accepts it: every key known, every value of its type. */
const CheckOptionsSchema = z.strictObject({
  provider: z.optional(ProviderId),
  image: z.optional(Refs),
  imageFile: z.optional(Refs),
  type: z.optional(Refs),
  flavor: z.optional(Refs),
  flavorFile: z.optional(Refs),
  region: z.optional(Ref),
  availabilityZone: z.optional(Refs),
  timeoutMs: z.optional(z.int().check(z.positive())),
  offline: z.optional(z.boolean()),
  launch: z.optional(z.strictObject(LaunchOptions.shape)),
  failOn: z.optional(FailOn),
  onUnverifiable: z.optional(z.enum(ON_UNVERIFIABLE)),
  config: z.optional(z.union([Ref, z.literal(false), z.custom<object>((value) => typeof value === 'object' && value !== null && !Array.isArray(value))])),
  cwd: z.optional(Ref),
  now: z.optional(z.date()),
  ec2Client: z.optional(z.custom<Ec2ClientLike>((value) => typeof value === 'object' && value !== null && isFunction((value as { send?: unknown }).send))),
  providerFor: z.optional(z.custom<NonNullable<CheckOptions['providerFor']>>(isFunction)),
});

/** What each option takes, for messages. */
const EXPECTED: Record<keyof CheckOptions, string> = {
  provider: "'aws', 'rackspace' or 'openstack'",
  image: 'an image ID or name, or a list of them',
  imageFile: 'a file path, or a list of them',
  type: 'an instance type or flavor, or a list of them',
  flavor: 'a flavor ID or name, or a list of them',
  flavorFile: 'a file path, or a list of them',
  region: 'a region name',
  availabilityZone: 'a zone name or ID, or a list of them',
  timeoutMs: 'a whole number of milliseconds above 0',
  offline: 'true or false',
  launch: '{ diskConfig?, bootFromVolume?, volumeSizeGiB?, admin? }',
  failOn: "'error', 'warning', 'info' or 'never'",
  onUnverifiable: "'error', 'warning' or 'ignore'",
  config: 'a path, a configuration object or false',
  cwd: 'a directory path',
  now: 'a valid Date',
  ec2Client: 'an EC2Client (an object with send())',
  providerFor: 'a function',
};

/**
 * Validates the options at the API boundary, so a wrong value is a `UsageError` naming the option, never a
 * `TypeError` from deep inside. Reading the options runs the caller's getters; what they throw passes through.
 */
function validOptions(options: unknown): z.infer<typeof CheckOptionsSchema> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new UsageError(`check() takes an options object (got ${options === undefined ? 'nothing' : describeValue(options)})`, {
      hint: "e.g. check({ image: 'ami-0abcdef1234567890', type: 't3.micro' })",
    });
  }
  const result = CheckOptionsSchema.safeParse(options, { reportInput: true });
  if (result.success) return result.data;
  const [issue] = result.error.issues as [z.core.$ZodIssue];
  const known = Object.keys(EXPECTED);
  if (issue.code === 'unrecognized_keys') {
    const [key = ''] = issue.keys;
    const [close] = didYouMean(key, closeMatches(key, known.map((name) => [name, []] as const)), false);
    throw new UsageError(`check(): unknown option ${key}${close === undefined ? '' : ` (${close.replace(/^D/, 'd')})`}`, {
      hint: `the options are ${known.join(', ')}`,
    });
  }
  const [key] = issue.path as [keyof CheckOptions, ...PropertyKey[]];
  const value = (options as Record<string, unknown>)[key];
  const message =
    issue.path.length > 1 && key === 'launch'
      ? formatZodIssue(issue, ['options'])
      : `options.${String(key)}: expected ${EXPECTED[key] ?? issue.message} (got ${describeValue(value)})`;
  throw new UsageError(`check(): ${message}`, { hint: 'docs: README "Library" and docs/configuration.md' });
}

/** The configuration `check()` applies: the object given, the file given, the one discovered, or none. */
async function configOf(config: CheckOptions['config'], cwd: string): Promise<Pick<LoadedConfig, 'config' | 'displayPath'> | undefined> {
  if (config === false) return undefined;
  if (typeof config === 'object') {
    const { configFromObject } = await import('../config/parse.js');
    return { config: configFromObject(config, 'options.config'), displayPath: 'options.config' };
  }
  return loadConfig({ cwd, explicitPath: config });
}

/**
 * Checks every image x instance type (or flavor) pair and returns the report `imglint check --format json`
 * prints, with the configuration applied as `imglint check` applies it: `.imglint.yaml` found from `cwd` up to the
 * repository root, or `config` (a path or an object), supplies `provider`, `region`, `failOn` and `onUnverifiable`
 * where the options do not, and its `rules` and `ignore`; inline `# imglint-ignore` comments above the targets'
 * resources apply too. `maxWarnings` is the caller's to compare with `report.summary.warnings`. Never prints or
 * exits.
 *
 * @throws UsageError (bad options, naming the option; an invalid or unreadable configuration; no AWS region configured),
 *   InputError (unknown image, type, flavor or region; malformed image file, or one of the other kind of cloud), ProviderApiError (credentials, throttling after retries, network,
 *   timeouts, malformed responses). An error thrown by a getter of the caller's options object passes through as is.
 */
export async function check(options: CheckOptions): Promise<Report> {
  const valid = validOptions(options) as CheckOptions;
  const cwd = valid.cwd ?? process.cwd();
  const loaded = await configOf(valid.config, cwd);
  const config = loaded?.config ?? {};
  const now = valid.now ?? new Date();
  const provider = valid.provider ?? config.provider;
  const targets = targetsOf({ ...valid, provider, region: valid.region ?? config.region });
  const zones = [...new Set(asList(valid.availabilityZone))];
  if (zones.length > 0) {
    if ((provider ?? 'aws') !== 'aws') {
      throw new UsageError(`check(): options.availabilityZone applies to AWS targets (provider is ${provider})`, {
        hint: 'drop availabilityZone, or check AWS images and instance types',
      });
    }
    for (const target of targets) target.availabilityZones = zones;
  }
  const report = await checkTargets(
    targets,
    {
      offline: valid.offline,
      ...(valid.timeoutMs !== undefined && { timeoutMs: valid.timeoutMs }),
      failOn: valid.failOn ?? config.failOn,
      onUnverifiable: valid.onUnverifiable ?? config.onUnverifiable,
      now,
      ec2Client: valid.ec2Client,
      providerFor: valid.providerFor,
      flavorFiles: asList(valid.flavorFile),
      strict: true,
    },
  );
  const configured = loaded ? applyConfig(report, loaded.config, loaded.displayPath, now) : report;
  const { applyInlineIgnores } = await import('../config/inline-ignores.js');
  return applyInlineIgnores(configured, { cwd });
}
