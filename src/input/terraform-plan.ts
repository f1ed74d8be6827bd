import * as z from 'zod/mini';
import { InputError } from '../errors.js';
import type { ProviderId } from '../model/common.js';
import type { LaunchOptions, TargetRequest } from '../model/target.js';
import { formatZodError } from '../model/zod-issues.js';
import { parseJsonText, readTextFile, type FileErrors } from './json-file.js';

/**
 * Terraform plans as input: the JSON that `terraform show -json <planfile>` prints
 * (https://developer.hashicorp.com/terraform/internals/json-format), turned into one {@link TargetRequest} per
 * resource instance that would launch a machine.
 */

const PLAN_HINT = 'pass the JSON of a saved plan: `terraform plan -out tf.plan && terraform show -json tf.plan > plan.json`';

const FILE_ERRORS: FileErrors = {
  unreadable: 'UnreadableTerraformPlan',
  malformed: 'MalformedTerraformPlan',
  what: 'the Terraform plan',
  hint: PLAN_HINT,
};

/** Host of Rackspace's identity service (US; UK accounts use `lon.identity.api.rackspacecloud.com`). */
const RACKSPACE_IDENTITY_HOST = 'identity.api.rackspacecloud.com';

// ---- The parts of the plan format that are read. Unknown keys are ignored (the format's forward-compatibility rule).

/** An attribute map: `change.after`, `values`. */
const Values = z.record(z.string(), z.unknown());

const ResourceChange = z.object({
  address: z.string(),
  module_address: z.optional(z.string()),
  mode: z.string(),
  type: z.string(),
  name: z.string(),
  /** Set on a deposed object (an old copy awaiting deletion): never a launch. */
  deposed: z.optional(z.string()),
  change: z.object({
    actions: z.array(z.string()),
    after: z.nullish(Values),
    after_unknown: z.optional(z.unknown()),
  }),
});

const PlannedResource = z.object({
  address: z.string(),
  mode: z.string(),
  type: z.string(),
  name: z.string(),
  values: z.optional(Values),
});

const PlannedModule = z.object({
  /** `module.app[0]`; absent on the root module. */
  address: z.optional(z.string()),
  resources: z.optional(z.array(PlannedResource)),
  get child_modules() {
    return z.optional(z.array(PlannedModule));
  },
});
type PlannedModule = z.infer<typeof PlannedModule>;

const ConfigResource = z.object({
  /** Relative to its module: `aws_instance.web`, `data.aws_ami.x`. */
  address: z.string(),
  provider_config_key: z.optional(z.string()),
});

const ConfigModule = z.object({
  resources: z.optional(z.array(ConfigResource)),
  get module_calls() {
    return z.optional(z.record(z.string(), z.object({ module: z.optional(ConfigModule) })));
  },
});
type ConfigModule = z.infer<typeof ConfigModule>;

const ProviderConfig = z.object({ expressions: z.optional(z.record(z.string(), z.unknown())) });
type ProviderConfig = z.infer<typeof ProviderConfig>;

const Plan = z.object({
  planned_values: z.optional(z.object({ root_module: z.optional(PlannedModule) })),
  resource_changes: z.optional(z.array(ResourceChange)),
  configuration: z.optional(
    z.object({
      provider_config: z.optional(z.record(z.string(), ProviderConfig)),
      root_module: z.optional(ConfigModule),
    }),
  ),
});
type Plan = z.infer<typeof Plan>;

/** An expression that is a literal string in the configuration (`region = "us-east-1"`), not a reference. */
const ConstantString = z.object({ constant_value: z.string().check(z.minLength(1)) });

// ---- Attribute schemas of the resource types that launch machines.

const OptionalString = z.nullish(z.string());
const NestedBlocks = z.nullish(z.array(z.unknown()));

/** `aws_instance`, `aws_spot_instance_request` (AWS provider 5.x/6.x; `region` is the 6.x per-resource region). */
const AwsInstanceValues = z.object({ ami: OptionalString, instance_type: OptionalString, region: OptionalString, launch_template: NestedBlocks });
const AwsLaunchTemplateValues = z.object({
  image_id: OptionalString,
  instance_type: OptionalString,
  region: OptionalString,
  instance_requirements: NestedBlocks,
});
const BlockDevice = z.object({
  source_type: OptionalString,
  destination_type: OptionalString,
  boot_index: z.nullish(z.number()),
  volume_size: z.nullish(z.number()),
  uuid: OptionalString,
});
const OpenStackInstanceValues = z.object({
  image_id: OptionalString,
  image_name: OptionalString,
  flavor_id: OptionalString,
  flavor_name: OptionalString,
  region: OptionalString,
  // An element Terraform does not know yet is null.
  block_device: z.nullish(z.array(z.nullable(BlockDevice))),
});

/** Options of {@link parseTerraformPlan} and {@link readTerraformPlan}. */
export interface TerraformPlanOptions {
  /**
   * Region of targets whose provider configuration has no literal region (`region = var.region`, or none:
   * `AWS_REGION`, `OS_REGION_NAME`), typically the CLI's `--region`. Left undefined, such targets have no region
   * and the engine uses the provider's default.
   */
  defaultRegion?: string;
}

/**
 * Reads a Terraform plan in JSON and lists what it would launch.
 *
 * @param path - the JSON file, as the user wrote it (used verbatim in messages and in `source.file`).
 * @param options - see {@link TerraformPlanOptions}.
 * @returns the targets, as {@link parseTerraformPlan} describes them.
 * @throws InputError `UnreadableTerraformPlan` (cannot read the file, with the OS's reason), or anything
 *   {@link parseTerraformPlan} throws.
 */
export async function readTerraformPlan(path: string, options: TerraformPlanOptions = {}): Promise<TargetRequest[]> {
  const text = await readTextFile(path, FILE_ERRORS);
  return parseTerraformPlan(text, path, options);
}

/**
 * Parses the JSON of `terraform show -json <planfile>` (pure: no I/O) into one target per resource instance
 * (`count` and `for_each` instances each give one) of these types:
 *
 * | resource type | image | type |
 * |---|---|---|
 * | `aws_instance`, `aws_spot_instance_request` | `ami` | `instance_type` |
 * | `aws_launch_template` | `image_id` | `instance_type` |
 * | `openstack_compute_instance_v2` | the `block_device` with `boot_index` 0 and `source_type` `image` (its `uuid`), else `image_id`, else `image_name` | `flavor_id`, else `flavor_name` |
 *
 * Every other resource type, data sources and deposed objects are ignored. Instances come from `resource_changes`,
 * in plan order, with their `change.after` values laid over `planned_values` (root module and child modules, all
 * levels); instances found only in `planned_values` follow. An instance whose change is a pure `["delete"]` (or a
 * `["forget"]`, Terraform 1.7+) is skipped: nothing is launched. `["no-op"]` instances are kept: the machine exists
 * and will keep running on that image and type, so the pair is worth checking; replacements and updates are kept
 * too.
 *
 * Fields of each target:
 * - `provider`: `aws` for `aws_*`; for `openstack_compute_instance_v2`, `rackspace` when the resource's provider
 *   configuration has a literal `auth_url` on Rackspace's identity service (`identity.api.rackspacecloud.com`),
 *   else `openstack`.
 * - `region`: the resource's own known `region` attribute (AWS provider 6, OpenStack), else the literal `region`
 *   of its provider configuration (`configuration.provider_config`, found through the resource's
 *   `provider_config_key`, so aliases such as `aws.west` and configurations passed into modules count), else
 *   `options.defaultRegion`. A region given by a reference (`var.region`) is not evaluated.
 * - `image`, `type`: as in the table; `undefined` when the plan does not know them.
 * - `launch` (OpenStack): `{ bootFromVolume: true, volumeSizeGiB }` when the boot `block_device` copies the image
 *   to a volume (`destination_type` `volume`; `volume_size` is in GiB).
 * - `source`: `{ file: path, address, line }`: the instance's address (`module.app.aws_instance.web[0]`) and the
 *   1-based line of its `"address"` in `resource_changes` (in `planned_values` for instances found only there).
 *   `terraform show -json` prints one line, so lines mean something only in a pretty-printed plan (`jq .`).
 * - `unknown`: why the pair cannot be checked before apply, when it cannot: an attribute Terraform knows only after
 *   apply (`change.after_unknown`, or absent from the values), e.g. `ami is known only after apply`; an
 *   unset one (`instance_type is not set on the launch template ...`); an image that EC2 resolves at launch
 *   (`resolve:ssm:...`); a server booting from an existing volume. Such a target is unverifiable, not a failure.
 *
 * @param text - the plan JSON (a leading byte-order mark is ignored).
 * @param path - the file name for messages and `source.file`.
 * @param options - see {@link TerraformPlanOptions}.
 * @returns the targets; empty when the plan launches no machine of a known type.
 * @throws InputError
 *   `MalformedTerraformPlan` (not JSON: the message gives line and column);
 *   `NotATerraformPlan` (JSON without `format_version`, or without `planned_values` and `resource_changes`, e.g.
 *   state, or a binary plan file);
 *   `UnsupportedTerraformPlanVersion` (a `format_version` other than `0.x` or `1.x`, e.g. `"2.0"`: per the format's
 *   rules a new major version may change meanings, so it is refused rather than misread);
 *   `InvalidTerraformPlan` (a part imglint reads has the wrong shape; the message names it, e.g.
 *   `resource_changes[2].change.actions: missing (expected array)` or `aws_instance.web: ami: expected string (got 5)`).
 */
export function parseTerraformPlan(text: string, path: string, options: TerraformPlanOptions = {}): TargetRequest[] {
  if (text.startsWith('PK\u0003\u0004')) {
    throw new InputError('NotATerraformPlan', `${path}: is a binary Terraform plan file, not its JSON`, { hint: PLAN_HINT });
  }
  const document = parseJsonText(text, path, FILE_ERRORS);
  const plan = checkPlan(document, path);
  const context: PlanContext = {
    path,
    defaultRegion: options.defaultRegion,
    providerConfigs: plan.configuration?.provider_config ?? {},
    providerKeys: indexProviderKeys(plan.configuration?.root_module, '', new Map()),
  };
  return launchingInstances(plan, text).map((instance) => toTarget(instance, context));
}

/** Checks that `document` is a plan in a format version imglint reads, and validates the parts it reads. */
function checkPlan(document: unknown, path: string): Plan {
  if (typeof document !== 'object' || document === null || Array.isArray(document) || !('format_version' in document)) {
    throw new InputError('NotATerraformPlan', `${path}: not a Terraform plan: no "format_version"`, { hint: PLAN_HINT });
  }
  const version = document.format_version;
  const major = typeof version === 'string' ? /^(\d+)\.\d+$/.exec(version)?.[1] : undefined;
  if (major === undefined) {
    throw new InputError(
      'UnsupportedTerraformPlanVersion',
      `${path}: Terraform plan format_version ${JSON.stringify(version)} is not a version (expected "1.<minor>")`,
      { hint: PLAN_HINT },
    );
  }
  if (Number(major) > 1) {
    throw new InputError(
      'UnsupportedTerraformPlanVersion',
      `${path}: Terraform plan format_version "${String(version)}" is not supported: imglint reads format 1.x`,
      { hint: 'a new major version of the plan format may change what fields mean; upgrade imglint, or produce the plan with a Terraform release that writes format 1.x' },
    );
  }
  if (!('planned_values' in document) && !('resource_changes' in document)) {
    const state = 'values' in document ? ' (it looks like Terraform state)' : '';
    throw new InputError('NotATerraformPlan', `${path}: not a Terraform plan: no "planned_values" or "resource_changes"${state}`, {
      hint: PLAN_HINT,
    });
  }
  const result = Plan.safeParse(document, { reportInput: true });
  if (!result.success) throw invalidPlan(path, formatZodError(result.error));
  return result.data;
}

function invalidPlan(path: string, detail: string): InputError {
  return new InputError('InvalidTerraformPlan', `${path}: ${detail}`, {
    hint: 'pass the output of `terraform show -json`, unchanged',
  });
}

/** One resource instance that may launch a machine, with everything the plan knows about it. */
interface Instance {
  address: string;
  /** `module.app[0]`; `''` in the root module. */
  moduleAddress: string;
  type: string;
  /** The resource name (`web` in `aws_instance.web`). */
  name: string;
  /** Planned attribute values; an attribute Terraform does not know yet is absent. */
  values: Record<string, unknown>;
  /** `change.after_unknown`: `true` where a value is known only after apply; undefined from `planned_values`. */
  afterUnknown: unknown;
  line: number | undefined;
}

/** What a resource's attributes say about the launch. */
interface Reading {
  image?: string | undefined;
  type?: string | undefined;
  launch?: LaunchOptions;
  /** The resource's own region attribute, when known. */
  region?: string | undefined;
  /** Attributes Terraform knows only after apply (`ami`, `instance_type`). */
  afterApply: string[];
  /** Other reasons the pair cannot be judged. */
  reasons: string[];
}

/** How to read one resource type: its provider family and its attributes. */
interface ResourceKind {
  family: 'aws' | 'openstack';
  read(instance: Instance, path: string): Reading;
}

const KINDS = new Map<string, ResourceKind>([
  ['aws_instance', { family: 'aws', read: readAwsInstance }],
  ['aws_spot_instance_request', { family: 'aws', read: readAwsInstance }],
  ['aws_launch_template', { family: 'aws', read: readAwsLaunchTemplate }],
  ['openstack_compute_instance_v2', { family: 'openstack', read: readOpenStackInstance }],
]);

/** What turning an instance into a target needs from the rest of the plan. */
interface PlanContext {
  path: string;
  defaultRegion: string | undefined;
  providerConfigs: Record<string, ProviderConfig>;
  /** `<module path without instance keys>|<resource address in the module>` → `provider_config_key`. */
  providerKeys: Map<string, string>;
}

/** A `planned_values` resource and the address of the module holding it. */
interface PlannedInstance {
  resource: z.infer<typeof PlannedResource>;
  moduleAddress: string;
}

/** The instances of known resource types that would run after apply, `resource_changes` first. */
function launchingInstances(plan: Plan, text: string): Instance[] {
  const planned = new Map<string, PlannedInstance>();
  indexPlanned(plan.planned_values?.root_module, '', planned);
  const instances: Instance[] = [];
  const seen = new Set<string>();
  const changeLines = addressLines(text, 'resource_changes');
  for (const change of plan.resource_changes ?? []) {
    seen.add(change.address);
    if (change.mode !== 'managed' || change.deposed !== undefined || !KINDS.has(change.type)) continue;
    const actions = change.change.actions.join(',');
    if (actions === 'delete' || actions === 'forget') continue;
    instances.push({
      address: change.address,
      moduleAddress: change.module_address ?? '',
      type: change.type,
      name: change.name,
      values: { ...planned.get(change.address)?.resource.values, ...change.change.after },
      afterUnknown: change.change.after_unknown,
      line: changeLines.get(change.address),
    });
  }
  let plannedLines: Map<string, number> | undefined;
  for (const [address, { resource, moduleAddress }] of planned) {
    if (seen.has(address) || resource.mode !== 'managed' || !KINDS.has(resource.type)) continue;
    plannedLines ??= addressLines(text, 'planned_values');
    instances.push({
      address,
      moduleAddress,
      type: resource.type,
      name: resource.name,
      values: resource.values ?? {},
      afterUnknown: undefined,
      line: plannedLines.get(address),
    });
  }
  return instances;
}

function indexPlanned(module: PlannedModule | undefined, moduleAddress: string, into: Map<string, PlannedInstance>): void {
  for (const resource of module?.resources ?? []) into.set(resource.address, { resource, moduleAddress });
  for (const child of module?.child_modules ?? []) indexPlanned(child, child.address ?? moduleAddress, into);
}

function indexProviderKeys(module: ConfigModule | undefined, modulePath: string, into: Map<string, string>): Map<string, string> {
  for (const resource of module?.resources ?? []) {
    if (resource.provider_config_key) into.set(`${modulePath}|${resource.address}`, resource.provider_config_key);
  }
  for (const [name, call] of Object.entries(module?.module_calls ?? {})) {
    indexProviderKeys(call.module, modulePath ? `${modulePath}.module.${name}` : `module.${name}`, into);
  }
  return into;
}

function toTarget(instance: Instance, context: PlanContext): TargetRequest {
  const kind = KINDS.get(instance.type)!;
  const reading = kind.read(instance, context.path);
  const config = providerConfig(instance, kind.family, context);
  const provider: ProviderId = kind.family === 'aws' ? 'aws' : isRackspaceIdentity(constant(config, 'auth_url')) ? 'rackspace' : 'openstack';
  const region = reading.region ?? constant(config, 'region') ?? context.defaultRegion;
  const afterApply = reading.afterApply;
  const unknown = [
    ...(afterApply.length > 0 ? [`${afterApply.join(' and ')} ${afterApply.length > 1 ? 'are' : 'is'} known only after apply`] : []),
    ...reading.reasons,
  ].join('; ');
  return {
    provider,
    ...(region !== undefined && { region }),
    ...(reading.image !== undefined && { image: reading.image }),
    ...(reading.type !== undefined && { type: reading.type }),
    ...(reading.launch !== undefined && { launch: reading.launch }),
    source: { file: context.path, address: instance.address, ...(instance.line !== undefined && { line: instance.line }) },
    ...(unknown !== '' && { unknown }),
  };
}

/**
 * The provider configuration a resource uses. Terraform points module resources at the configuration they really
 * use (`aws`, `aws.west`); older Terraform wrote a module-local key (`module.app:aws`) that may not exist in
 * `provider_config`, so the module path is walked up to the root until a configuration matches. A resource missing
 * from `configuration.root_module` is looked up the same way, from its module's default configuration (`aws`).
 */
function providerConfig(instance: Instance, family: string, context: PlanContext): ProviderConfig | undefined {
  const modulePath = withoutInstanceKeys(instance.moduleAddress);
  let key = context.providerKeys.get(`${modulePath}|${instance.type}.${instance.name}`) ?? (modulePath ? `${modulePath}:${family}` : family);
  for (;;) {
    if (Object.hasOwn(context.providerConfigs, key)) return context.providerConfigs[key];
    const colon = key.lastIndexOf(':');
    if (colon < 0) return undefined;
    const parent = parentModule(key.slice(0, colon));
    key = parent ? `${parent}:${key.slice(colon + 1)}` : key.slice(colon + 1);
  }
}

/**
 * Lines of the `"address"` keys from the start of `section` to the end of the text, first occurrence of each
 * address only. Terraform writes `planned_values`, then `resource_changes`, then `prior_state` and
 * `configuration`, so the first occurrence after a section's start lies in that section. A quote inside a JSON
 * string is escaped, so the pattern cannot match inside a value.
 */
function addressLines(text: string, section: string): Map<string, number> {
  const lines = new Map<string, number>();
  const start = new RegExp(`"${section}"\\s*:`).exec(text);
  if (!start) return lines;
  const pattern = /"address"\s*:\s*("(?:[^"\\]|\\.)*")/g;
  pattern.lastIndex = start.index;
  let line = 1;
  let counted = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    for (let at = counted; at < match.index; at++) if (text.charCodeAt(at) === 10) line++;
    counted = match.index;
    const address = JSON.parse(match[1]!) as string;
    if (!lines.has(address)) lines.set(address, line);
  }
  return lines;
}

/** `module.a["x"].module.b[0]` → `module.a.module.b`: the module's path in the configuration. */
function withoutInstanceKeys(moduleAddress: string): string {
  return moduleAddress.replace(/\[(?:\d+|"(?:[^"\\]|\\.)*")\]/g, '');
}

/** `module.a.module.b` → `module.a`; `module.a` (or an older key's bare module name) → `''`. */
function parentModule(modulePath: string): string {
  const at = modulePath.lastIndexOf('.module.');
  return at < 0 ? '' : modulePath.slice(0, at);
}

/** The literal string value of a provider argument, if the configuration gives one. */
function constant(config: ProviderConfig | undefined, argument: string): string | undefined {
  const parsed = ConstantString.safeParse(config?.expressions?.[argument]);
  return parsed.success ? parsed.data.constant_value : undefined;
}

function isRackspaceIdentity(url: string | undefined): boolean {
  if (url === undefined || !URL.canParse(url)) return false;
  const host = new URL(url).hostname.toLowerCase();
  return host === RACKSPACE_IDENTITY_HOST || host.endsWith(`.${RACKSPACE_IDENTITY_HOST}`);
}

/** True when the plan says `path` of the instance is known only after apply (or leaves it out, as it does then). */
function isUnknown(instance: Instance, path: readonly (string | number)[]): boolean {
  let node = instance.afterUnknown;
  for (const segment of path) {
    if (node === true || typeof node !== 'object' || node === null) break;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node === true || (typeof path[0] === 'string' && !Object.hasOwn(instance.values, path[0]));
}

/** Validates the attributes a reader uses. @throws InputError `InvalidTerraformPlan` naming the resource. */
function attributes<T>(schema: z.ZodMiniType<T>, instance: Instance, path: string): T {
  const result = schema.safeParse(instance.values, { reportInput: true });
  if (!result.success) throw invalidPlan(path, `${instance.address}: ${formatZodError(result.error)}`);
  return result.data;
}

/** A known, non-empty string value, or (recorded in `reading`) why there is none. */
function pick(instance: Instance, reading: Reading, attribute: string, value: string | null | undefined, unset: string): string | undefined {
  if (value) return value;
  if (isUnknown(instance, [attribute])) reading.afterApply.push(attribute);
  else reading.reasons.push(unset);
  return undefined;
}

/** An AMI reference, except `resolve:ssm:<parameter>`, which EC2 resolves only at launch. */
function amiReference(reading: Reading, attribute: string, value: string | undefined): string | undefined {
  if (!value?.startsWith('resolve:ssm:')) return value;
  reading.reasons.push(`${attribute} ${value} is resolved from SSM Parameter Store at launch`);
  return undefined;
}

function readAwsInstance(instance: Instance, path: string): Reading {
  const values = attributes(AwsInstanceValues, instance, path);
  const reading: Reading = { afterApply: [], reasons: [], region: values.region || undefined };
  const via = (values.launch_template?.length ?? 0) > 0 ? ' (nor known from its launch template)' : '';
  reading.image = amiReference(reading, 'ami', pick(instance, reading, 'ami', values.ami, `ami is not set${via}`));
  reading.type = pick(instance, reading, 'instance_type', values.instance_type, `instance_type is not set${via}`);
  return reading;
}

function readAwsLaunchTemplate(instance: Instance, path: string): Reading {
  const values = attributes(AwsLaunchTemplateValues, instance, path);
  const reading: Reading = { afterApply: [], reasons: [], region: values.region || undefined };
  const image = pick(instance, reading, 'image_id', values.image_id, 'image_id is not set on the launch template (the launch request supplies it)');
  reading.image = amiReference(reading, 'image_id', image);
  reading.type = pick(
    instance,
    reading,
    'instance_type',
    values.instance_type,
    (values.instance_requirements?.length ?? 0) > 0
      ? 'instance_type is not set: the launch template picks types by instance_requirements'
      : 'instance_type is not set on the launch template (the Auto Scaling group or the launch request chooses it)',
  );
  return reading;
}

function readOpenStackInstance(instance: Instance, path: string): Reading {
  const values = attributes(OpenStackInstanceValues, instance, path);
  const reading: Reading = { afterApply: [], reasons: [], region: values.region || undefined };
  const devices = values.block_device ?? [];
  const bootIndex = devices.findIndex((device) => device?.boot_index === 0);
  const boot = devices[bootIndex];
  const imageOrName = () => {
    if (values.image_id) return values.image_id;
    if (values.image_name) return values.image_name;
    const unknown = ['image_id', 'image_name'].find((attribute) => isUnknown(instance, [attribute]));
    if (unknown) reading.afterApply.push(unknown);
    else reading.reasons.push('no image_id, image_name or boot block_device is set');
    return undefined;
  };
  if (boot?.source_type === 'image') {
    if (boot.destination_type === 'volume') {
      const size = boot.volume_size;
      reading.launch = { bootFromVolume: true, ...(size != null && size > 0 ? { volumeSizeGiB: size } : {}) };
    }
    if (boot.uuid) reading.image = boot.uuid;
    else if (isUnknown(instance, ['block_device', bootIndex, 'uuid'])) reading.afterApply.push('block_device.uuid');
    else reading.image = imageOrName();
  } else if (boot?.source_type === 'volume' || boot?.source_type === 'snapshot') {
    reading.reasons.push(`boots from an existing ${boot.source_type} (${boot.uuid || 'known only after apply'}): the image behind it is not in the plan`);
  } else {
    reading.image = imageOrName();
  }
  if (values.flavor_id) reading.type = values.flavor_id;
  else if (values.flavor_name) reading.type = values.flavor_name;
  else {
    const unknown = ['flavor_id', 'flavor_name'].find((attribute) => isUnknown(instance, [attribute]));
    if (unknown) reading.afterApply.push(unknown);
    else reading.reasons.push('no flavor_id or flavor_name is set');
  }
  return reading;
}
