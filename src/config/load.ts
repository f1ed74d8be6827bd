import { constants } from 'node:fs';
import { close, fstat, open, readFile, stat } from '../fs-async.js';
import { dirname, join, relative, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { CONFIG_FILE_NAMES } from './file-names.js';
import type { ImglintConfig } from './schema.js';

/** Where to look for the configuration. */
export interface LoadConfigOptions {
  /** Directory discovery starts from (the working directory). */
  cwd: string;
  /** `--config <path>`, relative to `cwd`: this file and no discovery. */
  explicitPath?: string;
}

/** A configuration file, read and validated. */
export interface LoadedConfig {
  /** Absolute path of the file. */
  path: string;
  /** The path for messages and notices: `--config` as given, or the discovered file relative to `cwd`. */
  displayPath: string;
  config: ImglintConfig;
}


/**
 * Finds and reads the configuration: `explicitPath` when given; otherwise the first of `.imglint.yaml`,
 * `.imglint.yml`, `.imglint.json` in `cwd` or a parent of it, looking no higher than the repository root (the first
 * directory that contains `.git`) or the filesystem root.
 *
 * @returns the file and its configuration, or `undefined` when no file was given and none was found.
 * @throws UsageError when `explicitPath` is empty, does not exist or cannot be read, when the file found or given is
 *   not a regular file (a directory named `.imglint.yaml`) or is over 1 MiB, when one directory holds more than one
 *   config file, or when the file is invalid (see `parseConfig` in `./parse.ts`).
 */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig | undefined> {
  const cwd = resolve(options.cwd);
  const { explicitPath } = options;
  if (explicitPath !== undefined && explicitPath.trim() === '') {
    throw new UsageError('--config needs a file path, and got an empty string', { hint: 'pass the path of an .imglint.yaml, or leave --config out to use discovery' });
  }
  const path = explicitPath === undefined ? await discover(cwd) : resolve(cwd, explicitPath);
  if (path === undefined) return undefined;
  const displayPath = explicitPath ?? relative(cwd, path);
  const text = await readConfigText(path, explicitPath === undefined ? displayPath : `--config ${explicitPath}`);
  const { parseConfig } = await import('./parse.js');
  return { path, displayPath, config: parseConfig(text, displayPath) };
}

/** A configuration is small; a larger file is refused before it is parsed. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** The file's text: a regular file of at most 1 MiB, opened without blocking (a FIFO must not hang the run). */
async function readConfigText(path: string, name: string): Promise<string> {
  const hint = 'pass the path of an .imglint.yaml, .imglint.yml or .imglint.json file';
  let fd: number | undefined;
  try {
    fd = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const info = await fstat(fd);
    if (info.isDirectory()) throw new UsageError(`${name}: is a directory, not a file`, { hint });
    if (!info.isFile()) throw new UsageError(`${name}: not a regular file`, { hint });
    if (info.size > MAX_CONFIG_BYTES) throw new UsageError(`${name}: ${info.size} bytes; a configuration file may be at most 1 MiB`, { hint });
    return await readFile(fd);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a file' : `cannot read it (${code ?? String(error)})`;
    throw new UsageError(`${name}: ${what}`, { hint, cause: error });
  } finally {
    if (fd !== undefined) await close(fd);
  }
}

/** The config file in `start` or the nearest parent, stopping at the repository root. */
async function discover(start: string): Promise<string | undefined> {
  for (let dir = start; ; dir = dirname(dir)) {
    const found: string[] = [];
    // Anything at a config file's name counts, so that a directory called .imglint.yaml is reported, not skipped.
    for (const name of CONFIG_FILE_NAMES) if ((await statOf(join(dir, name))) !== undefined) found.push(name);
    if (found.length > 1) {
      throw new UsageError(`${dir}: ${found.join(' and ')} are both config files; imglint reads only one`, { hint: 'merge them into one file' });
    }
    if (found[0] !== undefined) return join(dir, found[0]);
    if ((await statOf(join(dir, '.git'))) !== undefined || dirname(dir) === dir) return undefined;
  }
}

async function statOf(path: string) {
  try {
    return await stat(path);
  } catch {
    return undefined;
  }
}
