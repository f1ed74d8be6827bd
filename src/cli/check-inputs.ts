import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { DEFAULT_PROVIDER_TIMEOUT_MS } from '../../providers/provider.js';
import { closeMatches } from '../catalog/close-matches.js';
import { targetsOf } from '../engine/flag-targets.js';
import { ImglintError, InputError, UsageError } from '../errors.js';
import type { PlanEntry, TemplateEntry } from '../input/manifest/plan-and-template-entries.js';
import { plansIn, readPlansAndTemplates, templatesIn, type ReadTemplate } from '../input/manifest/plans-and-templates.js';
import type { ImageFacts, LaunchOptions, ProviderId, TargetRequest } from '../model/index.js';
import { collect } from './option-parsers.js';

/**
 * The inputs of `imglint check`: targets typed as flags, Terraform plans, CloudFormation templates and manifests,
 * collected into one list of target requests; `resolve:ssm:` images resolved (live) or left unverifiable
 * (offline).
 */

/** The flags that name targets. */
export interface InputFlags {
  provider?: ProviderId;
  image: string[];
  imageFile: string[];
  /** `--flavor-file`: flavors known without a lookup; without --type/--flavor, the flag targets' flavors. */
  flavorFile: string[];
  type: string[];
  flavor: string[];
  plan: string[];
  manifest: string[];
  cloudformation: string[];
  parameter: string[];
  sourceDir?: string;
  /** `--availability-zone`: zones (names or IDs) the flag targets are pinned to. */
  availabilityZone: string[];
  offline?: boolean;
  /** `--timeout`: seconds all provider calls may take (SSM lookups here, then the checks). */
  timeout?: number;
  diskConfig?: 'AUTO' | 'MANUAL';
  bootFromVolume?: boolean;
  volumeSize?: number;
  admin?: boolean;
}

/** What `.imglint.yaml` adds to the inputs. */
export interface ConfiguredInputs {
  plans?: readonly PlanEntry[];
  cloudformation?: readonly TemplateEntry[];
  /** Directory of the configuration file, which its paths are relative to. */
  directory?: string;
}

/** Adds the input flags of files of targets (`--plan`, `--cloudformation`, `--parameter`, `--source-dir`, `--manifest`) to `check`. */
export function addInputOptions(command: Command): Command {
  return command
    .option('--plan <file>', 'Terraform plan JSON (`terraform show -json tf.plan`): check everything it launches (repeatable)', collect, [])
    .option('--source-dir <dir>', "the plan's Terraform configuration, for findings on .tf lines (default: the plan's directory if it holds .tf files)")
    .option('--cloudformation <template>', 'CloudFormation template (JSON or YAML; CDK cdk.out/*.template.json, SAM): check everything it launches (repeatable)', collect, [])
    .addOption(
      new Option('--parameter <[TEMPLATE:]KEY=VALUE>', 'a CloudFormation parameter value over its Default, for every template that declares KEY, or for TEMPLATE only (repeatable)')
        .argParser(collect)
        .default([]),
    )
    .option('--manifest <file>', 'imglint.yaml manifest of targets (repeatable)', collect, []);
}

const LAUNCH_FLAGS_ARE_OPENSTACK = new UsageError('--disk-config, --boot-from-volume, --volume-size and --admin apply to OpenStack flavors', {
  hint: 'add --provider rackspace or --provider openstack (plan, template and manifest targets say their own provider)',
});

/** The launch options the flags describe (OpenStack only); plan and manifest targets take them when they set none. */
function launchOptions(flags: InputFlags): LaunchOptions | undefined {
  const launch: LaunchOptions = {
    ...(flags.diskConfig ? { diskConfig: flags.diskConfig } : {}),
    ...(flags.bootFromVolume ? { bootFromVolume: true } : {}),
    ...(flags.volumeSize !== undefined ? { volumeSizeGiB: flags.volumeSize } : {}),
    ...(flags.admin ? { admin: true } : {}),
  };
  if (Object.keys(launch).length === 0) return undefined;
  if (flags.volumeSize !== undefined && !flags.bootFromVolume) throw new UsageError('--volume-size needs --boot-from-volume');
  return launch;
}

/** True when some file of targets (plan, template, manifest) is given. */
export function hasTargetFiles(flags: InputFlags, configured: ConfiguredInputs = {}): boolean {
  return flags.plan.length + flags.manifest.length + flags.cloudformation.length + (configured.plans?.length ?? 0) + (configured.cloudformation?.length ?? 0) > 0;
}

/**
 * `--image-file` next to a plan, template or manifest, without `--image`/`--type`: not targets of their own but
 * images the files' AMI and Glance IDs are looked up in, so they can be checked offline.
 */
export function imageFilesAreALibrary(flags: InputFlags, configured: ConfiguredInputs = {}): boolean {
  return hasTargetFiles(flags, configured) && flags.imageFile.length > 0 && flags.image.length + flags.type.length + flags.flavor.length === 0;
}

/** `--parameter` values: `KEY=VALUE` for every template that declares `KEY`, `TEMPLATE:KEY=VALUE` for one template. */
interface GivenParameters {
  shared: Record<string, string>;
  scoped: { template: string; key: string; value: string }[];
}

/**
 * The `--parameter` pairs. CloudFormation parameter names are alphanumeric, so a `:` before the first `=` separates
 * a template's path from the name.
 * @throws UsageError for one without `=`.
 */
function parameters(flags: InputFlags): GivenParameters {
  const given: GivenParameters = { shared: {}, scoped: [] };
  for (const pair of flags.parameter) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--parameter ${pair}: expected KEY=VALUE or TEMPLATE:KEY=VALUE`, { hint: 'e.g. --parameter InstanceType=m5.large, or --parameter web.yaml:InstanceType=m5.large' });
    const name = pair.slice(0, at);
    const value = pair.slice(at + 1);
    const colon = name.lastIndexOf(':');
    if (colon > 0) given.scoped.push({ template: name.slice(0, colon), key: name.slice(colon + 1), value });
    else given.shared[name] = value;
  }
  return given;
}

/**
 * A `--parameter KEY=VALUE` no template declares is a mistake (a misspelt name would otherwise leave a `Default` in
 * force unnoticed); one that some template declares is for those templates only.
 * @throws InputError `UnknownCloudFormationParameter`.
 */
function checkSharedParameters(shared: Readonly<Record<string, string>>, read: readonly { template: string; parameters: readonly string[] }[]): void {
  for (const key of Object.keys(shared)) {
    if (read.some(({ parameters }) => parameters.includes(key))) continue;
    const all = [...new Set(read.flatMap(({ parameters }) => parameters))];
    const [close] = closeMatches(key, all.map((name) => [name, []] as const), 1);
    const mean = close ? ` (did you mean ${close}?)` : '';
    if (read.length === 1) {
      throw new InputError('UnknownCloudFormationParameter', `${read[0]!.template}: --parameter ${key}: the template declares no such parameter${mean}`, {
        hint: `its parameters: ${read[0]!.parameters.join(', ') || 'none'}`,
      });
    }
    throw new InputError('UnknownCloudFormationParameter', `--parameter ${key}: none of the ${read.length} templates declares such a parameter${mean}`, {
      hint: `their parameters: ${read.map(({ template, parameters }) => `${template}: ${parameters.join(', ') || 'none'}`).join('; ')}`,
    });
  }
}

/**
 * Every target the flags (and the configuration) name: image x type pairs; the resources of the plans and templates
 * of the flags and the configuration; then each manifest's entries and the resources of its plans and templates.
 * `--region` is every plan's default region and every template's unless its entry says; `--parameter KEY=VALUE` goes
 * to every template that declares KEY, over its entry's `parameters`, and `--parameter TEMPLATE:KEY=VALUE` to that
 * template. What the run should report about the inputs themselves (a zone known only at deploy, a transform not
 * applied) goes to `onNotice`.
 */
export async function collectTargets(
  flags: InputFlags,
  provider: ProviderId,
  region: string | undefined,
  configured: ConfiguredInputs = {},
  onNotice: (notice: string) => void = (notice) => process.stderr.write(`imglint: note: ${notice}\n`),
): Promise<TargetRequest[]> {
  const launch = launchOptions(flags);
  const flagTargets = !imageFilesAreALibrary(flags, configured) && flags.image.length + flags.imageFile.length + flags.type.length + flags.flavor.length > 0;
  if (launch && flagTargets && provider === 'aws') throw LAUNCH_FLAGS_ARE_OPENSTACK;
  const fromFlags = flagTargets
    ? targetsOf({ provider, region, image: flags.image, imageFile: flags.imageFile, type: [...flags.type, ...flags.flavor], flavorFile: flags.flavorFile, launch })
    : [];
  if (flags.availabilityZone.length > 0) {
    if (provider !== 'aws' || fromFlags.length === 0) {
      throw new UsageError('--availability-zone applies to AWS --image/--type targets', {
        hint: 'plan, template and manifest targets say their own zones; drop --availability-zone, or check with --image and --type',
      });
    }
    for (const target of fromFlags) target.availabilityZones = [...new Set(flags.availabilityZone)];
  }
  if (flags.sourceDir !== undefined && flags.plan.length === 0) {
    throw new UsageError('--source-dir applies to Terraform plans', { hint: 'add --plan plan.json (the plan of that configuration), or drop --source-dir' });
  }
  const given = parameters(flags);
  const directory = configured.directory ?? '.';
  const plans = [...flags.plan.map((plan) => ({ plan, sourceDir: flags.sourceDir })), ...plansIn(directory, configured.plans)];
  const templates = [...flags.cloudformation.map((template) => ({ template })), ...templatesIn(directory, configured.cloudformation)];
  // The readers load only when asked for (start-up is most of a one-pair check).
  const manifests = await Promise.all(flags.manifest.map(async (manifest) => (await import('../input/manifest/manifest.js')).loadManifest(manifest)));
  const allTemplates = [...templates, ...manifests.flatMap((manifest) => manifest.templates)].map(({ template }) => template);
  if (flags.parameter.length > 0 && allTemplates.length === 0) {
    throw new UsageError('--parameter applies to CloudFormation templates', { hint: 'add --cloudformation template.yaml' });
  }
  for (const { template, key } of given.scoped) {
    if (!allTemplates.some((candidate) => resolve(candidate) === resolve(template))) {
      throw new UsageError(`--parameter ${template}:${key}: ${template} is not a template of this run`, { hint: `the templates: ${allTemplates.join(', ')}` });
    }
  }
  const options = { region, parameters: given.shared, scoped: given.scoped };
  const [own, ...listed] = await Promise.all([
    readPlansAndTemplates(plans, templates, options),
    ...manifests.map(async (manifest) => {
      const read = await readPlansAndTemplates(manifest.plans, manifest.templates, options);
      return { targets: [...manifest.targets.map((target) => ({ ...target, region: target.region ?? region })), ...read.targets], templates: read.templates };
    }),
  ]);
  const read: ReadTemplate[] = [own!, ...listed].flatMap((files) => files.templates);
  checkSharedParameters(given.shared, read);
  for (const notice of read.flatMap((template) => template.notices)) onNotice(notice);
  const planned = [own!, ...listed].flatMap((files) => files.targets).map((target) =>
    launch && target.provider !== 'aws' && target.launch === undefined ? { ...target, launch } : target,
  );
  if (launch && fromFlags.length === 0 && planned.every((target) => target.provider === 'aws')) throw LAUNCH_FLAGS_ARE_OPENSTACK;
  const targets = [...fromFlags, ...planned];
  if (targets.length === 0 && !hasTargetFiles(flags, configured)) {
    throw new UsageError('nothing to check', {
      hint: 'pass --image/--image-file with --type, a Terraform plan (--plan plan.json), a CloudFormation template (--cloudformation template.yaml) or a manifest (--manifest imglint.yaml)',
    });
  }
  return resolveSsmValues(targets, { offline: flags.offline ?? false, ...(flags.timeout !== undefined && { timeoutMs: flags.timeout * 1000 }) });
}

/**
 * `--image-file`s next to files of targets that no target names: a sign that the targets the user expected are
 * not there (an AMI ID mistyped in the template, a launch not read), one notice each.
 *
 * @param files - each image file with the images read from it.
 * @param targets - the run's targets, as {@link collectTargets} returns them.
 */
export function unusedImageFiles(files: readonly { path: string; images: readonly ImageFacts[] }[], targets: readonly TargetRequest[]): string[] {
  const named = new Set(targets.flatMap((target) => (target.image === undefined ? [] : [target.image])));
  return files.flatMap(({ path, images }) => {
    if (images.some((image) => named.has(image.id) || (image.name !== undefined && named.has(image.name)))) return [];
    const ids = images.map((image) => image.id);
    const listed = ids.length > 3 ? `${ids.slice(0, 3).join(', ')}, ...` : ids.join(', ');
    return [`--image-file ${path}: no target names its image${ids.length === 1 ? '' : 's'} (${listed}); check the image IDs the plan, template or manifest use, or drop the file`];
  });
}

const SSM_PREFIX = 'resolve:ssm:';

/** The SSM parameter an image or type names (`resolve:ssm:/aws/service/...`), if it does. */
function ssmName(value: string | undefined): string | undefined {
  return value?.startsWith(SSM_PREFIX) ? value.slice(SSM_PREFIX.length) : undefined;
}

const AMI_ID = /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/**
 * Images and instance types given as SSM parameters (`resolve:ssm:/aws/service/...`, from a template's
 * `{{resolve:ssm:...}}`, an `AWS::SSM::Parameter::Value<...>` parameter or a launch template's `image_id`): resolved
 * live with SSM `GetParameters` (10 names a call, per region, all regions within one `--timeout`); offline the
 * target is unverifiable. When SSM cannot be asked for a region, the targets that need it there carry the error
 * (and are reported as errors, exit 3); the others are checked.
 */
async function resolveSsmValues(targets: TargetRequest[], options: { offline: boolean; timeoutMs?: number }): Promise<TargetRequest[]> {
  const wanted = new Set(targets.filter((target) => target.unknown === undefined && (ssmName(target.image) ?? ssmName(target.type)) !== undefined));
  if (wanted.size === 0) return targets;
  if (options.offline) {
    return targets.map((target) => {
      if (!wanted.has(target)) return target;
      const names = [ssmName(target.image) && `the image is the SSM parameter ${ssmName(target.image)}`, ssmName(target.type) && `the instance type is the SSM parameter ${ssmName(target.type)}`];
      return { ...target, unknown: `${names.filter(Boolean).join(' and ')}, which an offline run cannot read`, unknownUntil: 'live' as const };
    });
  }
  const { resolveSsmParameters } = await import('../../providers/aws/ssm.js');
  const byRegion = new Map<string, Set<string>>();
  for (const target of wanted) {
    const names = byRegion.get(target.region ?? '') ?? new Set<string>();
    for (const name of [ssmName(target.image), ssmName(target.type)]) if (name !== undefined) names.add(name);
    byRegion.set(target.region ?? '', names);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  type Answers = Awaited<ReturnType<typeof resolveSsmParameters>> | ImglintError;
  const answers = new Map<string, Answers>(
    await Promise.all(
      [...byRegion].map(async ([region, names]): Promise<[string, Answers]> => {
        try {
          return [region, await resolveSsmParameters([...names], { region: region || undefined, signal, timeoutMs })];
        } catch (error) {
          if (!ImglintError.is(error)) throw error;
          return [region, error];
        }
      }),
    ),
  );
  return targets.map((target) => {
    if (!wanted.has(target)) return target;
    const answer = answers.get(target.region ?? '')!;
    if (answer instanceof Error) return { ...target, error: answer, unknown: answer.message };
    const reasons: string[] = [];
    const resolved = { ...target };
    const image = ssmName(target.image);
    if (image !== undefined) {
      const found = answer.get(image)!;
      if ('reason' in found) reasons.push(found.reason);
      else if (!AMI_ID.test(found.value)) reasons.push(`the SSM parameter ${image} holds ${JSON.stringify(found.value.slice(0, 80))}, not an AMI ID`);
      else resolved.image = found.value;
    }
    const type = ssmName(target.type);
    if (type !== undefined) {
      const found = answer.get(type)!;
      if ('reason' in found) reasons.push(found.reason);
      else resolved.type = found.value;
    }
    return reasons.length > 0 ? { ...target, unknown: reasons.join('; ') } : resolved;
  });
}
