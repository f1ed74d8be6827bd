import { closeSync, constants, existsSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { crc32 } from 'node:zlib';
import { cacheDirectory } from '../../catalog/cache-dir.js';
import { VERSION } from '../../version.js';

/**
 * Starts the CLI from `dist/cli/`, whose scripts are CommonJS (the build turns each chunk of the split ES-module
 * bundle into one) compiled here with V8's code cache: a run after the first one skips parsing and compiling the code
 * it uses, which is most of a one-pair check's start-up. The scripts an offline AWS check runs are packed into one
 * file, `start.cjs` (an object literal of the scripts by path), compiled as one script; every other script is a file
 * of its own, compiled when first required. Node 20 has no compile cache for ES modules
 * (`module.enableCompileCache` exists from Node 22.1 and covers only modules Node itself loads), so one mechanism
 * serves every Node version.
 *
 * Each script is a function of `(exports, require, module, __filename, __dirname, __importMetaUrl, __imglintImport)`,
 * written so by the build. The scripts require one another (relative paths) and `node:` builtins only: the build
 * bundles every package.
 *
 * The cache is one file per installation, `<cache directory>/compile/<imglint version>-node<version>-<arch>/
 * scripts.<CRC-32 of dist/cli's path>.bin`, read once per run, with one entry per compiled file (the pack is one).
 * Its layout, little-endian:
 * - magic (`IMGL` + format 2), entry count: 4 bytes each;
 * - per entry: name length, CRC-32 of the script's source, CRC-32 of V8's data, data length (4 bytes each), the
 *   script's path under `dist/cli/` (UTF-8), V8's data.
 *
 * A file that is missing, cut short or malformed is ignored; an entry that is corrupt, made for other source or
 * refused by V8 is passed over. After a run that compiled a script the cache lacked, the file is written anew with
 * the entries of this run and those of scripts other commands loaded that are still installed. A directory that
 * cannot be written is ignored (the run is only slower). `IMGLINT_NO_COMPILE_CACHE=1` turns it off.
 */

/** `IMGL` + format 2 (format 1 was one file per script). */
const MAGIC = 0x494d4702;
/** magic, entry count: 4 bytes each. */
const FILE_HEADER_BYTES = 8;
/** name length, source CRC-32, data CRC-32, data length: 4 bytes each. */
const ENTRY_HEADER_BYTES = 16;

interface LoadedScript {
  exports: unknown;
}

/** A script of dist/cli/ (scripts/build.mjs writes each as this function). */
type ScriptFunction = (
  exports: unknown,
  require: (specifier: string) => unknown,
  module: LoadedScript,
  filename: string,
  dirname: string,
  importMetaUrl: string | undefined,
  dynamicImport: (specifier: string) => Promise<unknown>,
) => void;

/** The file of dist/cli/ that holds the start pack (scripts/build.mjs `START_PACK`). */
const START_PACK = 'start.cjs';

/** One script's V8 data as the cache holds it; its CRC is checked when the script is loaded. */
interface CacheEntry {
  sourceCrc: number;
  dataCrc: number;
  data: Buffer;
}

/** Where this installation's compiled code is kept; `undefined` when the cache is turned off. */
function compileCacheFile(env: NodeJS.ProcessEnv, root: string): { directory: string; file: string } | undefined {
  if (env.IMGLINT_NO_COMPILE_CACHE === '1' || env.IMGLINT_NO_COMPILE_CACHE === 'true') return undefined;
  const directory = path.join(cacheDirectory(env), 'compile', `${VERSION}-node${process.versions.node}-${process.arch}`);
  // Named by where the scripts are installed: V8's data carries the file names its stack traces show.
  return { directory, file: path.join(directory, `scripts.${crc32(root).toString(16)}.bin`) };
}

/** The entries of the cache file, by script path; empty when the file is missing, not a regular file or malformed. */
function readCache(file: string): Map<string, CacheEntry> {
  const entries = new Map<string, CacheEntry>();
  let bytes: Buffer;
  let fd: number | undefined;
  try {
    // Non-blocking and regular files only: a FIFO or device at the cache path must not hang every run.
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    if (!fstatSync(fd).isFile()) return entries;
    bytes = readFileSync(fd);
  } catch {
    return entries;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (bytes.length < FILE_HEADER_BYTES || bytes.readUInt32LE(0) !== MAGIC) return entries;
  const count = bytes.readUInt32LE(4);
  let at = FILE_HEADER_BYTES;
  for (let index = 0; index < count; index += 1) {
    if (at + ENTRY_HEADER_BYTES > bytes.length) return new Map();
    const nameLength = bytes.readUInt32LE(at);
    const sourceCrc = bytes.readUInt32LE(at + 4);
    const dataCrc = bytes.readUInt32LE(at + 8);
    const dataLength = bytes.readUInt32LE(at + 12);
    const dataStart = at + ENTRY_HEADER_BYTES + nameLength;
    if (dataStart + dataLength > bytes.length) return new Map();
    const name = bytes.toString('utf8', at + ENTRY_HEADER_BYTES, dataStart);
    entries.set(name, { sourceCrc, dataCrc, data: bytes.subarray(dataStart, dataStart + dataLength) });
    at = dataStart + dataLength;
  }
  return at === bytes.length ? entries : new Map();
}

/** Writes the cache file whole (through a temporary file, so a concurrent run reads the old or the new one). */
function writeCache(file: string, entries: ReadonlyMap<string, CacheEntry>): void {
  const parts: Buffer[] = [];
  const header = Buffer.alloc(FILE_HEADER_BYTES);
  header.writeUInt32LE(MAGIC, 0);
  header.writeUInt32LE(entries.size, 4);
  parts.push(header);
  for (const [name, entry] of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const entryHeader = Buffer.alloc(ENTRY_HEADER_BYTES);
    entryHeader.writeUInt32LE(nameBytes.length, 0);
    entryHeader.writeUInt32LE(entry.sourceCrc, 4);
    entryHeader.writeUInt32LE(entry.dataCrc, 8);
    entryHeader.writeUInt32LE(entry.data.length, 12);
    parts.push(entryHeader, nameBytes, entry.data);
  }
  // Unique across containers sharing a cache volume, where the same pid may be running in each.
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    writeFileSync(temporary, Buffer.concat(parts));
    renameSync(temporary, file);
  } catch {
    rmSync(temporary, { force: true });
  }
}

/**
 * Loads `<root>/main.cjs` (through the code cache) and runs the CLI.
 *
 * @param root - the directory of the CLI's scripts (`dist/cli/` of the package).
 * @param env - where `IMGLINT_CACHE_DIR` and `IMGLINT_NO_COMPILE_CACHE` are read (default `process.env`).
 */
export async function run(root: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const cache = compileCacheFile(env, root);
  const cached = cache === undefined ? new Map<string, CacheEntry>() : readCache(cache.file);
  const loaded = new Map<string, LoadedScript>();
  // This run's scripts by path under root, with the cache entry each loaded with (none: its data is made at exit).
  const used = new Map<string, { script: Script; sourceCrc: number; entry: CacheEntry | undefined }>();
  let stale = false;
  // The scripts require each other and node: builtins only (every package is bundled): one require serves them all.
  const nodeRequire = createRequire(path.join(root, 'main.cjs'));
  const builtins = new Map<string, unknown>();
  const builtin = (specifier: string): unknown => {
    let exports = builtins.get(specifier);
    if (exports === undefined) builtins.set(specifier, (exports = nodeRequire(specifier)));
    return exports;
  };
  const rootPrefix = `${root}${root.endsWith(path.sep) ? '' : path.sep}`;
  // A script requires the shared chunks many times over: each relative path is resolved once.
  const paths = new Map<string, string>();
  const resolved = (directory: string, specifier: string): string => {
    const key = `${directory}\u0000${specifier}`;
    let file = paths.get(key);
    if (file === undefined) paths.set(key, (file = path.resolve(directory, specifier)));
    return file;
  };

  /** Compiles the file `<root>/<name>`, read as `bytes`, through the code cache. */
  function compile(name: string, bytes: Buffer): { script: Script; source: string } {
    const source = bytes.toString('utf8');
    const sourceCrc = crc32(bytes);
    const found = cached.get(name);
    const entry = found !== undefined && found.sourceCrc === sourceCrc && crc32(found.data) === found.dataCrc ? found : undefined;
    const script = new Script(source, { filename: path.join(root, name), cachedData: entry?.data });
    const accepted = entry !== undefined && script.cachedDataRejected !== true;
    if (!accepted) stale = true;
    used.set(name, { script, sourceCrc, entry: accepted ? entry : undefined });
    return { script, source };
  }

  // The start pack: the scripts of an offline AWS check, by path under root, in one file (scripts/build.mjs).
  const pack = compile(START_PACK, readFileSync(path.join(root, START_PACK))).script.runInThisContext() as Record<string, ScriptFunction>;

  function load(file: string): unknown {
    const known = loaded.get(file);
    if (known !== undefined) return known.exports;
    const module: LoadedScript = { exports: {} };
    loaded.set(file, module);
    const name = (file.startsWith(rootPrefix) ? file.slice(rootPrefix.length) : path.relative(root, file)).replaceAll(path.sep, '/');
    let run = Object.hasOwn(pack, name) ? pack[name]! : undefined;
    let url: string | undefined;
    if (run === undefined) {
      // A script of its own is one function expression (scripts/build.mjs writes it so): its text is compiled as it is.
      const { script, source } = compile(name, readFileSync(file));
      run = script.runInThisContext() as ScriptFunction;
      // Few scripts read import.meta.url (the rule pages', never a packed one): only those pay for the URL. (Its name
      // in the parameter list, before the body's `{`, does not count.)
      if (source.includes('__importMetaUrl', source.indexOf('{'))) url = pathToFileURL(file).href;
    }
    const directory = path.dirname(file);
    // Other scripts of dist/cli/ load through here (and the cache); node: builtins through Node.
    const require = (specifier: string) => (specifier.startsWith('.') ? load(resolved(directory, specifier)) : builtin(specifier));
    // `import()` of another script, or of a node: builtin (as a namespace: its exports, and the module as `default`).
    const dynamicImport = (specifier: string) =>
      Promise.resolve().then(() => {
        if (specifier.startsWith('.')) return load(resolved(directory, specifier));
        const exports = builtin(specifier) as object;
        return { ...exports, default: exports };
      });
    run(module.exports, require, module, file, directory, url, dynamicImport);
    return module.exports;
  }

  if (cache !== undefined) {
    // After the run, so new data holds the functions the run compiled, not only the top level.
    process.once('exit', () => {
      if (!stale) return;
      // Before building the data (≈ 5 ms): where the directory cannot be made, there is nothing to build it for.
      try {
        mkdirSync(cache.directory, { recursive: true });
      } catch {
        return;
      }
      const entries = new Map<string, CacheEntry>();
      for (const [name, { script, sourceCrc, entry }] of used) {
        if (entry !== undefined) {
          entries.set(name, entry);
          continue;
        }
        const data = script.createCachedData();
        entries.set(name, { sourceCrc, dataCrc: crc32(data), data });
      }
      // What other commands loaded stays while its script is installed (a rebuild renames the chunks it changed).
      for (const [name, entry] of cached) if (!entries.has(name) && existsSync(path.join(root, name))) entries.set(name, entry);
      writeCache(cache.file, entries);
    });
  }
  const main = load(path.join(root, 'main.cjs')) as { run(): Promise<void> };
  await main.run();
}
