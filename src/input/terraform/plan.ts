import { isDeepStrictEqual } from 'node:util';
import { InputError } from '../../errors.js';
import type { ProviderId, TargetRequest } from '../../model/index.js';
import { formatZodError } from '../../model/zod-issues.js';
import { parseJsonText, readTextFile, type FileErrors } from '../json-file.js';
import { AttributeError } from './attributes.js';
import { conformer } from './conforms.js';
import { KINDS, type Launch, type ReadContext, type ResourceKind } from './launches.js';
import { References } from './launch-templates.js';
import { Plan } from './plan-format.js';
import { at, indexPlan, type Instance, type PlanIndex } from './plan-index.js';
import { ProviderConfigs, type Argument } from './provider-configs.js';
import { regions } from './regions.js';
import { sourceDirectory, terraformSources, type TerraformSources } from './sources.js';
import { unreadLauncher } from './unread-launchers.js';

/**
 * Terraform plans as input: the JSON that `terraform show -json <planfile>` prints
 * (https://developer.hashicorp.com/terraform/internals/json-format), turned into one {@link TargetRequest} per
 * image × instance type (or flavor) that a resource of the plan would launch.
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

/** Options of {@link parseTerraformPlan} and {@link readTerraformPlan}. */
export interface TerraformPlanOptions {
  /**
   * Region of targets whose provider configuration sets no `region` (the provider then reads `AWS_REGION`,
   * `OS_REGION_NAME`), typically the CLI's `--region`. Left undefined, such targets have no region and the engine
   * uses the provider's default, as Terraform would.
   */
  defaultRegion?: string;
  /**
   * The configuration directory (`--source-dir`), for findings on `.tf` lines. {@link readTerraformPlan} defaults
   * it to the plan's directory when that holds `.tf` files.
   */
  sourceDir?: string;
  /** How {@link parseTerraformPlan} finds `.tf` lines (built from `sourceDir` by {@link readTerraformPlan}). */
  sources?: (index: PlanIndex) => TerraformSources;
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
  const root = sourceDirectory(path, options.sourceDir);
  return parseTerraformPlan(text, path, { ...options, ...(root !== undefined && { sources: (index: PlanIndex) => terraformSources(root, index) }) });
}

/**
 * Parses the JSON of `terraform show -json <planfile>` (pure: no I/O but `options.sources`) into one target per
 * launch: per resource instance (`count` and `for_each` instances each give theirs), one target per image ×
 * instance type (or instance requirements) it may launch, each pointing back at the resource.
 *
 * | resource type | launches |
 * |---|---|
 * | `aws_instance`, `aws_spot_instance_request` | `ami` × `instance_type`; either left to its `launch_template` comes from the template |
 * | `aws_autoscaling_group` | per `mixed_instances_policy` override: its `instance_type` or `instance_requirements` × the image of its launch template (the override's `launch_template_specification`, else the policy's); without overrides the template's type; else `launch_template`; else `launch_configuration` |
 * | `aws_spot_fleet_request` | every `launch_specification` (`ami` × `instance_type`), every override of every `launch_template_config` |
 * | `aws_ec2_fleet` | every `override` of every `launch_template_config` |
 * | `aws_eks_node_group` | every `instance_types` entry × the `image_id` of its launch template; with `ami_type` alone EKS picks the AMI: unverifiable |
 * | `aws_launch_template`, `aws_launch_configuration` | `image_id` × `instance_type` (or `instance_requirements`), only when no resource of the plan launches from it |
 * | `aws_cloud9_environment_ec2` | `image_id` (an SSM path; an alias Cloud9 maps itself is unverifiable) × `instance_type` |
 * | `openstack_compute_instance_v2` | the `block_device` with `boot_index` 0 and `source_type` `image` (its `uuid`), else `image_id`, else `image_name` × `flavor_id`, else `flavor_name` |
 *
 * Launch templates and configurations are found by the ID or name in the consumer's values, else through the
 * references in `configuration` (`aws_launch_template.app.id`, `aws_launch_template.app[0].id`), in the consumer's
 * module and region; the version asked for (`$Default` unless said) must be the one whose values the plan holds.
 * Resource types known to launch EC2 instances that imglint does not read (`aws_emr_cluster`, EC2
 * `aws_batch_compute_environment`s, ...) give one unverifiable target each, never nothing. Other resource types,
 * data sources and deposed objects are ignored. An instance whose change is a pure `["delete"]` (or `["forget"]`)
 * is skipped; a machine that exists and is not replaced (`["no-op"]`, `["update"]` of an instance) keeps its
 * target, marked `existing` (it launches nothing).
 *
 * Fields of each target:
 * - `provider`: `aws` for `aws_*`; for `openstack_compute_instance_v2`, `rackspace` when the provider
 *   configuration's `auth_url` is on Rackspace's identity service, else `openstack`.
 * - `region`: the resource's own known `region` attribute (every kind), else its provider configuration's
 *   `region` (found through `provider_config_key`, so aliases and configurations passed into modules count): a
 *   literal, or a `var.x` whose value the plan records (root `variables`, module call arguments, module variable
 *   defaults). An expression the plan does not resolve (`local.x`), or a provider configuration the plan does not
 *   identify (module-local keys of Terraform 1.1 and earlier), makes the target unverifiable, never defaulted. A
 *   configuration without `region` gets `options.defaultRegion`.
 * - `availabilityZones`: `availability_zone`, launch template `placement`, the group's `availability_zones`.
 * - `source`: `{ file, line, address }`: the `.tf` file and line of the resource block when `options.sources`
 *   finds it, else the plan file and the 1-based line of the instance's `"address"` in `resource_changes` (in
 *   `planned_values` for instances found only there; meaningful in a pretty-printed plan).
 * - `unknown`: why the target cannot be checked before apply, when it cannot. A resource whose values have an
 *   unexpected shape gets that as its reason; the other resources are read.
 * - `existing`: for an instance the plan does not launch anew (`kept`: a no-op or an update in place; `resized`:
 *   its instance type changes in place), with the reason.
 *
 * @param text - the plan JSON (a leading byte-order mark is ignored).
 * @param path - the file name for messages and `source.file`.
 * @param options - see {@link TerraformPlanOptions}.
 * @returns the targets; empty when the plan launches no machine of a known type.
 * @throws InputError
 *   `MalformedTerraformPlan` (not JSON: the message gives line and column);
 *   `NotATerraformPlan` (JSON without `format_version`, or without `planned_values` and `resource_changes`, e.g.
 *   state, or a binary plan file);
 *   `UnsupportedTerraformPlanVersion` (a `format_version` other than `0.x` (Terraform 0.12 to 1.0 wrote `0.1` and
 *   `0.2`) or `1.x`, e.g. `"2.0"`: a new major version may change meanings, so it is refused rather than misread);
 *   `InvalidTerraformPlan` (a part of the plan's structure has the wrong shape; the message names it, e.g.
 *   `resource_changes[2].change.actions: missing (expected array)`).
 */
export function parseTerraformPlan(text: string, path: string, options: TerraformPlanOptions = {}): TargetRequest[] {
  if (text.startsWith('PK\u0003\u0004')) {
    throw new InputError('NotATerraformPlan', `${path}: is a binary Terraform plan file, not its JSON`, { hint: PLAN_HINT });
  }
  const document = parseJsonText(text, path, FILE_ERRORS);
  let plan: Plan;
  let index: PlanIndex;
  try {
    plan = checkPlan(document, path);
    index = indexPlan(plan);
  } catch (error) {
    // Modules nested thousands deep (no real plan is) exhaust the stack of the recursive readers.
    if (!(error instanceof RangeError)) throw error;
    throw new InputError('InvalidTerraformPlan', `${path}: modules nested too deeply to read`, { hint: PLAN_HINT, cause: error });
  }
  const providers = new ProviderConfigs(plan, index);
  const regionOf = regions(index, providers, options.defaultRegion);
  const references = new References(index, regionOf);
  const sources = options.sources?.(index);
  const lines = { resource_changes: lazyLines(text, 'resource_changes'), planned_values: lazyLines(text, 'planned_values') };
  const context = { index, references };
  // Every consumer is read before any template, so a template some resource launches from is known as used.
  const read: { instance: Instance; kind?: ResourceKind; family: 'aws' | 'openstack'; launches: Launch[] }[] = [];
  for (const instance of index.instances) {
    const kind = KINDS.get(instance.type);
    if (kind !== undefined) {
      read.push({ instance, kind, family: kind.family, launches: readLaunches(instance, kind, context) });
      continue;
    }
    const reason = unreadLauncher(instance);
    if (reason !== undefined) read.push({ instance, launches: [{ afterApply: [], reasons: [reason] }], family: 'aws' });
  }
  const targets: TargetRequest[] = [];
  for (const { instance, kind, family, launches } of read) {
    if (kind?.launchesThroughOthers && references.used.has(instance.address)) continue;
    const provider: ProviderId = family === 'aws' ? 'aws' : openstackProvider(providers.argument(providers.configOf(instance, family), 'auth_url'));
    const region = regionOf(instance, family);
    const tf = sources?.(instance.moduleAddress, `${instance.type}.${instance.name}`);
    let source: NonNullable<TargetRequest['source']>;
    if (tf) source = { file: tf.file, line: tf.line, address: instance.address };
    else {
      source = { file: path, address: instance.address };
      const line = lines[instance.section]().get(instance.address);
      if (line !== undefined) source.line = line;
    }
    for (const launch of launches) targets.push(toTarget(launch, provider, region, source, existingMachine(instance, kind, launch)));
  }
  return targets;
}

function readLaunches(instance: Instance, kind: ResourceKind, context: ReadContext): Launch[] {
  try {
    return kind.read(instance, context);
  } catch (error) {
    if (!(error instanceof AttributeError)) throw error;
    return [{ afterApply: [], reasons: [`imglint cannot read ${instance.address}: ${error.message}`] }];
  }
}

/**
 * What the plan does to a machine that already exists, when it launches none: a `no-op` keeps it as it is; an
 * update in place that keeps its image keeps it too, or, when its type changes, resizes it (the AWS provider stops
 * the instance and starts it on the new type; `ami` and every Cloud9 argument force a replacement). Creates and
 * replacements (`delete,create`, `create,delete`) are launches, and so is an update that changes the image (an
 * OpenStack rebuild). Kinds that launch on their own later (Auto Scaling groups and fleets replace and add
 * instances; templates serve future launches) are launches whatever their change.
 */
function existingMachine(instance: Instance, kind: ResourceKind | undefined, launch: Launch): TargetRequest['existing'] {
  if (kind?.machine === undefined) return undefined;
  if (instance.actions === 'no-op') return { change: 'kept', reason: `the plan leaves ${instance.address} as it is (no-op): it launches nothing` };
  if (instance.actions !== 'update' || instance.before === undefined) return undefined;
  const changed = (keys: readonly string[]) =>
    keys.some((key) => at(instance.afterUnknown, [key]) === true || !isDeepStrictEqual(instance.before![key] ?? null, instance.values[key] ?? null));
  if (changed(kind.machine.image)) return undefined;
  if (changed(kind.machine.type)) {
    return { change: 'resized', reason: `the plan changes the type of ${instance.address} in place${launch.type === undefined ? '' : ` to ${launch.type}`}: it is restarted on that type, not launched from its image` };
  }
  return { change: 'kept', reason: `the plan updates ${instance.address} in place, with the same image and type: it launches nothing` };
}

function toTarget(launch: Launch, provider: ProviderId, region: Argument, source: TargetRequest['source'], existing: TargetRequest['existing']): TargetRequest {
  // Built field by field (in the order the spread form had) rather than from spreads: a plan has thousands of targets.
  const target: TargetRequest = { provider };
  if ('value' in region) target.region = region.value;
  if (launch.zones !== undefined) target.availabilityZones = launch.zones;
  if (launch.image !== undefined) target.image = launch.image;
  if (launch.type !== undefined) target.type = launch.type;
  if (launch.requirements !== undefined) target.instanceRequirements = launch.requirements;
  if (launch.launch !== undefined) target.launch = launch.launch;
  target.source = source;
  const unknown = unknownOf(launch, region);
  if (unknown !== '') {
    target.unknown = unknown;
    target.unknownUntil = 'apply';
  }
  if (existing !== undefined) target.existing = existing;
  return target;
}

/** Why a launch cannot be checked before apply, `''` when it can: the attributes known only then, the region's reason, the launch's. */
function unknownOf(launch: Launch, region: Argument): string {
  const { afterApply, reasons } = launch;
  if (afterApply.length === 0 && reasons.length === 0 && !('unknown' in region)) return '';
  return [
    ...(afterApply.length > 0 ? [`${afterApply.join(' and ')} ${afterApply.length > 1 ? 'are' : 'is'} known only after apply`] : []),
    ...('unknown' in region ? [region.unknown] : []),
    ...reasons,
  ].join('; ');
}

const isPlan = conformer(Plan);

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
      `${path}: Terraform plan format_version ${JSON.stringify(version)} is not a version (expected "<major>.<minor>", e.g. "1.2")`,
      { hint: PLAN_HINT },
    );
  }
  if (Number(major) > 1) {
    throw new InputError(
      'UnsupportedTerraformPlanVersion',
      `${path}: Terraform plan format_version "${String(version)}" is not supported: imglint reads formats 0.x and 1.x`,
      { hint: 'a new major version of the plan format may change what fields mean; upgrade imglint, or produce the plan with a Terraform release that writes format 1.x (Terraform 1.1 and later) or 0.x (0.12 to 1.0)' },
    );
  }
  if (!('planned_values' in document) && !('resource_changes' in document)) {
    const state = 'values' in document ? ' (it looks like Terraform state)' : '';
    throw new InputError('NotATerraformPlan', `${path}: not a Terraform plan: no "planned_values" or "resource_changes"${state}`, {
      hint: PLAN_HINT,
    });
  }
  // A plan that passes is read as parsed; zod's own parse (a copy of the whole plan) runs only to say what is wrong.
  if (isPlan(document)) return document;
  const result = Plan.safeParse(document, { reportInput: true });
  if (!result.success) throw invalidPlan(path, formatZodError(result.error));
  return result.data;
}

function invalidPlan(path: string, detail: string): InputError {
  return new InputError('InvalidTerraformPlan', `${path}: ${detail}`, {
    hint: 'pass the output of `terraform show -json`, unchanged',
  });
}

/** `rackspace` for a provider configuration whose `auth_url` is on Rackspace's identity service, else `openstack`. */
function openstackProvider(authUrl: Argument): 'rackspace' | 'openstack' {
  return 'value' in authUrl && isRackspaceIdentity(authUrl.value) ? 'rackspace' : 'openstack';
}

function isRackspaceIdentity(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const host = new URL(url).hostname.toLowerCase();
  return host === RACKSPACE_IDENTITY_HOST || host.endsWith(`.${RACKSPACE_IDENTITY_HOST}`);
}

/** {@link addressLines} of a section, computed on first use. */
function lazyLines(text: string, section: string): () => Map<string, number> {
  let lines: Map<string, number> | undefined;
  return () => (lines ??= addressLines(text, section));
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
  const pattern = /"address"\s*:\s*"((?:[^"\\]|\\.)*)"/g;
  pattern.lastIndex = start.index;
  let line = 1;
  let counted = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    // indexOf finds the next newline far faster than a loop over every character (a plan is megabytes).
    for (let at = text.indexOf('\n', counted); at !== -1 && at < match.index; at = text.indexOf('\n', at + 1)) line++;
    counted = match.index;
    const raw = match[1]!;
    const address = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
    if (!lines.has(address)) lines.set(address, line);
  }
  return lines;
}
