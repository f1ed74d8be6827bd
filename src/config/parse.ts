import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type * as z from 'zod/mini';
import { UsageError } from '../errors.js';
import { describeValue, type ValueNames } from '../model/zod-issues.js';
import { PlanEntry, TemplateEntry } from '../input/manifest/plan-and-template-entries.js';
import { suggestion } from '../catalog/close-matches.js';
import { IgnoreEntryFile, ImglintConfigFile, type ImglintConfig } from './schema.js';

/**
 * Parsing and validating `.imglint.yaml` (YAML 1.2, so JSON too), kept apart from discovery so that a run without
 * a config file never loads the YAML parser.
 */

/** How a YAML file's reader calls the values {@link describeValue} does not show. */
const YAML_NAMES: ValueNames = { null: 'an empty value', array: 'a list', object: 'a mapping' };
/** Aliases a configuration may use; also yaml's limit on how far they expand (its `maxAliasCount`). */
const MAX_ALIASES = 100;
/** Problems spelled out in one error message; the rest are counted. */
const MAX_PROBLEMS = 3;
const HINT = 'the format is described in docs/configuration.md';

/** The keys of a list's entries, by the list's key, for "did you mean". */
const ENTRY_SHAPES: Readonly<Record<string, object>> = { ignore: IgnoreEntryFile.shape, plans: PlanEntry.shape, cloudformation: TemplateEntry.shape };

/** One thing wrong with the file. */
interface Problem {
  /** 1-based; 0 for a configuration that is not a file. */
  line: number;
  /** Key path, `ignore[1].reason`; empty for the file as a whole. */
  key: string;
  message: string;
}

/**
 * Parses and validates a configuration (pure: no I/O). YAML 1.2, so JSON is accepted too.
 *
 * @param text - the file's content.
 * @param displayPath - the file's name for messages.
 * @returns the configuration; each `ignore` entry carries the `line` it starts on.
 * @throws UsageError naming the file, the line and the key of each problem (the first three, then a count), e.g.
 *   `.imglint.yaml:4: rules.previous-generaton: unknown rule id (did you mean previous-generation?)`;
 *   for YAML syntax errors, the file, the line and the parser's message.
 */
export function parseConfig(text: string, displayPath: string): ImglintConfig {
  const lineCounter = new LineCounter();
  // yaml's own duplicate-key check compares every key with every other (minutes for a large file); the visit below
  // does it with one set per mapping.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;

  const [syntaxError] = doc.errors;
  if (syntaxError !== undefined) {
    const line = lineAt(syntaxError.pos[0]);
    if (syntaxError.message.includes('Maximum call stack size exceeded')) {
      throw new UsageError(`${displayPath}:${line}: nested too deeply for a configuration file`, { hint: HINT });
    }
    const hint = syntaxError.code === 'BAD_ALIAS' ? `quote values that start with *: rule: "*"` : HINT;
    throw new UsageError(`${displayPath}:${line}: YAML syntax error: ${syntaxError.message}`, { hint });
  }
  const problems: Problem[] = [];
  const anchors = new Set<string>();
  let aliases = 0;
  const anchored = (node: { anchor?: string }) => {
    if (node.anchor !== undefined) anchors.add(node.anchor);
  };
  visit(doc, {
    Scalar: (_, node) => anchored(node),
    Seq: (_, node) => anchored(node),
    Map(_, map) {
      anchored(map);
      const keys = new Set<string>();
      for (const { key } of map.items) {
        if (!isScalar(key)) continue;
        const name = String(key.value);
        if (keys.has(name)) problems.push({ line: lineAt(key.range?.[0] ?? 0), key: '', message: `${name}: duplicate key (Map keys must be unique)` });
        keys.add(name);
      }
    },
    // Anchors are visited before the aliases that may refer to them (an alias must follow its anchor), so one pass
    // in document order knows every anchor an alias can name.
    Alias(_, alias) {
      aliases += 1;
      if (anchors.has(alias.source)) return;
      const message = `*${alias.source} reads as a YAML alias with no anchor (quote values that start with *: "*${alias.source}")`;
      problems.push({ line: lineAt(alias.range?.[0] ?? 0), key: '', message });
    },
  });
  if (problems.length > 0) throw invalid(displayPath, problems);
  if (aliases > MAX_ALIASES) {
    throw new UsageError(`${displayPath}: ${aliases} YAML aliases; a configuration file may have at most ${MAX_ALIASES}`, { hint: HINT });
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES }) ?? {};
  } catch (error) {
    // The one failure left after the checks above: aliases that expand past yaml's limit (a "billion laughs" file).
    throw new UsageError(`${displayPath}: ${(error as Error).message}`, { hint: HINT, cause: error });
  }
  const result = ImglintConfigFile.safeParse(data, { reportInput: true });
  if (!result.success) {
    const problems = result.error.issues.flatMap((issue) =>
      problemsOf(issue).map(({ path, message }) => ({ line: lineOf(doc, lineAt, path), key: formatKey(path), message })),
    );
    throw invalid(displayPath, problems);
  }
  const { ignore, ...rest } = result.data;
  return ignore === undefined ? rest : { ...rest, ignore: ignore.map((entry, index) => ({ ...entry, line: lineOf(doc, lineAt, ['ignore', index]) })) };
}

/**
 * Validates a configuration given as an object (the library's `check({ config })`) by the same schema and with the
 * same messages as a file, without line numbers.
 *
 * @param displayPath - how messages name the object (`options.config`).
 * @throws UsageError naming the key of each problem (the first three, then a count).
 */
export function configFromObject(value: unknown, displayPath: string): ImglintConfig {
  const result = ImglintConfigFile.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const problems = result.error.issues.flatMap((issue) => problemsOf(issue).map(({ path, message }) => ({ line: 0, key: formatKey(path), message })));
  throw invalid(displayPath, problems);
}

function invalid(displayPath: string, problems: Problem[]): UsageError {
  const sorted = problems.toSorted((a, b) => a.line - b.line);
  const lines = sorted
    .slice(0, MAX_PROBLEMS)
    .map(({ line, key, message }) => `${displayPath}${line > 0 ? `:${line}` : ''}: ${key ? `${key}: ` : ''}${message}`);
  const more = sorted.length - MAX_PROBLEMS;
  if (more > 0) lines.push(`and ${more} more problem${more === 1 ? '' : 's'}`);
  return new UsageError(lines.join('; '), { hint: HINT });
}

/** What one zod issue says, per key (an unknown-keys issue names several keys). */
function problemsOf(issue: z.core.$ZodIssue): { path: PropertyKey[]; message: string }[] {
  const path = issue.path;
  const got = 'input' in issue ? describeValue(issue.input, YAML_NAMES) : '';
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = Object.keys(path.length === 0 ? ImglintConfigFile.shape : ENTRY_SHAPES[String(path[0])] ?? IgnoreEntryFile.shape);
      return issue.keys.map((key) => ({
        path: [...path, key],
        message: `unknown key${suggestion(key, known) || ` (expected one of ${known.join(', ')})`}`,
      }));
    }
    case 'invalid_key':
      return [{ path, message: issue.issues[0]?.message ?? issue.message }];
    case 'invalid_type':
      return [{ path, message: issue.input === undefined ? 'required' : `expected ${noun(issue.expected)} (got ${got})` }];
    case 'invalid_value': {
      const values = issue.values.map(String);
      return [{ path, message: `${got} is not one of ${values.join('|')}${suggestion(String(issue.input), values)}` }];
    }
    case 'too_small':
      return [{ path, message: issue.origin === 'string' ? 'must not be empty' : `must be ${String(issue.minimum)} or more (got ${got})` }];
    default:
      return [{ path, message: issue.message }];
  }
}

function noun(expected: string): string {
  const nouns: Record<string, string> = { object: 'a mapping', record: 'a mapping', array: 'a list', string: 'a string', int: 'an integer', number: 'a number' };
  return nouns[expected] ?? expected;
}

/** `ignore[1].reason`, `rules.previous-generaton`: keys as the user wrote them, indexes from 0. */
function formatKey(path: readonly PropertyKey[]): string {
  return path.map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : `${index > 0 ? '.' : ''}${String(segment)}`)).join('') || '(top level)';
}

/**
 * The line of the node at `path`: of its key, when it is a mapping's value; of the nearest enclosing node that
 * exists, when it does not (a required key that is missing).
 */
function lineOf(doc: Document, lineAt: (offset: number) => number, path: readonly PropertyKey[]): number {
  let node: unknown = doc.contents;
  let line = isNode(node) && node.range ? lineAt(node.range[0]) : 1;
  for (const segment of path) {
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (pair === undefined) break;
      if (isNode(pair.key) && pair.key.range) line = lineAt(pair.key.range[0]);
      next = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      next = node.items[segment];
      if (isNode(next) && next.range) line = lineAt(next.range[0]);
    } else break;
    node = next;
  }
  return line;
}
