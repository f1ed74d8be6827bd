import { readFile } from '../fs-async.js';
import { visit } from 'jsonc-parser';
import { InputError } from '../errors.js';

/** How a file's errors are reported: the `InputError` codes and the hint for the user. */
export interface FileErrors {
  /** Code when the file cannot be read (`UnreadableImageFile`). */
  unreadable: string;
  /** Code when the file is not JSON (`MalformedImageFile`). */
  malformed: string;
  /** What the file is, for messages (`the image file`). */
  what: string;
  /** What the user should pass instead. */
  hint: string;
}

/**
 * Reads a file the user named, as UTF-8 text.
 * @throws InputError `errors.unreadable`, with the OS's reason (`ENOENT`, `EACCES`, ...).
 */
export async function readTextFile(path: string, errors: Pick<FileErrors, 'unreadable' | 'what' | 'hint'>): Promise<string> {
  try {
    return await readFile(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new InputError(errors.unreadable, `${path}: cannot read ${errors.what} (${reason})`, { hint: errors.hint, cause: error });
  }
}

/**
 * Parses JSON text (pure). A leading byte-order mark is ignored.
 * @throws InputError `errors.malformed` with the line and column of the first offending character.
 */
export function parseJsonText(text: string, path: string, errors: Pick<FileErrors, 'malformed' | 'hint'>): unknown {
  const json = text.replace(/^\uFEFF/, '');
  try {
    return JSON.parse(json);
  } catch (error) {
    throw new InputError(errors.malformed, `${path}: not valid JSON: ${describeJsonError(error, json)}`, { hint: errors.hint, cause: error });
  }
}

/**
 * `Unexpected token '}' at line 3, column 14`. V8 gives the offset of most syntax errors in its message; for the
 * others ("Unexpected token 'x', "..." is not valid JSON") the offset comes from one pass of a JSON scanner
 * (`jsonc-parser`, strict: no comments, no trailing commas) over the text: the error path stays linear in the
 * file's size.
 */
function describeJsonError(error: unknown, json: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const what = message.replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '').replace(/ in JSON at position \d+.*$/s, '');
  const { line, column } = lineAndColumn(json, errorOffset(message, json));
  return `${what} at line ${line}, column ${column}`;
}

function errorOffset(message: string, json: string): number {
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position !== undefined) return Math.min(Number(position), json.length);
  if (message.startsWith('Unexpected end of JSON input')) return json.length;
  let first: number | undefined;
  visit(json, { onError: (_code, offset) => void (first ??= offset) }, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  return first ?? json.length;
}

/** 1-based line and column of `offset` in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) {
    line += 1;
    lineStart = at + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
