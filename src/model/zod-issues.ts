import type * as z from 'zod/mini';

/** Longest rendering of an offending value in a message, so a huge or sensitive blob never floods a line. */
const MAX_VALUE_CHARS = 40;

/**
 * Renders a zod issue path the way a reader of the JSON would write it:
 * `Images[0].VirtualizationType`, `InstanceTypes[3].ProcessorInfo.SupportedArchitectures[1]`,
 * `Tags["odd key"]`. An empty path renders as `(root)`.
 *
 * @param path - zod issue path segments (object keys and array indexes).
 * @returns the path as one string; never empty.
 */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_$][\w$]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out || '(root)';
}

/**
 * One line for one zod issue: `<path>: <what was expected>`, e.g.
 * `Images[0].VirtualizationType: expected one of hvm|paravirtual (got "pv")` or
 * `Images[0].Architecture: missing (expected string)`.
 * The offending value is shown only when the schema was parsed with `{ reportInput: true }`,
 * truncated to 40 characters.
 *
 * @param issue - a zod 4 issue.
 * @param basePath - segments to prepend to the issue's own path (e.g. `['Images', 3]` when one array element was
 *   validated on its own).
 * @returns a single line without a trailing period.
 */
export function formatZodIssue(issue: z.core.$ZodIssue, basePath: readonly PropertyKey[] = []): string {
  const where = formatIssuePath([...basePath, ...issue.path]);
  const missing = 'input' in issue && issue.input === undefined;
  const got = 'input' in issue && !missing ? ` (got ${describeValue(issue.input)})` : '';
  switch (issue.code) {
    case 'invalid_type':
      return missing ? `${where}: missing (expected ${issue.expected})` : `${where}: expected ${issue.expected}${got}`;
    case 'invalid_value': {
      const expected = `one of ${issue.values.map(String).join('|')}`;
      return missing ? `${where}: missing (expected ${expected})` : `${where}: expected ${expected}${got}`;
    }
    case 'too_small':
      return issue.origin === 'array'
        ? `${where}: expected at least ${String(issue.minimum)} item(s)`
        : `${where}: ${issue.message}${got}`;
    default:
      return `${where}: ${issue.message}${got}`;
  }
}

/**
 * Formats the first `limit` issues of a failed parse on one line, separated by `; `, and says how many more
 * there were (error messages are one line: see `src/errors.ts`).
 *
 * @param error - the `ZodError` from `safeParse`.
 * @param basePath - segments prepended to every path (see {@link formatZodIssue}).
 * @param limit - how many issues to spell out (default 3).
 * @returns one line.
 */
export function formatZodError(error: z.core.$ZodError, basePath: readonly PropertyKey[] = [], limit = 3): string {
  const lines = error.issues.slice(0, limit).map((issue) => formatZodIssue(issue, basePath));
  const more = error.issues.length - limit;
  if (more > 0) lines.push(`and ${more} more problem${more === 1 ? '' : 's'}`);
  return lines.join('; ');
}

/** What {@link describeValue} calls the values it does not show: JSON's words by default. */
export interface ValueNames {
  null: string;
  array: string;
  object: string;
}

const JSON_NAMES: ValueNames = { null: 'null', array: 'an array', object: 'an object' };

/**
 * An offending value for a message: a string quoted as JSON, another scalar as is, both truncated to 40 characters;
 * `null`, arrays and objects by name only (`names`), so a large or sensitive structure never floods a line.
 *
 * @param value - the value (as parsed from JSON or YAML).
 * @param names - the words for null, arrays and objects (default `null`, `an array`, `an object`; a YAML file says
 *   `an empty value`, `a list`, `a mapping`).
 * @returns one short string.
 */
export function describeValue(value: unknown, names: ValueNames = JSON_NAMES): string {
  if (value === null) return names.null;
  if (Array.isArray(value)) return names.array;
  if (typeof value === 'object') return names.object;
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}
