import type { InstanceRequirements, LaunchOptions } from '../../model/index.js';
import { blocks, instanceRequirements, text, texts, type Node } from './attributes.js';
import { readTemplate, zonesOf, type References, type ReferenceSpec, type Resolved, type TemplateLaunch } from './launch-templates.js';
import { at, isUnknown, type Instance, type PlanIndex } from './plan-index.js';

/**
 * What each resource kind that launches machines would launch: one {@link Launch} per instance type (or set of
 * instance requirements) it may use, each with the image that type gets.
 */

/** One image × type (or requirements) a resource may launch, or why part of it is not known before apply. */
export interface Launch {
  image?: string;
  type?: string;
  requirements?: InstanceRequirements;
  zones?: string[];
  launch?: LaunchOptions;
  /** Attributes Terraform knows only after apply (`ami`, `instance_type`). */
  afterApply: string[];
  /** Other reasons the pair cannot be judged. */
  reasons: string[];
}

export interface ReadContext {
  index: PlanIndex;
  references: References;
}

/** How to read one resource type: its provider family and its launches. */
export interface ResourceKind {
  family: 'aws' | 'openstack';
  /** Launch templates and configurations are checked on their own only when nothing in the plan launches from them. */
  launchesThroughOthers?: boolean;
  /**
   * For a resource that is one machine: the attributes naming its image and its type. Such a resource that exists
   * and is not replaced launches nothing (see `existingMachine` in `plan.ts`).
   */
  machine?: { image: readonly string[]; type: readonly string[] };
  read(instance: Instance, context: ReadContext): Launch[];
}

function launch(parts: Partial<Launch> = {}): Launch {
  return { afterApply: [], reasons: [], ...parts };
}

/** A known string attribute, or (recorded in `into`) why there is none. */
function pick(instance: Instance, into: Launch, values: Node, path: readonly (string | number)[], unset: string): string | undefined {
  const key = path[path.length - 1] as string;
  const value = text(at(values, path.slice(0, -1)) as Node | undefined, key, path.slice(0, -1));
  if (value !== undefined) return value;
  if (isUnknown(instance, path)) into.afterApply.push(path.join('.').replace(/\.(\d+)\./g, '[$1].'));
  else into.reasons.push(unset);
  return undefined;
}

/** The launch a template gives, with `type` / `requirements` from an override when given. */
function fromTemplate(resolved: Resolved, type: string | undefined, requirements: InstanceRequirements | undefined, zones: string[] | undefined, unsetType: string): Launch {
  if ('reason' in resolved) return launch({ ...(type !== undefined && { type }), ...(requirements && { requirements }), reasons: [resolved.reason] });
  const template = resolved.template;
  const result = launch({
    ...(template.image !== undefined && { image: template.image }),
    ...((zones ?? template.zones) !== undefined && { zones: zones ?? template.zones }),
  });
  if (template.imageUnknown) result.reasons.push(template.imageUnknown);
  if (type !== undefined) result.type = type;
  else if (requirements !== undefined) result.requirements = requirements;
  else if (template.type !== undefined) result.type = template.type;
  else if (template.requirements !== undefined) result.requirements = template.requirements;
  else result.reasons.push(unsetType.replace('$TEMPLATE', template.address));
  return result;
}

function spec(values: Node, path: readonly (string | number)[], idKey = 'id', nameKey = 'name'): ReferenceSpec {
  return { block: at(values, path) as Node | undefined, path, idKey, nameKey };
}

/** `aws_instance`, `aws_spot_instance_request`: `ami` and `instance_type`, else those of its `launch_template`. */
function readAwsInstance(instance: Instance, context: ReadContext): Launch[] {
  const values = instance.values;
  const result = launch();
  const zones = zonesOf(values, 'availability_zone');
  if (zones) result.zones = zones;
  const templateBlock = blocks(values, 'launch_template')[0];
  const configured = (key: string) => at(context.index.configResource(instance)?.expressions, [key]) !== undefined;
  let template: TemplateLaunch | undefined;
  let templateReason: string | undefined;
  if (templateBlock !== undefined) {
    const resolved = context.references.launchTemplate(instance, spec(values, ['launch_template', 0]));
    if ('reason' in resolved) templateReason = resolved.reason;
    else template = resolved.template;
  }
  // Set in the resource, an argument wins over the template's; left out, the computed attribute is the template's.
  const fromTemplateFor = (key: 'ami' | 'instance_type') => templateBlock !== undefined && !configured(key) && text(values, key) === undefined;
  if (fromTemplateFor('ami')) {
    if (template?.image !== undefined) result.image = template.image;
    else result.reasons.push(templateReason ?? template?.imageUnknown ?? 'ami is not set');
  } else {
    result.image = pick(instance, result, values, ['ami'], 'ami is not set');
  }
  if (fromTemplateFor('instance_type')) {
    if (template?.type !== undefined) result.type = template.type;
    else if (template?.requirements !== undefined) result.reasons.push(`${template.address} picks types by instance_requirements, which RunInstances does not accept`);
    else if (template !== undefined) result.reasons.push(`instance_type is not set (nor on ${template.address})`);
    else if (!result.reasons.includes(templateReason!)) result.reasons.push(templateReason!);
  } else {
    result.type = pick(instance, result, values, ['instance_type'], 'instance_type is not set');
  }
  if (!result.zones && template?.zones) result.zones = template.zones;
  return [result];
}

/** `aws_launch_template` on its own (nothing in the plan launches from it): its image and type or requirements. */
function readAwsLaunchTemplate(instance: Instance): Launch[] {
  const template = readTemplate(instance);
  const result = launch({ ...(template.zones && { zones: template.zones }) });
  result.image = pick(instance, result, instance.values, ['image_id'], 'image_id is not set on the launch template (the launch request supplies it)');
  if (template.type !== undefined) result.type = template.type;
  else if (template.requirements !== undefined) result.requirements = template.requirements;
  else result.type = pick(instance, result, instance.values, ['instance_type'], 'instance_type is not set on the launch template (the launch request chooses it)');
  return [result];
}

/** `aws_launch_configuration` on its own: `image_id` and `instance_type`. */
function readAwsLaunchConfiguration(instance: Instance): Launch[] {
  const result = launch();
  result.image = pick(instance, result, instance.values, ['image_id'], 'image_id is not set');
  result.type = pick(instance, result, instance.values, ['instance_type'], 'instance_type is not set');
  return [result];
}

/**
 * `aws_autoscaling_group`: `mixed_instances_policy.launch_template` (one launch per `override`: its
 * `instance_type` or `instance_requirements`, with the override's own `launch_template_specification` when it
 * has one), else `launch_template`, else `launch_configuration`. Zones from `availability_zones`.
 */
function readAwsAutoscalingGroup(instance: Instance, context: ReadContext): Launch[] {
  const values = instance.values;
  const zones = zonesOf(values, 'availability_zones');
  const policy = blocks(values, 'mixed_instances_policy')[0];
  if (policy !== undefined) {
    const base = ['mixed_instances_policy', 0, 'launch_template', 0] as const;
    const launchTemplate = blocks(policy, 'launch_template', ['mixed_instances_policy', 0])[0];
    const main = context.references.launchTemplate(instance, spec(values, [...base, 'launch_template_specification', 0], 'launch_template_id', 'launch_template_name'));
    const overrides = blocks(launchTemplate, 'override', base);
    if (overrides.length === 0) return [fromTemplate(main, undefined, undefined, zones, 'neither the group nor $TEMPLATE sets an instance type')];
    return overrides.map((override, index) => {
      const own = blocks(override, 'launch_template_specification', [...base, 'override', index]);
      const resolved =
        own.length > 0
          ? context.references.launchTemplate(instance, spec(values, [...base, 'override', index, 'launch_template_specification', 0], 'launch_template_id', 'launch_template_name'))
          : main;
      const [requirements] = blocks(override, 'instance_requirements', [...base, 'override', index]);
      const type = text(override, 'instance_type', [...base, 'override', index]);
      return fromTemplate(resolved, type, requirements && instanceRequirements(requirements), zones, `override ${index} sets no instance_type or instance_requirements, nor does $TEMPLATE`);
    });
  }
  if (blocks(values, 'launch_template').length > 0) {
    const resolved = context.references.launchTemplate(instance, spec(values, ['launch_template', 0]));
    return [fromTemplate(resolved, undefined, undefined, zones, '$TEMPLATE sets no instance type and the group has no overrides')];
  }
  const configured = at(context.index.configResource(instance)?.expressions, ['launch_configuration']) !== undefined;
  if (text(values, 'launch_configuration') !== undefined || configured || isUnknown(instance, ['launch_configuration'])) {
    const found = context.references.launchConfiguration(instance);
    if ('reason' in found) return [launch({ reasons: [found.reason] })];
    const [configuration] = readAwsLaunchConfiguration(found.instance);
    return [{ ...configuration!, ...(zones && { zones }) }];
  }
  return [launch({ reasons: ['the group names no launch template or launch configuration'] })];
}

/** `aws_spot_fleet_request`: every `launch_specification`, and every override of every `launch_template_config`. */
function readAwsSpotFleetRequest(instance: Instance, context: ReadContext): Launch[] {
  const values = instance.values;
  const launches = blocks(values, 'launch_specification').map((specification, index) => {
    const path = ['launch_specification', index];
    const result = launch();
    result.image = pick(instance, result, values, [...path, 'ami'], `launch_specification ${index} sets no ami`);
    result.type = pick(instance, result, values, [...path, 'instance_type'], `launch_specification ${index} sets no instance_type`);
    const zone = text(specification, 'availability_zone', path);
    if (zone) result.zones = [zone];
    return result;
  });
  return [...launches, ...templateConfigs(instance, context, 'launch_template_config', 'overrides', 'id', 'name')];
}

/** `aws_ec2_fleet`: every override of every `launch_template_config`. */
function readAwsEc2Fleet(instance: Instance, context: ReadContext): Launch[] {
  return templateConfigs(instance, context, 'launch_template_config', 'override', 'launch_template_id', 'launch_template_name');
}

function templateConfigs(instance: Instance, context: ReadContext, configKey: string, overrideKey: string, idKey: string, nameKey: string): Launch[] {
  const values = instance.values;
  return blocks(values, configKey).flatMap((config, configIndex) => {
    const path = [configKey, configIndex];
    const resolved = context.references.launchTemplate(instance, spec(values, [...path, 'launch_template_specification', 0], idKey, nameKey));
    const overrides = blocks(config, overrideKey, path);
    if (overrides.length === 0) return [fromTemplate(resolved, undefined, undefined, undefined, `$TEMPLATE sets no instance type and ${configKey} ${configIndex} has no overrides`)];
    return overrides.map((override, index) => {
      const overridePath = [...path, overrideKey, index];
      const [requirements] = blocks(override, 'instance_requirements', overridePath);
      const zone = text(override, 'availability_zone', overridePath);
      const result = fromTemplate(resolved, text(override, 'instance_type', overridePath), requirements && instanceRequirements(requirements), zone ? [zone] : undefined, `override ${index} sets no instance_type or instance_requirements, nor does $TEMPLATE`);
      const image = text(override, 'image_id', overridePath);
      if (image !== undefined) {
        result.image = image;
        result.reasons = result.reasons.filter((reason) => !reason.includes('image_id'));
      }
      return result;
    });
  });
}

/** EKS's default when a node group names no instance type (`instance_types` defaults to `["t3.medium"]`). */
const EKS_DEFAULT_TYPE = 't3.medium';

/**
 * `aws_eks_node_group`: one launch per `instance_types` entry (else the launch template's type, else EKS's
 * default), with the image of its `launch_template`. Without a template that sets `image_id`, EKS picks the AMI
 * from `ami_type` and `release_version` at apply: the AMI ID is not in the plan.
 */
function readAwsEksNodeGroup(instance: Instance, context: ReadContext): Launch[] {
  const values = instance.values;
  const types = texts(values, 'instance_types');
  let template: TemplateLaunch | undefined;
  let reason: string | undefined;
  if (blocks(values, 'launch_template').length > 0) {
    const resolved = context.references.launchTemplate(instance, spec(values, ['launch_template', 0]));
    if ('reason' in resolved) reason = resolved.reason;
    else template = resolved.template;
  }
  if (template?.image === undefined && reason === undefined) {
    const amiType = text(values, 'ami_type');
    reason = `EKS picks the AMI for ${amiType ? `ami_type ${amiType}` : 'its default ami_type'}${text(values, 'release_version') ? ` (release ${text(values, 'release_version')})` : ''} at apply: the AMI ID is not in the plan (set image_id in a launch template to check it)`;
  }
  const chosen = types.length > 0 ? types : [template?.type ?? EKS_DEFAULT_TYPE];
  return chosen.map((type) => launch({ type, ...(template?.image !== undefined && { image: template.image }), ...(template?.zones && { zones: template.zones }), reasons: reason ? [reason] : [] }));
}

/**
 * `aws_cloud9_environment_ec2`: `image_id` × `instance_type`. Cloud9 takes no AMI ID, only an AMI alias
 * (`amazonlinux-2023-x86_64`), which it maps to an AMI of its own at creation, or the SSM path of its public parameter
 * (`resolve:ssm:/aws/service/cloud9/amis/amazonlinux-2023-x86_64`), resolved like every `resolve:ssm:` image
 * (CreateEnvironmentEC2 `ImageId`, https://docs.aws.amazon.com/cloud9/latest/APIReference/API_CreateEnvironmentEC2.html).
 */
function readAwsCloud9Environment(instance: Instance): Launch[] {
  const result = launch();
  const image = pick(instance, result, instance.values, ['image_id'], 'image_id is not set');
  if (image?.startsWith(SSM_PREFIX)) result.image = image;
  else if (image !== undefined) {
    result.reasons.push(`Cloud9 maps the AMI alias ${image} to an AMI of its own at creation, so the AMI ID is not in the plan: give image_id as ${SSM_PREFIX}/aws/service/cloud9/amis/${image} to have it checked`);
  }
  result.type = pick(instance, result, instance.values, ['instance_type'], 'instance_type is not set');
  return [result];
}

const SSM_PREFIX = 'resolve:ssm:';

const BlockDeviceKeys = ['source_type', 'destination_type', 'boot_index', 'volume_size', 'uuid'] as const;

/** `openstack_compute_instance_v2`: the boot `block_device` image, else `image_id`, else `image_name`; `flavor_id`, else `flavor_name`. */
function readOpenStackInstance(instance: Instance): Launch[] {
  const values = instance.values;
  const result = launch();
  const devices = (Array.isArray(values.block_device) ? values.block_device : []) as (Record<(typeof BlockDeviceKeys)[number], unknown> | null)[];
  const bootIndex = devices.findIndex((device) => device?.boot_index === 0);
  const boot = devices[bootIndex];
  const imageOrName = () => {
    const image = text(values, 'image_id') ?? text(values, 'image_name');
    if (image !== undefined) return image;
    const unknown = ['image_id', 'image_name'].find((attribute) => isUnknown(instance, [attribute]));
    if (unknown) result.afterApply.push(unknown);
    else result.reasons.push('no image_id, image_name or boot block_device is set');
    return undefined;
  };
  if (boot?.source_type === 'image') {
    if (boot.destination_type === 'volume') {
      const size = boot.volume_size;
      result.launch = { bootFromVolume: true, ...(typeof size === 'number' && size > 0 ? { volumeSizeGiB: size } : {}) };
    }
    if (typeof boot.uuid === 'string' && boot.uuid !== '') result.image = boot.uuid;
    else if (isUnknown(instance, ['block_device', bootIndex, 'uuid'])) result.afterApply.push('block_device.uuid');
    else result.image = imageOrName();
  } else if (boot?.source_type === 'volume' || boot?.source_type === 'snapshot') {
    const uuid = typeof boot.uuid === 'string' && boot.uuid !== '' ? boot.uuid : 'known only after apply';
    result.reasons.push(`boots from an existing ${boot.source_type} (${uuid}): the image behind it is not in the plan`);
  } else {
    result.image = imageOrName();
  }
  const flavor = text(values, 'flavor_id') ?? text(values, 'flavor_name');
  if (flavor !== undefined) result.type = flavor;
  else {
    const unknown = ['flavor_id', 'flavor_name'].find((attribute) => isUnknown(instance, [attribute]));
    if (unknown) result.afterApply.push(unknown);
    else result.reasons.push('no flavor_id or flavor_name is set');
  }
  return [result];
}

const AWS_MACHINE = { image: ['ami'], type: ['instance_type'] };

/** Every resource kind read, by Terraform resource type. */
export const KINDS = new Map<string, ResourceKind>([
  ['aws_instance', { family: 'aws', machine: AWS_MACHINE, read: readAwsInstance }],
  ['aws_spot_instance_request', { family: 'aws', machine: AWS_MACHINE, read: readAwsInstance }],
  ['aws_launch_template', { family: 'aws', launchesThroughOthers: true, read: readAwsLaunchTemplate }],
  ['aws_launch_configuration', { family: 'aws', launchesThroughOthers: true, read: readAwsLaunchConfiguration }],
  ['aws_autoscaling_group', { family: 'aws', read: readAwsAutoscalingGroup }],
  ['aws_spot_fleet_request', { family: 'aws', read: readAwsSpotFleetRequest }],
  ['aws_ec2_fleet', { family: 'aws', read: readAwsEc2Fleet }],
  ['aws_eks_node_group', { family: 'aws', read: readAwsEksNodeGroup }],
  ['aws_cloud9_environment_ec2', { family: 'aws', machine: { image: ['image_id'], type: ['instance_type'] }, read: readAwsCloud9Environment }],
  ['openstack_compute_instance_v2', { family: 'openstack', machine: { image: ['image_id', 'image_name', 'block_device'], type: ['flavor_id', 'flavor_name'] }, read: readOpenStackInstance }],
]);
