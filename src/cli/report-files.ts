import { lstat, mkdirs, readlink, realpath, rename, rm, stat, writeFile } from '../fs-async.js';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { FormatSpec } from '../report/formats.js';

/** A file the run writes: a report, or the baseline. */
export interface OutputFile {
  /** The path as the user gave it (for messages). */
  path: string;
  /** What writes it, for messages: `--format sarif=imglint.sarif`, `--write-baseline`. */
  flag: string;
}

/** A file the run reads, with the flag that names it. */
export interface InputFile {
  path: string;
  flag: string;
}

/**
 * Refuses output combinations that would lose a report, before anything is checked: two formats on standard
 * output (they would be mixed into one stream), two outputs to one file (the last would win), and an output that
 * is one of the run's inputs (it would be replaced by the report). Files are compared by real path (symbolic links
 * and `./` resolved), so `plan.json` and `./dir/../plan.json` are the same file.
 *
 * @throws UsageError (exit 2) naming both flags and how to fix it.
 */
export async function checkOutputs(specs: readonly FormatSpec[], outputs: readonly OutputFile[], inputs: readonly InputFile[]): Promise<void> {
  const toStdout = specs.filter((spec) => spec.path === undefined);
  if (toStdout.length > 1) {
    const [first, second] = toStdout as [FormatSpec, FormatSpec];
    throw new UsageError(`--format ${first.format} and --format ${second.format} both write to standard output`, {
      hint: `write all but one to a file: --format ${first.format} --format ${second.format}=imglint.${extensionOf(second.format)}`,
    });
  }
  const seen = new Map<string, OutputFile>();
  for (const output of outputs) {
    const key = await identity(output.path);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new UsageError(`${earlier.flag} and ${output.flag} both write ${output.path}`, { hint: 'give each report a file of its own' });
    }
    seen.set(key, output);
  }
  for (const input of inputs) {
    const output = seen.get(await identity(input.path));
    if (output !== undefined) {
      throw new UsageError(`${output.flag} would overwrite ${input.path}, which is read as ${input.flag}`, {
        hint: 'write the report to another file',
      });
    }
  }
}

/**
 * Writes every file or none: each to a temporary file in its own directory (so the rename is atomic, on one file
 * system), then, when all were written, renames each into place. A run killed mid-write leaves the previous report
 * whole; a path that cannot be written fails the run before any report is replaced. A symbolic link is written
 * through: the temporary file goes next to the file it points at, which is replaced, and the link stays. A path that
 * is not a regular file (`/dev/stdout`, a named pipe, a device) is written as it is, last, since nothing can be
 * renamed over it.
 *
 * @throws UsageError (exit 2) naming the path and why it cannot be written.
 */
export async function writeAllOrNone(files: readonly { path: string; text: string }[]): Promise<void> {
  const targets = await Promise.all(files.map(async (file) => ({ ...file, ...(await targetOf(file.path)) })));
  const staged: { temp: string; path: string; target: string }[] = [];
  try {
    for (const [index, { path, text, target, special }] of targets.entries()) {
      if (special) continue;
      const dir = dirname(target);
      await createParent(path, dir);
      // The process ID tells concurrent runs apart, the index this run's files; 'wx' refuses a leftover of the same name.
      const temp = join(dir, `.${basename(target)}.${process.pid}.${index}.tmp`);
      staged.push({ temp, path, target });
      await writeOrExplain(path, () => writeFile(temp, text, { flag: 'wx' }));
    }
    for (const { temp, path, target } of staged) await writeOrExplain(path, () => rename(temp, target));
  } finally {
    await Promise.all(staged.map(({ temp }) => rm(temp, { force: true })));
  }
  for (const { path, text, special } of targets) if (special) await writeOrExplain(path, () => writeFile(path, text));
}

/**
 * Where a report for `path` really goes: the file a symbolic link points at (followed to the end, also when that
 * file does not exist yet), and whether it is a special file, to be written in place.
 *
 * @throws UsageError when the path is a directory.
 */
async function targetOf(path: string): Promise<{ target: string; special: boolean }> {
  let target = resolve(path);
  for (let links = 0; links < 40; links += 1) {
    const info = await lstat(target).catch(() => undefined);
    if (info === undefined) return { target, special: false };
    if (info.isDirectory()) throw new UsageError(`cannot write ${path}: it is a directory`, { hint: 'name a file' });
    if (!info.isSymbolicLink()) return { target, special: !info.isFile() };
    target = resolve(dirname(target), await readlink(target));
  }
  throw new UsageError(`cannot write ${path}: too many levels of symbolic links`, { hint: 'name a file' });
}

/** The parent directories of `path`, created as needed; a parent that is a file is named as such. */
async function createParent(path: string, dir: string): Promise<void> {
  try {
    await mkdirs(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      throw new UsageError(`cannot write ${path}: ${await fileOnTheWay(dir)} is a file, not a directory`, {
        hint: 'pick a path whose parent is a directory',
        cause: error,
      });
    }
    throw explain(path, error);
  }
}

/** The first existing ancestor of `dir` (or `dir` itself) that is not a directory. */
async function fileOnTheWay(dir: string): Promise<string> {
  for (let at = dir; ; at = dirname(at)) {
    const info = await stat(at).catch(() => undefined);
    if (info !== undefined && !info.isDirectory()) return at;
    if (dirname(at) === at) return dir;
  }
}

/** A report file that cannot be written is the user's to fix (a path, a permission): exit 2, not an internal error. */
async function writeOrExplain(path: string, write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    throw explain(path, error);
  }
}

function explain(path: string, error: unknown): UsageError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (code ?? (error as Error).message);
  return new UsageError(`cannot write ${path} (${reason})`, { hint: 'pick a path in a writable directory', cause: error });
}

/** The real path of a file, or of its nearest existing parent joined with the rest, for one that does not exist yet. */
async function identity(path: string): Promise<string> {
  const absolute = resolve(path);
  const rest: string[] = [];
  for (let at = absolute; ; at = dirname(at)) {
    try {
      return join(await realpath(at), ...rest.reverse());
    } catch {
      if (dirname(at) === at) return absolute;
      rest.push(basename(at));
    }
  }
}

function extensionOf(format: FormatSpec['format']): string {
  return { text: 'txt', json: 'json', sarif: 'sarif', junit: 'xml', github: 'txt', gitlab: 'json' }[format];
}
