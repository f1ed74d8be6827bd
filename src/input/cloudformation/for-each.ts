import { TemplateError, Unknown } from './intrinsics.js';

/**
 * `Fn::ForEach` in the `Resources` section, as the `AWS::LanguageExtensions` transform expands it
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-foreach.html):
 * `'Fn::ForEach::Loop': [Identifier, Collection, {OutputKey: OutputValue}]` stands for one copy of the fragment per
 * item of the collection, with `${Identifier}` and `&{Identifier}` (the item without its non-alphanumeric
 * characters) replaced in keys and strings, and `Ref: Identifier` replaced by the item. Loops nest.
 */

/** A resource of a loop whose collection is not known before deploy. */
export interface UnexpandedResource {
  /** Its key as written (`Worker${Name}`). */
  key: string;
  resource: unknown;
  /** Where it is in the document, for its line. */
  path: PropertyKey[];
  /** Why it is not expanded. */
  reason: string;
}

/** The `Resources` section with its loops expanded. */
export interface ExpandedResources {
  /** By logical ID. */
  resources: Record<string, unknown>;
  /** Where each logical ID's resource is in the document (`['Resources', id]`, or inside its loop). */
  paths: Map<string, PropertyKey[]>;
  unexpanded: UnexpandedResource[];
}

const LOOP = 'Fn::ForEach::';

/** More resources than any template can have (CloudFormation allows 500): a loop that multiplies beyond is refused. */
const MAX_RESOURCES = 10_000;

/** True when the section holds a loop (the template then needs the `AWS::LanguageExtensions` transform). */
export function hasLoops(resources: Readonly<Record<string, unknown>>): boolean {
  return Object.keys(resources).some((key) => key.startsWith(LOOP));
}

/**
 * Expands every loop of `resources` whose collection `evaluate` knows (a list, a `Ref` to a `CommaDelimitedList`
 * parameter, a mapping entry...); the resources of the other loops are returned as {@link UnexpandedResource}s.
 *
 * @param evaluate - evaluates a collection (intrinsics, parameters).
 * @throws TemplateError for a loop that is not `[Identifier, Collection, {fragment}]`, a logical ID that two
 *   copies (or a copy and a resource) share, or more than 10,000 resources.
 */
export function expandLoops(resources: Readonly<Record<string, unknown>>, evaluate: (value: unknown) => unknown): ExpandedResources {
  const out: ExpandedResources = { resources: {}, paths: new Map(), unexpanded: [] };
  expand(resources, ['Resources'], [], out, evaluate);
  return out;
}

type Bindings = readonly (readonly [identifier: string, item: string])[];

function expand(map: Readonly<Record<string, unknown>>, path: PropertyKey[], bindings: Bindings, out: ExpandedResources, evaluate: (value: unknown) => unknown): void {
  for (const [key, value] of Object.entries(map)) {
    if (!key.startsWith(LOOP)) {
      const id = bindings.length === 0 ? key : substitute(key, bindings);
      if (Object.hasOwn(out.resources, id)) throw new TemplateError(`${key}: the logical ID ${id} is used twice`, 'every expanded logical ID must be unique');
      if (out.paths.size >= MAX_RESOURCES) throw new TemplateError(`Fn::ForEach expands to more than ${MAX_RESOURCES} resources (CloudFormation allows 500)`);
      out.resources[id] = bindings.length === 0 ? value : replace(value, bindings);
      out.paths.set(id, [...path, key]);
      continue;
    }
    const [identifier, collection, fragment] = Array.isArray(value) ? value : [];
    if (!Array.isArray(value) || value.length !== 3 || typeof identifier !== 'string' || typeof fragment !== 'object' || fragment === null || Array.isArray(fragment)) {
      throw new TemplateError(`${key}: expected [Identifier, Collection, {OutputKey: OutputValue}]`);
    }
    const items = evaluate(replace(collection, bindings));
    const unknown = items instanceof Unknown ? items : Array.isArray(items) ? items.find((item) => item instanceof Unknown || typeof item === 'object') : undefined;
    if (unknown !== undefined || !Array.isArray(items)) {
      const why = unknown instanceof Unknown ? unknown.reason : 'it is not a list of values';
      leaves(fragment as Record<string, unknown>, [...path, key, 2], `${key}: its collection is not known before deploy (${why})`, out.unexpanded);
      continue;
    }
    for (const item of items) expand(fragment as Record<string, unknown>, [...path, key, 2], [...bindings, [identifier, String(item)]], out, evaluate);
  }
}

/** The resources of a fragment (through nested loops), each with `reason`. */
function leaves(fragment: Readonly<Record<string, unknown>>, path: PropertyKey[], reason: string, into: UnexpandedResource[]): void {
  for (const [key, value] of Object.entries(fragment)) {
    if (!key.startsWith(LOOP)) into.push({ key, resource: value, path: [...path, key], reason });
    else if (Array.isArray(value) && typeof value[2] === 'object' && value[2] !== null) leaves(value[2] as Record<string, unknown>, [...path, key, 2], reason, into);
  }
}

/** `value` with every binding applied: in keys and strings, and to `Ref`s of an identifier. */
function replace(value: unknown, bindings: Bindings): unknown {
  if (typeof value === 'string') return substitute(value, bindings);
  if (Array.isArray(value)) return value.map((item) => replace(item, bindings));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  if (entries.length === 1 && entries[0]![0] === 'Ref' && typeof entries[0]![1] === 'string') {
    const bound = bindings.findLast(([identifier]) => identifier === entries[0]![1]);
    if (bound) return bound[1];
  }
  return Object.fromEntries(entries.map(([key, item]) => [substitute(key, bindings), replace(item, bindings)]));
}

function substitute(text: string, bindings: Bindings): string {
  let out = text;
  for (const [identifier, item] of bindings) {
    out = out.split(`\${${identifier}}`).join(item).split(`&{${identifier}}`).join(item.replace(/[^A-Za-z0-9]/g, ''));
  }
  return out;
}
