import { closeMatches } from '../../catalog/close-matches.js';

/**
 * CloudFormation's intrinsic functions, evaluated as far as a template and its parameters make them knowable
 * before deploy (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html).
 * A value that is not knowable is an {@link Unknown} carrying the reason; nothing is guessed.
 */

/** A value CloudFormation knows only at deploy time, and why. */
export class Unknown {
  constructor(readonly reason: string) {}
}

/** A template's bad construct (unknown parameter, missing mapping key, circular condition): an error of that resource. */
export class TemplateError extends Error {
  /** What the user can do about it (`the mapping has keys eu-west-1, us-east-1: check --region`). */
  readonly hint: string | undefined;

  constructor(message: string, hint?: string) {
    super(message);
    this.hint = hint;
  }
}

/** What evaluation knows: parameters, pseudo parameters, mappings, conditions and the other resources. */
export interface Scope {
  /** Parameter values (Default, overridden by `--parameter`); an SSM-typed parameter holds `resolve:ssm:<name>`. */
  parameters: ReadonlyMap<string, unknown>;
  /** Declared parameters without a value. */
  unset: ReadonlySet<string>;
  region: string | undefined;
  mappings: Readonly<Record<string, unknown>>;
  conditions: Readonly<Record<string, unknown>>;
  /** Logical IDs of the template's resources, with their types. */
  resources: ReadonlyMap<string, string>;
}

const SHORT_TAGS: Record<string, string> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  '!GetAtt': 'Fn::GetAtt',
  '!Sub': 'Fn::Sub',
  '!Join': 'Fn::Join',
  '!FindInMap': 'Fn::FindInMap',
  '!If': 'Fn::If',
  '!Select': 'Fn::Select',
  '!Split': 'Fn::Split',
  '!ImportValue': 'Fn::ImportValue',
  '!Base64': 'Fn::Base64',
  '!GetAZs': 'Fn::GetAZs',
  '!Cidr': 'Fn::Cidr',
  '!Equals': 'Fn::Equals',
  '!And': 'Fn::And',
  '!Or': 'Fn::Or',
  '!Not': 'Fn::Not',
  '!Transform': 'Fn::Transform',
  '!ToJsonString': 'Fn::ToJsonString',
  '!Length': 'Fn::Length',
};

/** The YAML short form of an intrinsic (`!Ref X`, `!GetAtt A.B`) as its JSON form (`{ Ref: 'X' }`, `{ 'Fn::GetAtt': ['A', 'B'] }`). */
export function shortFormTag(tag: string, value: unknown): unknown {
  const name = SHORT_TAGS[tag];
  if (name === undefined) return undefined;
  if (name === 'Fn::GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { [name]: dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [name]: value };
}

/** The partition of a region (`AWS::Partition`). */
function partition(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

const MAX_DEPTH = 64;

/**
 * Evaluates `value`: plain data stays as it is; intrinsic functions are applied where their inputs are known.
 * `AWS::NoValue` is `undefined`, and as CloudFormation does, a list element or a property whose value it is, is
 * removed (`Overrides: [{...}, !If [C, {...}, !Ref AWS::NoValue]]` is a list of one when C is false).
 * @throws TemplateError for a construct CloudFormation would refuse (a `Ref` to nothing, a mapping key the
 *   region lacks, a condition that refers to itself).
 */
export function evaluate(value: unknown, scope: Scope, depth = 0, conditions: string[] = []): unknown {
  if (depth > MAX_DEPTH) throw new TemplateError(`intrinsic functions nested more than ${MAX_DEPTH} deep`);
  if (Array.isArray(value)) return value.map((item) => evaluate(item, scope, depth + 1, conditions)).filter((item) => item !== undefined);
  if (value === null || typeof value !== 'object' || value instanceof Unknown) return value;
  const keys = Object.keys(value);
  if (keys.length !== 1 || !(keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0]!.startsWith('Fn::'))) {
    const result: Record<string, unknown> = {};
    for (const key of keys) {
      const item = evaluate((value as Record<string, unknown>)[key], scope, depth + 1, conditions);
      // Defined, not assigned: a `__proto__` key stays a key (as JSON.parse and the YAML reader keep it), not the prototype.
      if (item !== undefined) Object.defineProperty(result, key, { value: item, enumerable: true, writable: true, configurable: true });
    }
    return result;
  }
  const name = keys[0]!;
  const argument = (value as Record<string, unknown>)[name];
  const inner = (item: unknown) => evaluate(item, scope, depth + 1, conditions);
  switch (name) {
    case 'Ref':
      return ref(argument, scope);
    case 'Condition':
      return condition(String(argument), scope, depth, conditions);
    case 'Fn::FindInMap':
      return findInMap(listOf(argument, 3, name), scope, inner);
    case 'Fn::Join': {
      const [separator, list] = listOf(argument, 2, name).map(inner);
      if (list instanceof Unknown) return list;
      if (!Array.isArray(list)) throw new TemplateError('Fn::Join: expected a list of values');
      const unknown = list.find((item) => item instanceof Unknown);
      return unknown ?? list.map(String).join(String(separator));
    }
    case 'Fn::Select': {
      const [index, list] = listOf(argument, 2, name).map(inner);
      if (index instanceof Unknown) return index;
      if (list instanceof Unknown) return list;
      if (!Array.isArray(list) || !Number.isInteger(Number(index)) || Number(index) < 0 || Number(index) >= list.length) {
        throw new TemplateError(`Fn::Select: index ${String(index)} is not in the list`);
      }
      return list[Number(index)];
    }
    case 'Fn::Split': {
      const [separator, text] = listOf(argument, 2, name).map(inner);
      if (text instanceof Unknown) return text;
      return String(text).split(String(separator));
    }
    case 'Fn::If': {
      const [test, yes, no] = listOf(argument, 3, name);
      const decided = condition(String(test), scope, depth, conditions);
      if (decided instanceof Unknown) return decided;
      return inner(decided ? yes : no);
    }
    case 'Fn::Sub':
      return substitute(argument, scope, depth, conditions);
    case 'Fn::Equals': {
      const [a, b] = listOf(argument, 2, name).map(inner);
      if (a instanceof Unknown) return a;
      if (b instanceof Unknown) return b;
      return JSON.stringify(a) === JSON.stringify(b) || String(a) === String(b);
    }
    case 'Fn::And':
    case 'Fn::Or': {
      const values = (Array.isArray(argument) ? argument : [argument]).map(inner);
      const decisive = values.find((item) => item === (name === 'Fn::Or'));
      if (decisive !== undefined) return decisive;
      return values.find((item) => item instanceof Unknown) ?? name === 'Fn::And';
    }
    case 'Fn::Not': {
      const [only] = (Array.isArray(argument) ? argument : [argument]).map(inner);
      return only instanceof Unknown ? only : !only;
    }
    case 'Fn::ImportValue': {
      const exported = inner(argument);
      return new Unknown(`Fn::ImportValue ${exported instanceof Unknown ? '(a computed name)' : String(exported)} is the output of another stack, known only at deploy`);
    }
    case 'Fn::Length': {
      const list = inner(argument);
      if (list instanceof Unknown) return list;
      if (!Array.isArray(list)) throw new TemplateError('Fn::Length: expected a list');
      return list.find((item) => item instanceof Unknown) ?? list.length;
    }
    case 'Fn::GetAZs':
      return new Unknown(`Fn::GetAZs lists the account's availability zones in ${scope.region ?? 'the region'} (those with a default subnet), known only at deploy`);
    case 'Fn::GetAtt': {
      const [resource, attribute] = Array.isArray(argument) ? argument.map(String) : [String(argument)];
      // A launch template of this template: its ID leads to it; its version numbers name the data it holds.
      if (resource !== undefined && scope.resources.get(resource) === 'AWS::EC2::LaunchTemplate') {
        if (attribute === 'LaunchTemplateId') return { [RESOURCE_REF]: resource };
        if (attribute === 'LatestVersionNumber') return '$Latest';
        if (attribute === 'DefaultVersionNumber') return '$Default';
      }
      return new Unknown(`Fn::GetAtt ${resource}.${attribute ?? ''} is known only at deploy`);
    }
    default:
      return new Unknown(`${name} is not evaluated before deploy`);
  }
}

/**
 * `Fn::FindInMap [Map, TopKey, SecondKey]`, with the `AWS::LanguageExtensions` form's fourth argument
 * `{DefaultValue: x}` for a missing key.
 */
function findInMap(argument: unknown[], scope: Scope, inner: (item: unknown) => unknown): unknown {
  const [map, top, second] = argument.slice(0, 3).map(inner);
  const unknown = [map, top, second].find((item) => item instanceof Unknown);
  if (unknown) return unknown;
  const options = argument[3];
  const fallback = typeof options === 'object' && options !== null && Object.hasOwn(options, 'DefaultValue') ? { value: (options as { DefaultValue: unknown }).DefaultValue } : undefined;
  const table = scope.mappings[String(map)] as Record<string, Record<string, unknown>> | undefined;
  if (table === undefined) {
    if (fallback) return inner(fallback.value);
    throw new TemplateError(`Fn::FindInMap: no mapping ${String(map)}`, choices('its mappings', Object.keys(scope.mappings), String(map)));
  }
  const row = table[String(top)];
  if (row === undefined || !Object.hasOwn(row, String(second))) {
    if (fallback) return inner(fallback.value);
    if (row === undefined) {
      const region = String(top) === scope.region;
      throw new TemplateError(
        `Fn::FindInMap: mapping ${String(map)} has no key ${String(top)}`,
        region
          ? `the mapping has keys ${Object.keys(table).join(', ')}: check --region, or add ${String(top)} to the mapping (CloudFormation refuses the stack in a region the mapping lacks)`
          : choices('its keys', Object.keys(table), String(top)),
      );
    }
    throw new TemplateError(`Fn::FindInMap: mapping ${String(map)}.${String(top)} has no key ${String(second)}`, choices('its keys', Object.keys(row), String(second)));
  }
  return inner(row[String(second)]);
}

/** `did you mean X? its keys: a, b, c` for a name that is not among `names`. */
function choices(what: string, names: readonly string[], wanted: string): string {
  const [close] = closeMatches(wanted, names.map((name) => [name, []] as const), 1);
  const listed = names.length > 12 ? `${names.slice(0, 12).join(', ')}, ...` : names.join(', ');
  return `${close ? `did you mean ${close}? ` : ''}${what}: ${listed || 'none'}`;
}

function listOf(argument: unknown, length: number, name: string): unknown[] {
  if (!Array.isArray(argument) || argument.length < length) throw new TemplateError(`${name}: expected a list of ${length} values`);
  return argument;
}

function ref(argument: unknown, scope: Scope): unknown {
  const name = String(argument);
  switch (name) {
    case 'AWS::Region':
      return scope.region ?? new Unknown('AWS::Region is not known (pass --region)');
    case 'AWS::Partition':
      return scope.region === undefined ? new Unknown('AWS::Partition is not known (pass --region)') : partition(scope.region);
    case 'AWS::URLSuffix':
      return scope.region === undefined ? new Unknown('AWS::URLSuffix is not known (pass --region)') : scope.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    case 'AWS::NoValue':
      return undefined;
    case 'AWS::AccountId':
    case 'AWS::StackName':
    case 'AWS::StackId':
    case 'AWS::NotificationARNs':
      return new Unknown(`${name} is known only at deploy`);
  }
  if (scope.parameters.has(name)) return scope.parameters.get(name);
  if (scope.unset.has(name)) return new Unknown(`parameter ${name} has no Default and no --parameter value`);
  if (scope.resources.has(name)) return { [RESOURCE_REF]: name };
  const names = [...scope.parameters.keys(), ...scope.unset, ...scope.resources.keys()];
  throw new TemplateError(`Ref ${name}: no parameter or resource of that name`, choices('the parameters and resources', names, name));
}

/** Marks `Ref` to a resource of the template: the reader follows it (a launch template named by ID). */
export const RESOURCE_REF = '__imglintResourceRef';

function condition(name: string, scope: Scope, depth: number, seen: string[]): unknown {
  if (seen.includes(name)) throw new TemplateError(`condition ${name} refers to itself (${[...seen, name].join(' → ')})`);
  if (!Object.hasOwn(scope.conditions, name)) throw new TemplateError(`no condition ${name}`, choices('the conditions', Object.keys(scope.conditions), name));
  const value = evaluate(scope.conditions[name], scope, depth + 1, [...seen, name]);
  if (value instanceof Unknown) return new Unknown(`condition ${name} is not decidable before deploy (${value.reason})`);
  return Boolean(value);
}

function substitute(argument: unknown, scope: Scope, depth: number, conditions: string[]): unknown {
  const [template, variables] = Array.isArray(argument) ? [argument[0], argument[1] ?? {}] : [argument, {}];
  if (typeof template !== 'string') throw new TemplateError('Fn::Sub: expected a string');
  let unknown: Unknown | undefined;
  const text = template.replace(/\$\{(!?)([^}]*)\}/g, (whole, literal: string, name: string) => {
    if (literal === '!') return `\${${name}}`;
    const local = (variables as Record<string, unknown>)[name];
    let value: unknown;
    if (local !== undefined) value = evaluate(local, scope, depth + 1, conditions);
    else if (name.includes('.') && !name.startsWith('AWS::')) value = new Unknown(`\${${name}} (an attribute of ${name.split('.')[0]}) is known only at deploy`);
    else value = ref(name, scope);
    if (value instanceof Unknown) unknown ??= value;
    else if (typeof value === 'object' && value !== null) unknown ??= new Unknown(`\${${name}} is known only at deploy`);
    return value instanceof Unknown ? whole : String(value);
  });
  return unknown ?? text;
}
