import { readFile } from 'node:fs/promises';
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
    return await readFile(path, 'utf8');
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
 * `Unexpected token '}' at line 3, column 14`. V8 gives a character offset for some syntax errors and only a
 * snippet for others, so the offset is found by bisection: the shortest prefix of `json` that is no longer the
 * beginning of some valid JSON ends at the offending character.
 */
function describeJsonError(error: unknown, json: string): string {
  const what = (error instanceof Error ? error.message : String(error))
    .replace(/, ".*" is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+.*$/s, '');
  // Invariant: json.slice(0, good) is viable, json.slice(0, bad) is not. A truncated file fails at its end.
  let good = isViableJsonPrefix(json) ? json.length : 0;
  let bad = json.length;
  while (bad - good > 1) {
    const middle = (good + bad) >> 1;
    if (isViableJsonPrefix(json.slice(0, middle))) good = middle;
    else bad = middle;
  }
  const before = json.slice(0, good);
  const line = before.split('\n').length;
  const column = good - before.lastIndexOf('\n');
  return `${what} at line ${line}, column ${column}`;
}

/** True when `prefix` parses, or fails only because it ends too early. */
function isViableJsonPrefix(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return true;
  } catch (error) {
    const message = (error as Error).message;
    if (message.startsWith('Unexpected end of JSON input')) return true;
    const position = /at position (\d+)/.exec(message)?.[1];
    return position !== undefined && Number(position) >= prefix.length;
  }
}
