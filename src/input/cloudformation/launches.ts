import { evaluate, RESOURCE_REF, Unknown, type Scope } from './intrinsics.js';

/**
 * What each resource type of a template launches: one {@link Launch} per image × instance type (or instance
 * requirements) it may start, as far as the template knows them. Properties are evaluated whole (so a property
 * or list element that is `AWS::NoValue` is absent, as CloudFormation removes it).
 */

/** One launch a resource may make; values are evaluated (strings, {@link Unknown}s, or data of an unexpected shape). */
export interface Launch {
  image?: unknown;
  type?: unknown;
  requirements?: unknown;
  zones?: unknown;
  /** Why the launch cannot be judged (the target is unverifiable); empty when it can. */
  reasons: string[];
}

/** A launch template or launch configuration of the template, as far as it is known. */
interface TemplateData {
  image?: unknown;
  type?: unknown;
  requirements?: unknown;
  zones?: unknown;
}

type Resolved = { data: TemplateData } | { reason: string };

/**
 * `AWS::EC2::Instance`'s type when neither it nor a launch template sets one: RunInstances' documented default
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RunInstances.html, `InstanceType`: "Default: m1.small").
 */
const INSTANCE_DEFAULT_TYPE = 'm1.small';

/**
 * A managed node group's type when neither `InstanceTypes` nor its launch template sets one (EKS CreateNodegroup,
 * `instanceTypes`: "If you don't specify an instance type in a launch template or for instanceTypes, then
 * t3.medium is used, by default").
 */
const EKS_DEFAULT_TYPE = 't3.medium';

/** Resource types that launch EC2 instances and are not read: one unverifiable target each, never dropped. */
const UNREAD_LAUNCHERS = new Set([
  'AWS::EMR::Cluster',
  'AWS::EMR::InstanceGroupConfig',
  'AWS::EMR::InstanceFleetConfig',
  'AWS::OpsWorks::Instance',
  'AWS::ElasticBeanstalk::Environment',
  'AWS::GameLift::Fleet',
  'AWS::ImageBuilder::Image',
  'AWS::ImageBuilder::ImagePipeline',
  'AWS::Cloud9::EnvironmentEC2',
  'AWS::PCS::ComputeNodeGroup',
]);

/** Stacks within the stack: their templates are elsewhere (`TemplateURL`, a SAM application's `Location`). */
const NESTED_STACKS = new Set(['AWS::CloudFormation::Stack', 'AWS::Serverless::Application']);

const READ = new Set([
  'AWS::EC2::Instance',
  'AWS::EC2::LaunchTemplate',
  'AWS::AutoScaling::LaunchConfiguration',
  'AWS::AutoScaling::AutoScalingGroup',
  'AWS::EC2::SpotFleet',
  'AWS::EC2::EC2Fleet',
  'AWS::EKS::Nodegroup',
]);

/**
 * True for resource types that may launch EC2 instances (read or not), so that one whose values cannot even be
 * known (a loop over a collection known only at deploy) still gets a target.
 */
export function launchesInstances(type: unknown): boolean {
  const name = String(type);
  return READ.has(name) || UNREAD_LAUNCHERS.has(name) || NESTED_STACKS.has(name) || name === 'AWS::Batch::ComputeEnvironment' || name === 'AWS::ECS::CapacityProvider';
}

/** Reads the launches of a template's resources (see {@link LaunchReader.read}). */
export class LaunchReader {
  /** Launch templates and configurations some resource launches from (they get no target of their own). */
  readonly used = new Set<string>();
  private readonly names = new Map<string, Map<string, string>>();

  constructor(
    private readonly scope: Scope,
    private readonly resources: Readonly<Record<string, unknown>>,
  ) {}

  /**
   * The launches of one resource; `[]` for resources that launch nothing or are not created (`Condition` false).
   * @throws TemplateError for a construct CloudFormation refuses.
   */
  read(id: string): Launch[] {
    const resource = objectOf(this.resources[id]);
    const type = String(resource.Type);
    if (!launchesInstances(type)) return [];
    const condition = resource.Condition === undefined ? true : evaluate({ Condition: resource.Condition }, this.scope);
    if (condition === false) return [];
    const properties = this.value(resource.Properties);
    const launches = properties instanceof Unknown ? [{ reasons: [`its Properties: ${properties.reason}`] }] : this.launches(type, objectOf(properties));
    if (condition instanceof Unknown) for (const launch of launches) launch.reasons.push(`the resource is created only if ${condition.reason}`);
    return launches;
  }

  private value(value: unknown): unknown {
    return evaluate(value, this.scope);
  }

  private launches(type: string, properties: Record<string, unknown>): Launch[] {
    if (UNREAD_LAUNCHERS.has(type)) return [unread(type)];
    if (NESTED_STACKS.has(type)) {
      return [{ reasons: [`${type} is a nested stack whose template imglint does not read: check that template with --cloudformation on its own`] }];
    }
    switch (type) {
      case 'AWS::EC2::Instance':
        return [this.instance(properties)];
      case 'AWS::EC2::LaunchTemplate':
        return [{ ...this.templateData(properties), reasons: [] }];
      case 'AWS::AutoScaling::LaunchConfiguration':
        return [{ image: properties.ImageId, type: properties.InstanceType, reasons: [] }];
      case 'AWS::AutoScaling::AutoScalingGroup':
        return this.group(properties);
      case 'AWS::EC2::SpotFleet': {
        const data = properties.SpotFleetRequestConfigData;
        if (data instanceof Unknown) return [{ reasons: [`SpotFleetRequestConfigData: ${data.reason}`] }];
        const config = objectOf(data);
        if (config.LaunchSpecifications instanceof Unknown) return [{ reasons: [`LaunchSpecifications: ${config.LaunchSpecifications.reason}`] }];
        const specifications = listOf(config.LaunchSpecifications).map((item): Launch => {
          if (item instanceof Unknown) return { reasons: [`a launch specification: ${item.reason}`] };
          const specification = objectOf(item);
          const zone = objectOf(specification.Placement).AvailabilityZone;
          return { image: specification.ImageId, type: specification.InstanceType, requirements: specification.InstanceRequirements, zones: zone, reasons: [] };
        });
        return [...specifications, ...this.templateConfigs(config.LaunchTemplateConfigs)];
      }
      case 'AWS::EC2::EC2Fleet':
        return this.templateConfigs(properties.LaunchTemplateConfigs);
      case 'AWS::EKS::Nodegroup':
        return this.nodeGroup(properties);
      case 'AWS::Batch::ComputeEnvironment': {
        // A managed EC2 or Spot environment launches instances; Fargate and unmanaged environments do not (here).
        const compute = objectOf(properties.ComputeResources);
        return compute.Type === undefined || /^FARGATE/.test(String(compute.Type)) ? [] : [unread(type)];
      }
      case 'AWS::ECS::CapacityProvider':
        // ECS Managed Instances launch instances; an Auto Scaling group provider's group is read on its own.
        return properties.ManagedInstancesProvider === undefined ? [] : [unread(type)];
      default:
        return [];
    }
  }

  /** `AWS::EC2::Instance`: its `ImageId`, `InstanceType` and `AvailabilityZone`, each else its launch template's. */
  private instance(properties: Record<string, unknown>): Launch {
    const template = properties.LaunchTemplate === undefined ? undefined : this.launchTemplate(properties.LaunchTemplate);
    const data = template && 'data' in template ? template.data : {};
    const reasons = template && 'reason' in template ? [template.reason] : [];
    const image = properties.ImageId ?? data.image;
    const type = properties.InstanceType ?? data.type ?? (template === undefined ? INSTANCE_DEFAULT_TYPE : undefined);
    const zones = properties.AvailabilityZone ?? data.zones;
    if (image === undefined && reasons.length === 0) reasons.push(template ? 'neither the instance nor its launch template sets ImageId' : 'ImageId is not set');
    if (type === undefined && reasons.length === 0) reasons.push('neither the instance nor its launch template sets InstanceType');
    return { image, type, zones, reasons };
  }

  /** `MixedInstancesPolicy.LaunchTemplate` with its overrides, else `LaunchTemplate`, else `LaunchConfigurationName`. */
  private group(properties: Record<string, unknown>): Launch[] {
    const zones = properties.AvailabilityZones;
    if (properties.MixedInstancesPolicy instanceof Unknown) return [{ reasons: [`MixedInstancesPolicy: ${properties.MixedInstancesPolicy.reason}`] }];
    const policy = objectOf(properties.MixedInstancesPolicy);
    if (Object.keys(policy).length > 0) {
      if (policy.LaunchTemplate instanceof Unknown) return [{ reasons: [`MixedInstancesPolicy.LaunchTemplate: ${policy.LaunchTemplate.reason}`] }];
      const launchTemplate = objectOf(policy.LaunchTemplate);
      return this.overrides(launchTemplate.LaunchTemplateSpecification, launchTemplate.Overrides, zones);
    }
    if (properties.LaunchTemplate !== undefined) return this.overrides(properties.LaunchTemplate, undefined, zones);
    if (properties.LaunchConfigurationName !== undefined) {
      const id = this.resourceOf(properties.LaunchConfigurationName, 'AWS::AutoScaling::LaunchConfiguration', 'LaunchConfigurationName');
      if (typeof id !== 'string') return [{ reasons: [id.reason] }];
      this.used.add(id);
      const config = objectOf(this.value(objectOf(this.resources[id]).Properties));
      return [{ image: config.ImageId, type: config.InstanceType, zones, reasons: [] }];
    }
    return [{ reasons: ['the group names no launch template or launch configuration'] }];
  }

  /**
   * `AWS::EKS::Nodegroup`: one launch per `InstanceTypes` entry (else its launch template's type, else EKS's
   * default), with the image of its `LaunchTemplate` (`Id` or `Name`, `Version`). Without a launch template
   * that sets `ImageId`, EKS picks the AMI for the `AmiType` at deploy.
   */
  private nodeGroup(properties: Record<string, unknown>): Launch[] {
    const specification = properties.LaunchTemplate;
    const template =
      specification === undefined
        ? undefined
        : this.launchTemplate(specification instanceof Unknown ? specification : { LaunchTemplateId: objectOf(specification).Id, LaunchTemplateName: objectOf(specification).Name, Version: objectOf(specification).Version });
    const data = template && 'data' in template ? template.data : {};
    const reasons = template && 'reason' in template ? [template.reason] : [];
    if (data.image === undefined && reasons.length === 0) {
      const amiType = typeof properties.AmiType === 'string' ? `AmiType ${properties.AmiType}` : 'its default AmiType';
      reasons.push(`EKS picks the AMI for ${amiType} at deploy: the AMI ID is not in the template (set ImageId in a launch template to check it)`);
    }
    const types = properties.InstanceTypes instanceof Unknown ? [properties.InstanceTypes] : listOf(properties.InstanceTypes);
    const chosen = types.length > 0 ? types : [data.type ?? EKS_DEFAULT_TYPE];
    return chosen.map((type) => ({ image: data.image, type, zones: data.zones, reasons: [...reasons] }));
  }

  private templateConfigs(configs: unknown): Launch[] {
    if (configs instanceof Unknown) return [{ reasons: [`LaunchTemplateConfigs: ${configs.reason}`] }];
    return listOf(configs).flatMap((item) => {
      if (item instanceof Unknown) return [{ reasons: [`a launch template configuration: ${item.reason}`] }];
      const config = objectOf(item);
      return this.overrides(config.LaunchTemplateSpecification, config.Overrides, undefined);
    });
  }

  /** One launch per override (its type or requirements, its own template or the main one); none: the template's own. */
  private overrides(specification: unknown, overrides: unknown, zones: unknown): Launch[] {
    const main = this.launchTemplate(specification);
    if (overrides instanceof Unknown) return [{ reasons: [`its Overrides: ${overrides.reason}`] }];
    const list = listOf(overrides);
    if (list.length === 0) return [fromTemplate(main, {}, zones)];
    return list.map((item): Launch => {
      if (item instanceof Unknown) return { reasons: [`an override: ${item.reason}`] };
      const override = objectOf(item);
      const template = override.LaunchTemplateSpecification !== undefined ? this.launchTemplate(override.LaunchTemplateSpecification) : main;
      const zone = override.AvailabilityZone;
      return fromTemplate(template, { type: override.InstanceType, requirements: override.InstanceRequirements, image: override.ImageId }, zone ?? zones);
    });
  }

  /**
   * A `LaunchTemplateSpecification` (`LaunchTemplateId` or `LaunchTemplateName`, `Version`) of a launch template
   * in this template. CloudFormation creates version 1 from `LaunchTemplateData` with the stack and a new version
   * on every update of it, but never moves the default version: the data is what `$Latest` (and
   * `Fn::GetAtt LatestVersionNumber`) launches; version 1, `$Default` and `DefaultVersionNumber` launch it only on
   * the stack's creation, and older data after an update, which the template does not hold.
   */
  private launchTemplate(given: unknown): Resolved {
    if (given instanceof Unknown) return { reason: `its launch template: ${given.reason}` };
    const specification = objectOf(given);
    const reference = specification.LaunchTemplateId ?? specification.LaunchTemplateName;
    const id = this.resourceOf(reference, 'AWS::EC2::LaunchTemplate', 'LaunchTemplateName');
    if (typeof id !== 'string') return id;
    this.used.add(id);
    const version = specification.Version;
    if (version instanceof Unknown) return { reason: `the version of launch template ${id} it launches: ${version.reason}` };
    if (version !== '$Latest') {
      const which = version === undefined || version === '$Default' ? 'the default version' : `version ${JSON.stringify(version)}`;
      const why =
        version === undefined || version === '$Default' || String(version) === '1'
          ? 'which holds its LaunchTemplateData only until the stack is updated: CloudFormation never moves the default version (1), it adds a version on every update'
          : 'whose data the template does not hold (it holds the latest version)';
      return { reason: `it launches ${which} of launch template ${id}, ${why}; launch !GetAtt ${id}.LatestVersionNumber to have this template's data checked` };
    }
    return { data: this.templateData(objectOf(this.value(objectOf(this.resources[id]).Properties))) };
  }

  private templateData(properties: Record<string, unknown>): TemplateData {
    if (properties.LaunchTemplateData instanceof Unknown) return { image: properties.LaunchTemplateData, type: properties.LaunchTemplateData };
    const data = objectOf(properties.LaunchTemplateData);
    return { image: data.ImageId, type: data.InstanceType, requirements: data.InstanceRequirements, zones: objectOf(data.Placement).AvailabilityZone };
  }

  /** Logical IDs of the resources of `type` by their known name (`LaunchTemplateName`), evaluated once. */
  private named(type: string, nameProperty: string): Map<string, string> {
    let names = this.names.get(type);
    if (names === undefined) {
      names = new Map();
      for (const [id, kind] of this.scope.resources) {
        if (kind !== type) continue;
        const name = this.value(objectOf(objectOf(this.resources[id]).Properties)[nameProperty]);
        if (typeof name === 'string' && !names.has(name)) names.set(name, id);
      }
      this.names.set(type, names);
    }
    return names;
  }

  /** The logical ID a `Ref` or name points at, or why it is not a resource of this template. */
  private resourceOf(value: unknown, type: string, nameProperty: string): string | { reason: string } {
    const what = type === 'AWS::EC2::LaunchTemplate' ? 'launch template' : 'launch configuration';
    if (value instanceof Unknown) return { reason: `its ${what}: ${value.reason}` };
    const marked = objectOf(value)[RESOURCE_REF];
    if (typeof marked === 'string') {
      return this.scope.resources.get(marked) === type ? marked : { reason: `${marked} is not a ${type}` };
    }
    if (typeof value === 'string') {
      const byName = this.named(type, nameProperty).get(value);
      if (byName !== undefined) return byName;
      return { reason: `its ${what} ${value} is not in this template, so its data is not known` };
    }
    return { reason: `its ${what} is not given` };
  }
}

function unread(type: string): Launch {
  return { reasons: [`${type} launches EC2 instances, which imglint does not read: check its image and types by hand`] };
}

function fromTemplate(template: Resolved, override: TemplateData, zones: unknown): Launch {
  if ('reason' in template) return { type: override.type, requirements: override.requirements, reasons: [template.reason] };
  const data = template.data;
  const picked = override.type !== undefined || override.requirements !== undefined ? { type: override.type, requirements: override.requirements } : { type: data.type, requirements: data.requirements };
  return { image: override.image ?? data.image, ...picked, zones: zones ?? data.zones, reasons: [] };
}

export function objectOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Unknown) ? (value as Record<string, unknown>) : {};
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
