import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type * as z from 'zod/mini';
import { UsageError } from '../errors.js';
import { describeValue, type ValueNames } from '../model/zod-issues.js';
import { IgnoreEntryFile, ImglintConfigFile, suggestion, type ImglintConfig } from './schema.js';

/**
 * Parsing and validating `.imglint.yaml` (YAML 1.2, so JSON too), kept apart from discovery so that a run without
 * a config file never loads the YAML parser.
 */

/** How a YAML file's reader calls the values {@link describeValue} does not show. */
const YAML_NAMES: ValueNames = { null: 'an empty value', array: 'a list', object: 'a mapping' };
/** Problems spelled out in one error message; the rest are counted. */
const MAX_PROBLEMS = 3;
const HINT = 'the format is described in docs/configuration.md';

/** One thing wrong with the file. */
interface Problem {
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
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;

  const [syntaxError] = doc.errors;
  if (syntaxError !== undefined) {
    const hint = syntaxError.code === 'BAD_ALIAS' ? `quote values that start with *: rule: "*"` : HINT;
    throw new UsageError(`${displayPath}:${lineAt(syntaxError.pos[0])}: YAML syntax error: ${syntaxError.message}`, { hint });
  }
  const aliases: Problem[] = [];
  visit(doc, {
    Alias(_, alias) {
      if (alias.resolve(doc) !== undefined) return;
      const message = `*${alias.source} reads as a YAML alias with no anchor (quote values that start with *: "*${alias.source}")`;
      aliases.push({ line: lineAt(alias.range?.[0] ?? 0), key: '', message });
    },
  });
  if (aliases.length > 0) throw invalid(displayPath, aliases);

  let data: unknown;
  try {
    data = doc.toJS() ?? {};
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

function invalid(displayPath: string, problems: Problem[]): UsageError {
  const sorted = problems.toSorted((a, b) => a.line - b.line);
  const lines = sorted.slice(0, MAX_PROBLEMS).map(({ line, key, message }) => `${displayPath}:${line}: ${key ? `${key}: ` : ''}${message}`);
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
      const known = Object.keys(path.length === 0 ? ImglintConfigFile.shape : IgnoreEntryFile.shape);
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
