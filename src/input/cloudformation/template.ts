import { closeMatches } from '../../catalog/close-matches.js';
import { InputError } from '../../errors.js';
import type { InstanceRequirements, TargetRequest } from '../../model/index.js';
import { readTextFile } from '../json-file.js';
import { parseYaml } from '../yaml-document.js';
import { evaluate, RESOURCE_REF, shortFormTag, TemplateError, Unknown, type Scope } from './intrinsics.js';

/**
 * CloudFormation templates as input (JSON or YAML with the short-form tags; also what CDK synthesizes in
 * `cdk.out/*.template.json` and SAM): one {@link TargetRequest} per image × instance type (or instance
 * requirements) a resource of the template would launch, each pointing at the resource's line.
 */

const HINT = 'pass a CloudFormation template (JSON or YAML) with a Resources section';

const ERRORS = { malformed: 'MalformedCloudFormationTemplate', hint: HINT };

/** Options of {@link parseCloudFormationTemplate}. */
export interface CloudFormationOptions {
  /** `AWS::Region` (`--region`); undefined: unknown, and targets get the default region. */
  region?: string;
  /** Parameter values over their `Default` (`--parameter KEY=VALUE`). */
  parameters?: Readonly<Record<string, string>>;
}

/**
 * Reads a template file.
 * @throws InputError `UnreadableCloudFormationTemplate`, or anything {@link parseCloudFormationTemplate} throws.
 */
export async function readCloudFormationTemplate(path: string, options: CloudFormationOptions = {}): Promise<TargetRequest[]> {
  const text = await readTextFile(path, { unreadable: 'UnreadableCloudFormationTemplate', what: 'the CloudFormation template', hint: HINT });
  return parseCloudFormationTemplate(text, path, options);
}

const SSM_IMAGE_PARAMETER = /^AWS::SSM::Parameter::Value<(AWS::EC2::Image::Id|String)>$/;
const DYNAMIC_SSM = /^\{\{resolve:ssm:([^}]+)\}\}$/;

/** One launch a resource may make. */
interface Launch {
  image?: unknown;
  type?: unknown;
  requirements?: unknown;
  zones?: unknown;
  reasons: string[];
}

/** A launch template or launch configuration of the template, as far as it is known. */
interface TemplateData {
  image?: unknown;
  type?: unknown;
  requirements?: unknown;
  zones?: unknown;
}

/**
 * Parses a template (pure).
 *
 * Resources read: `AWS::EC2::Instance` (`ImageId`, `InstanceType` (default `m1.small`), `LaunchTemplate`,
 * `AvailabilityZone`); `AWS::AutoScaling::AutoScalingGroup` (`MixedInstancesPolicy.LaunchTemplate` with every
 * override's `InstanceType` or `InstanceRequirements` and its own `LaunchTemplateSpecification`, else
 * `LaunchTemplate`, else `LaunchConfigurationName`; `AvailabilityZones`); `AWS::EC2::SpotFleet`
 * (`LaunchSpecifications`, `LaunchTemplateConfigs` overrides); `AWS::EC2::EC2Fleet` (`LaunchTemplateConfigs`
 * overrides); `AWS::EC2::LaunchTemplate` and `AWS::AutoScaling::LaunchConfiguration` on their own when no resource
 * of the template launches from them. A resource whose `Condition` is false is not created: no target.
 *
 * Intrinsics evaluated: `Ref` (parameters: `--parameter`, else `Default`; `AWS::Region` from `options.region`,
 * `AWS::Partition`, `AWS::URLSuffix`, `AWS::NoValue`; a launch template of the template), `Fn::FindInMap`,
 * `Fn::Sub`, `Fn::Join`, `Fn::Select`, `Fn::Split`, `Fn::If` with conditions (`Fn::Equals`, `Fn::And`, `Fn::Or`,
 * `Fn::Not`, `Condition`) decidable from known values, `Fn::GetAtt` of a template's launch template ID and
 * versions. `Fn::ImportValue`, other `Fn::GetAtt`, `AWS::AccountId` and anything undecidable make the target
 * unverifiable with the reason. SSM images (`{{resolve:ssm:name}}`, parameters of type
 * `AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>`) become `resolve:ssm:<name>` images, resolved by the caller;
 * a `--parameter` value that is an AMI ID is taken as the resolved value.
 *
 * @throws InputError `MalformedCloudFormationTemplate` (not YAML/JSON, aliases, nesting too deep: `file:line:...`),
 *   `InvalidCloudFormationTemplate` (no `Resources`; a `Ref` to nothing, a mapping key missing, a condition that
 *   refers to itself: `file:line: Resources.X: ...`), `UnknownCloudFormationParameter` (a `--parameter` the
 *   template does not declare).
 */
export function parseCloudFormationTemplate(text: string, path: string, options: CloudFormationOptions = {}): TargetRequest[] {
  const { data, lineOf } = parseYaml(text, path, ERRORS, { aliases: false, tags: shortFormTag });
  if (typeof data !== 'object' || data === null || Array.isArray(data) || typeof (data as Record<string, unknown>).Resources !== 'object') {
    throw new InputError('InvalidCloudFormationTemplate', `${path}: not a CloudFormation template: no "Resources" section`, { hint: HINT });
  }
  const template = data as Record<string, unknown>;
  const resources = objectOf(template.Resources);
  const declared = objectOf(template.Parameters);
  const given = options.parameters ?? {};
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(declared, key)) {
      const [close] = closeMatches(key, Object.keys(declared).map((name) => [name, []] as const), 1);
      throw new InputError('UnknownCloudFormationParameter', `${path}: --parameter ${key}: the template declares no such parameter${close ? ` (did you mean ${close}?)` : ''}`, {
        hint: `its parameters: ${Object.keys(declared).join(', ') || 'none'}`,
      });
    }
  }
  const parameters = new Map<string, unknown>();
  const unset = new Set<string>();
  for (const [name, declaration] of Object.entries(declared)) {
    const spec = objectOf(declaration);
    const value = given[name] ?? spec.Default;
    if (value === undefined || value === null) {
      unset.add(name);
      continue;
    }
    const type = String(spec.Type ?? 'String');
    if (SSM_IMAGE_PARAMETER.test(type)) parameters.set(name, /^ami-[0-9a-f]+$/.test(String(value)) ? String(value) : `resolve:ssm:${String(value)}`);
    else if (type.startsWith('List<') || type === 'CommaDelimitedList') parameters.set(name, String(value).split(',').map((item) => item.trim()));
    else parameters.set(name, typeof value === 'number' ? String(value) : value);
  }
  const scope: Scope = {
    parameters,
    unset,
    region: options.region,
    mappings: objectOf(template.Mappings),
    conditions: objectOf(template.Conditions),
    resources: new Map(Object.entries(resources).map(([id, resource]) => [id, String(objectOf(resource).Type ?? '')])),
  };
  const reader = new Reader(scope, resources, path, lineOf);
  const read = Object.keys(resources).map((id) => ({ id, launches: reader.read(id) }));
  return read.flatMap(({ id, launches }) => {
    if (reader.used.has(id)) return [];
    const source = { file: path, line: lineOf(['Resources', id]), address: id };
    return launches.map((launch) => toTarget(launch, options.region, source));
  });
}

function objectOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

class Reader {
  /** Launch templates and configurations some resource launches from. */
  readonly used = new Set<string>();

  constructor(
    private readonly scope: Scope,
    private readonly resources: Record<string, unknown>,
    private readonly path: string,
    private readonly lineOf: (path: readonly PropertyKey[]) => number,
  ) {}

  /** The launches of one resource; `[]` for resources that launch nothing or are not created. */
  read(id: string): Launch[] {
    const resource = objectOf(this.resources[id]);
    try {
      const condition = resource.Condition === undefined ? true : evaluate({ Condition: resource.Condition }, this.scope);
      if (condition === false) return [];
      const launches = this.launches(String(resource.Type), objectOf(resource.Properties));
      if (condition instanceof Unknown) for (const launch of launches) launch.reasons.push(`the resource is created only if ${condition.reason}`);
      return launches;
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      throw new InputError('InvalidCloudFormationTemplate', `${this.path}:${this.lineOf(['Resources', id])}: Resources.${id}: ${error.message}`, { hint: HINT });
    }
  }

  private value(value: unknown): unknown {
    return evaluate(value, this.scope);
  }

  private launches(type: string, properties: Record<string, unknown>): Launch[] {
    switch (type) {
      case 'AWS::EC2::Instance': {
        const template = properties.LaunchTemplate === undefined ? undefined : this.launchTemplate(objectOf(this.value(properties.LaunchTemplate)));
        const data = template && 'data' in template ? template.data : {};
        const reasons = template && 'reason' in template ? [template.reason] : [];
        const image = properties.ImageId !== undefined ? this.value(properties.ImageId) : data.image;
        const instanceType = properties.InstanceType !== undefined ? this.value(properties.InstanceType) : (data.type ?? (template ? undefined : 'm1.small'));
        const zone = properties.AvailabilityZone !== undefined ? this.value(properties.AvailabilityZone) : data.zones;
        return [{ image, type: instanceType, zones: zone === undefined ? undefined : [zone].flat(), reasons: image === undefined && reasons.length === 0 ? ['ImageId is not set'] : reasons }];
      }
      case 'AWS::EC2::LaunchTemplate':
        return [this.fromData(this.templateData(properties), [])];
      case 'AWS::AutoScaling::LaunchConfiguration':
        return [{ image: this.value(properties.ImageId), type: this.value(properties.InstanceType), reasons: [] }];
      case 'AWS::AutoScaling::AutoScalingGroup': {
        const zones = properties.AvailabilityZones === undefined ? undefined : this.value(properties.AvailabilityZones);
        const policy = objectOf(this.value(properties.MixedInstancesPolicy));
        if (Object.keys(policy).length > 0) {
          const launchTemplate = objectOf(policy.LaunchTemplate);
          return this.overrides(launchTemplate.LaunchTemplateSpecification, launchTemplate.Overrides, zones);
        }
        if (properties.LaunchTemplate !== undefined) return this.overrides(this.value(properties.LaunchTemplate), undefined, zones);
        if (properties.LaunchConfigurationName !== undefined) {
          const name = this.value(properties.LaunchConfigurationName);
          const id = this.resourceOf(name, 'AWS::AutoScaling::LaunchConfiguration', 'LaunchConfigurationName');
          if (typeof id !== 'string') return [{ reasons: [id.reason] }];
          this.used.add(id);
          const config = objectOf(objectOf(this.resources[id]).Properties);
          return [{ image: this.value(config.ImageId), type: this.value(config.InstanceType), zones, reasons: [] }];
        }
        return [{ reasons: ['the group names no launch template or launch configuration'] }];
      }
      case 'AWS::EC2::SpotFleet': {
        const config = objectOf(this.value(properties.SpotFleetRequestConfigData));
        const specifications = (Array.isArray(config.LaunchSpecifications) ? config.LaunchSpecifications : []).map((item) => {
          const specification = objectOf(item);
          const zone = objectOf(specification.Placement).AvailabilityZone;
          return this.fromData({ image: specification.ImageId, type: specification.InstanceType, requirements: specification.InstanceRequirements, zones: zone === undefined ? undefined : [zone] }, []);
        });
        return [...specifications, ...this.templateConfigs(config.LaunchTemplateConfigs)];
      }
      case 'AWS::EC2::EC2Fleet':
        return this.templateConfigs(this.value(properties.LaunchTemplateConfigs));
      default:
        return [];
    }
  }

  private templateConfigs(configs: unknown): Launch[] {
    return (Array.isArray(configs) ? configs : []).flatMap((item) => {
      const config = objectOf(item);
      return this.overrides(config.LaunchTemplateSpecification, config.Overrides, undefined);
    });
  }

  /** One launch per override (its type or requirements, its own template or the main one); none: the template's own. */
  private overrides(specification: unknown, overrides: unknown, zones: unknown): Launch[] {
    const main = this.launchTemplate(objectOf(specification));
    const list = Array.isArray(overrides) ? overrides.map(objectOf) : [];
    if (list.length === 0) return [this.fromTemplate(main, {}, zones)];
    return list.map((override) => {
      const template = override.LaunchTemplateSpecification !== undefined ? this.launchTemplate(objectOf(override.LaunchTemplateSpecification)) : main;
      const zone = override.AvailabilityZone;
      return this.fromTemplate(template, { type: override.InstanceType, requirements: override.InstanceRequirements, image: override.ImageId }, zone === undefined ? zones : [zone]);
    });
  }

  private fromTemplate(template: { data: TemplateData } | { reason: string }, override: TemplateData, zones: unknown): Launch {
    if ('reason' in template) return { type: override.type, requirements: override.requirements, reasons: [template.reason] };
    const data = template.data;
    const picked = override.type !== undefined || override.requirements !== undefined ? { type: override.type, requirements: override.requirements } : { type: data.type, requirements: data.requirements };
    return this.fromData({ image: override.image ?? data.image, ...picked, zones: zones ?? data.zones }, []);
  }

  private fromData(data: TemplateData, reasons: string[]): Launch {
    return { image: data.image, type: data.type, requirements: data.requirements, zones: data.zones, reasons };
  }

  /** A `LaunchTemplateSpecification` (`LaunchTemplateId` or `LaunchTemplateName`, `Version`) of a template in this template. */
  private launchTemplate(specification: Record<string, unknown>): { data: TemplateData } | { reason: string } {
    const reference = specification.LaunchTemplateId ?? specification.LaunchTemplateName;
    const id = this.resourceOf(this.value(reference), 'AWS::EC2::LaunchTemplate', 'LaunchTemplateName');
    if (typeof id !== 'string') return id;
    const version = this.value(specification.Version);
    if (version !== undefined && !(version instanceof Unknown) && !['$Latest', '$Default', '1'].includes(String(version)) && typeof version !== 'object') {
      return { reason: `it launches version ${String(version)} of launch template ${id}, whose data the template does not hold (it holds the latest)` };
    }
    this.used.add(id);
    return { data: this.templateData(objectOf(objectOf(this.resources[id]).Properties)) };
  }

  private templateData(properties: Record<string, unknown>): TemplateData {
    const data = objectOf(this.value(properties.LaunchTemplateData));
    const zone = objectOf(data.Placement).AvailabilityZone;
    return { image: data.ImageId, type: data.InstanceType, requirements: data.InstanceRequirements, zones: zone === undefined ? undefined : [zone] };
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
      const byName = [...this.scope.resources].find(([id, kind]) => kind === type && this.value(objectOf(objectOf(this.resources[id]).Properties)[nameProperty]) === value);
      if (byName) return byName[0];
      return { reason: `its ${what} ${value} is not in this template, so its data is not known` };
    }
    return { reason: `its ${what} is not given` };
  }
}

/** A target from a launch, its values checked for what they must be (strings, known). */
function toTarget(launch: Launch, region: string | undefined, source: TargetRequest['source']): TargetRequest {
  const reasons = [...launch.reasons];
  const known = (value: unknown, what: string): string | undefined => {
    if (value === undefined) return undefined;
    if (value instanceof Unknown) {
      reasons.push(`${what}: ${value.reason}`);
      return undefined;
    }
    if (typeof value !== 'string' && typeof value !== 'number') {
      reasons.push(`${what} is not a plain value (${JSON.stringify(value)?.slice(0, 60)})`);
      return undefined;
    }
    const text = String(value);
    const dynamic = DYNAMIC_SSM.exec(text);
    return dynamic ? `resolve:ssm:${dynamic[1]}` : text;
  };
  const image = known(launch.image, 'ImageId');
  const type = known(launch.type, 'InstanceType');
  const requirements = launch.requirements instanceof Unknown ? (reasons.push(`InstanceRequirements: ${launch.requirements.reason}`), undefined) : launch.requirements;
  if (image === undefined && launch.image === undefined && reasons.length === 0) reasons.push('ImageId is not set');
  if (type === undefined && requirements === undefined && launch.type === undefined && reasons.length === 0) reasons.push('InstanceType is not set');
  const zones = Array.isArray(launch.zones) ? launch.zones.flatMap((zone) => (typeof zone === 'string' ? [zone] : [])) : undefined;
  return {
    provider: 'aws',
    ...(region !== undefined && { region }),
    ...(zones !== undefined && zones.length > 0 && { availabilityZones: zones }),
    ...(image !== undefined && { image }),
    ...(type !== undefined && { type }),
    ...(type === undefined && requirements !== undefined && { instanceRequirements: requirements as InstanceRequirements }),
    source,
    ...(reasons.length > 0 && { unknown: reasons.join('; '), unknownUntil: 'deploy' as const }),
  };
}
