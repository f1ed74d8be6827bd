import { awsRegionStatus } from '../../catalog/aws-regions.js';
import { InputError } from '../../errors.js';
import type { TargetRequest } from '../../model/index.js';
import { parseJsonText, readTextFile } from '../json-file.js';
import { parseYaml, type YamlDocument } from '../yaml-document.js';
import { expandLoops, hasLoops } from './for-each.js';
import { instanceRequirementsOf } from './instance-requirements.js';
import { evaluate, shortFormTag, TemplateError, Unknown, type Scope } from './intrinsics.js';
import { launchesInstances, LaunchReader, objectOf, type Launch } from './launches.js';
import { parameterValues } from './parameters.js';

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
  /** Parameter values over their `Default`, for this template: one it does not declare is an error. */
  parameters?: Readonly<Record<string, string>>;
  /**
   * Parameter values given for every template of a run (`--parameter KEY=VALUE`), under `parameters`: applied
   * where the template declares them, ignored where it does not (the caller checks that some template does).
   */
  sharedParameters?: Readonly<Record<string, string>>;
}

/** What a template gives: its targets, its parameters' names, and what the report should say about it. */
export interface CloudFormationTemplate {
  targets: TargetRequest[];
  /** Names of the parameters it declares. */
  parameters: string[];
  /** One line each, `file:line: ...`: what is read only in part (a zone known only at deploy, a transform not applied). */
  notices: string[];
}

/**
 * Reads a template file; see {@link parseCloudFormationTemplate}. `options.region` is checked first, so a misspelt
 * region is named as such, not as a mapping key the template lacks.
 * @throws InputError `UnreadableCloudFormationTemplate`, `UnknownRegion`, or anything
 *   {@link parseCloudFormationTemplate} throws.
 */
export async function loadCloudFormationTemplate(path: string, options: CloudFormationOptions = {}): Promise<CloudFormationTemplate> {
  if (options.region !== undefined) await awsRegionStatus(options.region);
  const text = await readTextFile(path, { unreadable: 'UnreadableCloudFormationTemplate', what: 'the CloudFormation template', hint: HINT });
  return parseCloudFormationTemplate(text, path, options);
}

/**
 * Reads a template file's targets (the library's entry point; the CLI also reports its notices).
 * @throws as {@link loadCloudFormationTemplate}.
 */
export async function readCloudFormationTemplate(path: string, options: CloudFormationOptions = {}): Promise<TargetRequest[]> {
  return (await loadCloudFormationTemplate(path, options)).targets;
}

const DYNAMIC_REFERENCE = /^\{\{resolve:([a-z-]+):([^}]+)\}\}$/;

/** Transforms whose effect on launches is known: the language extensions are applied here; SAM adds no EC2 launches. */
const KNOWN_TRANSFORMS = new Set(['AWS::LanguageExtensions', 'AWS::Serverless-2016-10-31']);

/**
 * Parses a template (pure).
 *
 * Resources read: `AWS::EC2::Instance` (`ImageId`, `InstanceType` (default `m1.small`), `LaunchTemplate`,
 * `AvailabilityZone`); `AWS::AutoScaling::AutoScalingGroup` (`MixedInstancesPolicy.LaunchTemplate` with every
 * override's `InstanceType` or `InstanceRequirements` and its own `LaunchTemplateSpecification`, else
 * `LaunchTemplate`, else `LaunchConfigurationName`; `AvailabilityZones`); `AWS::EC2::SpotFleet`
 * (`LaunchSpecifications`, `LaunchTemplateConfigs` overrides); `AWS::EC2::EC2Fleet` (`LaunchTemplateConfigs`
 * overrides); `AWS::EKS::Nodegroup` (`InstanceTypes` × its launch template's `ImageId`); `AWS::EC2::LaunchTemplate`
 * and `AWS::AutoScaling::LaunchConfiguration` on their own when no resource of the template launches from them.
 * A resource whose `Condition` is false is not created: no target. Other resource types that launch instances
 * (EMR, Batch, Elastic Beanstalk, ...) and nested stacks get one unverifiable target each. `Fn::ForEach` loops
 * (`AWS::LanguageExtensions`) are expanded when their collection is known; otherwise each launching resource of
 * the loop is unverifiable.
 *
 * Intrinsics evaluated: `Ref` (parameters: `--parameter`, else `Default`; `AWS::Region` from `options.region`,
 * `AWS::Partition`, `AWS::URLSuffix`, `AWS::NoValue`; a launch template of the template), `Fn::FindInMap`,
 * `Fn::Sub`, `Fn::Join`, `Fn::Select`, `Fn::Split`, `Fn::Length`, `Fn::If` with conditions (`Fn::Equals`,
 * `Fn::And`, `Fn::Or`, `Fn::Not`, `Condition`) decidable from known values, `Fn::GetAtt` of a template's launch
 * template ID and versions. `Fn::ImportValue`, other `Fn::GetAtt`, `Fn::GetAZs`, `AWS::AccountId` and anything
 * undecidable make the value unknown: an unverifiable target (for a zone: a notice, and the target is checked in
 * its region). SSM values (`{{resolve:ssm:name}}`, parameters of type `AWS::SSM::Parameter::Value<...>`) become
 * `resolve:ssm:<name>` images and types, resolved by the caller; a `--parameter` value that is an AMI ID is taken
 * as the resolved value.
 *
 * @throws InputError `MalformedCloudFormationTemplate` (not YAML/JSON, aliases, nesting too deep: `file:line:...`),
 *   `InvalidCloudFormationTemplate` (no `Resources` map; a `Ref` to nothing, a mapping key missing, a condition that
 *   refers to itself: `file:line: Resources.X: ...`), `UnknownCloudFormationParameter` (a key of
 *   `options.parameters` the template does not declare), `InvalidCloudFormationParameter` (a value outside
 *   `AllowedValues`, a `Number` that is not one).
 */
export function parseCloudFormationTemplate(text: string, path: string, options: CloudFormationOptions = {}): CloudFormationTemplate {
  const { data, lineOf } = parse(text, path);
  const template = objectOf(data);
  const invalid = (line: number, message: string, hint = HINT) => new InputError('InvalidCloudFormationTemplate', `${path}:${line}: ${message}`, { hint });
  if (typeof template.Resources !== 'object' || template.Resources === null || Array.isArray(template.Resources)) {
    const found = template.Resources === undefined ? 'no "Resources" section' : 'its "Resources" section is not a map of logical IDs to resources';
    if (Object.keys(template).length === 0 || template.Resources === undefined) throw new InputError('InvalidCloudFormationTemplate', `${path}: not a CloudFormation template: ${found}`, { hint: HINT });
    throw invalid(lineOf(['Resources']), `not a CloudFormation template: ${found}`);
  }
  const written = template.Resources as Record<string, unknown>;
  const transforms = [template.Transform].flat().filter((name) => name !== undefined).map(String);
  if (hasLoops(written) && !transforms.includes('AWS::LanguageExtensions')) {
    const loop = Object.keys(written).find((key) => key.startsWith('Fn::ForEach::'))!;
    throw invalid(lineOf(['Resources', loop]), `Resources.${loop}: Fn::ForEach needs the AWS::LanguageExtensions transform`, 'add `Transform: AWS::LanguageExtensions` to the template');
  }
  const declared = objectOf(template.Parameters);
  const { values, unset } = parameterValues(declared, { own: options.parameters ?? {}, shared: options.sharedParameters ?? {} }, { path, lineOf: (name) => lineOf(['Parameters', name]) });
  const scopeOf = (resources: Record<string, unknown>): Scope => ({
    parameters: values,
    unset,
    region: options.region,
    mappings: objectOf(template.Mappings),
    conditions: objectOf(template.Conditions),
    resources: new Map(Object.entries(resources).map(([id, resource]) => [id, String(objectOf(resource).Type ?? '')])),
  });
  const located = (where: readonly PropertyKey[], run: () => unknown) => {
    try {
      return run();
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      const name = where.slice(1).filter((key) => typeof key === 'string').at(-1);
      throw invalid(lineOf(where), `${name === undefined ? 'Resources' : `Resources.${String(name)}`}: ${error.message}`, error.hint ?? HINT);
    }
  };
  const plain = Object.fromEntries(Object.entries(written).filter(([key]) => !key.startsWith('Fn::ForEach::')));
  const expanded = located(['Resources'], () => expandLoops(written, (value) => evaluate(value, scopeOf(plain)))) as ReturnType<typeof expandLoops>;
  const scope = scopeOf(expanded.resources);
  const reader = new LaunchReader(scope, expanded.resources);
  const notices: string[] = [];
  const read = Object.keys(expanded.resources).map((id) => {
    const where = expanded.paths.get(id)!;
    return { id, where, launches: located(where, () => reader.read(id)) as Launch[] };
  });
  const targets = read.flatMap(({ id, where, launches }) => {
    if (reader.used.has(id)) return [];
    const source = { file: path, line: lineOf(where), address: id };
    return launches.map((launch) => toTarget(launch, options.region, source, notices));
  });
  for (const { key, resource, path: where, reason } of expanded.unexpanded) {
    if (!launchesInstances(objectOf(resource).Type)) continue;
    targets.push(toTarget({ reasons: [reason] }, options.region, { file: path, line: lineOf(where), address: key }, notices));
  }
  for (const transform of transforms.filter((name) => !KNOWN_TRANSFORMS.has(name))) {
    notices.push(`${path}:${lineOf(['Transform'])}: the template uses the transform ${transform}, which imglint does not apply: resources it adds or changes are not checked`);
  }
  return { targets, parameters: Object.keys(declared), notices: [...new Set(notices)] };
}

/** YAML with CloudFormation's short-form tags; a `.json` template's syntax errors are told as JSON's. */
function parse(text: string, path: string): YamlDocument {
  try {
    return parseYaml(text, path, ERRORS, { aliases: false, tags: shortFormTag });
  } catch (error) {
    const json = /\.json$/i.test(path) || /^\s*[{[]/.test(text.replace(/^\uFEFF/, ''));
    if (json && error instanceof InputError && / not valid YAML: /.test(error.message)) parseJsonText(text, path, ERRORS);
    throw error;
  }
}

/** A target from a launch, its values checked for what they must be (strings, known); what it leaves out of zones, in `notices`. */
function toTarget(launch: Launch, region: string | undefined, source: NonNullable<TargetRequest['source']>, notices: string[]): TargetRequest {
  const reasons = [...launch.reasons];
  const known = (value: unknown, what: string): string | undefined => {
    const plain = plainValue(value, what);
    if (plain !== undefined && 'reason' in plain) reasons.push(plain.reason);
    return plain !== undefined && 'value' in plain ? plain.value : undefined;
  };
  const image = known(launch.image, 'ImageId');
  const type = known(launch.type, 'InstanceType');
  const read = instanceRequirementsOf(launch.requirements);
  if (read !== undefined && 'reason' in read) reasons.push(read.reason);
  const requirements = read !== undefined && 'requirements' in read ? read.requirements : undefined;
  if (image === undefined && launch.image === undefined && reasons.length === 0) reasons.push('ImageId is not set');
  if (type === undefined && requirements === undefined && launch.type === undefined && reasons.length === 0) reasons.push('InstanceType is not set');
  const zones: string[] = [];
  for (const zone of [launch.zones].flat().filter((item) => item !== undefined)) {
    const plain = plainValue(zone, 'the availability zone');
    if (plain !== undefined && 'value' in plain && !plain.value.startsWith('resolve:')) zones.push(...plain.value.split(',').map((name) => name.trim()).filter(Boolean));
    else if (reasons.length === 0) {
      const why = plain !== undefined && 'reason' in plain ? plain.reason : `the availability zone is the SSM parameter ${plain?.value.slice('resolve:ssm:'.length) ?? ''}, read at deploy`;
      notices.push(`${source.file}:${source.line}: ${source.address}: availability zone not checked (${why}); its image and type are checked in the region`);
    }
  }
  return {
    provider: 'aws',
    ...(region !== undefined && { region }),
    ...(zones.length > 0 && { availabilityZones: zones }),
    ...(image !== undefined && { image }),
    ...(type !== undefined && { type }),
    ...(type === undefined && requirements !== undefined && { instanceRequirements: requirements }),
    source,
    ...(reasons.length > 0 && { unknown: reasons.join('; '), unknownUntil: 'deploy' as const }),
  };
}

/**
 * A string value, `resolve:ssm:<name>` for an SSM dynamic reference, or why there is none (known only at deploy,
 * another dynamic reference, not a plain value); undefined when absent.
 */
function plainValue(value: unknown, what: string): { value: string } | { reason: string } | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Unknown) return { reason: `${what}: ${value.reason}` };
  if (typeof value !== 'string' && typeof value !== 'number') return { reason: `${what} is not a plain value (${JSON.stringify(value)?.slice(0, 60)})` };
  const text = String(value);
  const dynamic = DYNAMIC_REFERENCE.exec(text);
  if (dynamic === null) return { value: text };
  if (dynamic[1] === 'ssm') return { value: `resolve:ssm:${dynamic[2]}` };
  return { reason: `${what} is a {{resolve:${dynamic[1]}:...}} dynamic reference, which CloudFormation resolves at deploy` };
}
