import { Command, Option } from 'commander';
import { targetsOf } from '../engine/check.js';
import { UsageError } from '../errors.js';
import { plansIn, readPlansAndTemplates, templatesIn, type PlanEntry, type TemplateEntry } from '../input/manifest/plans-and-templates.js';
import type { LaunchOptions, ProviderId, TargetRequest } from '../model/index.js';
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
    .addOption(new Option('--parameter <KEY=VALUE>', 'a CloudFormation template parameter value, over its Default (repeatable)').argParser(collect).default([]))
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

/** `KEY=VALUE` pairs of `--parameter`. @throws UsageError for one without `=`. */
function parameters(flags: InputFlags): Record<string, string> {
  const values: Record<string, string> = {};
  for (const pair of flags.parameter) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--parameter ${pair}: expected KEY=VALUE`, { hint: 'e.g. --parameter InstanceType=m5.large' });
    values[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return values;
}

/**
 * Every target the flags (and the configuration) name: image x type pairs; the resources of the plans and templates
 * of the flags and the configuration; then each manifest's entries and the resources of its plans and templates.
 * `--region` is every plan's default region and every template's unless its entry says; `--parameter` goes to every
 * template, over its entry's `parameters`.
 */
export async function collectTargets(flags: InputFlags, provider: ProviderId, region: string | undefined, configured: ConfiguredInputs = {}): Promise<TargetRequest[]> {
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
  if (Object.keys(given).length > 0 && templates.length + manifests.reduce((count, manifest) => count + manifest.templates.length, 0) === 0) {
    throw new UsageError('--parameter applies to CloudFormation templates', { hint: 'add --cloudformation template.yaml' });
  }
  const options = { region, parameters: given };
  const [own, ...listed] = await Promise.all([
    readPlansAndTemplates(plans, templates, options),
    ...manifests.map(async (manifest) => [
      ...manifest.targets.map((target) => ({ ...target, region: target.region ?? region })),
      ...(await readPlansAndTemplates(manifest.plans, manifest.templates, options)),
    ]),
  ]);
  const planned = [...own!, ...listed.flat()].map((target) =>
    launch && target.provider !== 'aws' && target.launch === undefined ? { ...target, launch } : target,
  );
  if (launch && fromFlags.length === 0 && planned.every((target) => target.provider === 'aws')) throw LAUNCH_FLAGS_ARE_OPENSTACK;
  const targets = [...fromFlags, ...planned];
  if (targets.length === 0 && !hasTargetFiles(flags, configured)) {
    throw new UsageError('nothing to check', {
      hint: 'pass --image/--image-file with --type, a Terraform plan (--plan plan.json), a CloudFormation template (--cloudformation template.yaml) or a manifest (--manifest imglint.yaml)',
    });
  }
  return resolveSsmImages(targets, flags.offline ?? false);
}

const SSM_PREFIX = 'resolve:ssm:';

/**
 * Images given as SSM parameters (`resolve:ssm:/aws/service/...`, from a template's `{{resolve:ssm:...}}`, an
 * `AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>` parameter or a launch template's `image_id`): resolved live
 * with SSM `GetParameters` (10 names a call, per region); offline the target is unverifiable.
 */
async function resolveSsmImages(targets: TargetRequest[], offline: boolean): Promise<TargetRequest[]> {
  const wanted = new Set(targets.filter((target) => target.unknown === undefined && target.image?.startsWith(SSM_PREFIX)));
  if (wanted.size === 0) return targets;
  if (offline) {
    return targets.map((target) =>
      wanted.has(target)
        ? { ...target, unknown: `the image is the SSM parameter ${target.image!.slice(SSM_PREFIX.length)}, which an offline run cannot read`, unknownUntil: 'live' as const }
        : target,
    );
  }
  const { resolveSsmParameters } = await import('../../providers/aws/ssm.js');
  const byRegion = new Map<string, Set<string>>();
  for (const target of wanted) {
    const key = target.region ?? '';
    byRegion.set(key, (byRegion.get(key) ?? new Set()).add(target.image!.slice(SSM_PREFIX.length)));
  }
  const answers = new Map<string, Awaited<ReturnType<typeof resolveSsmParameters>>>();
  await Promise.all([...byRegion].map(async ([region, names]) => answers.set(region, await resolveSsmParameters([...names], region || undefined))));
  return targets.map((target) => {
    if (!wanted.has(target)) return target;
    const name = target.image!.slice(SSM_PREFIX.length);
    const answer = answers.get(target.region ?? '')!.get(name)!;
    if ('value' in answer) return { ...target, image: answer.value };
    return { ...target, unknown: answer.reason };
  });
}
