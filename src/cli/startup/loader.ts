import { closeSync, constants, fstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { crc32 } from 'node:zlib';
import { cacheDirectory } from '../../catalog/cache-dir.js';
import { VERSION } from '../../version.js';

/**
 * Starts the CLI from `dist/cli/`, whose files are CommonJS scripts (the build turns the split ES-module bundle into
 * them, one file per chunk) compiled here with V8's code cache: a run after the first one skips parsing and compiling
 * the code it uses, which is most of a one-pair check's start-up. Node 20 has no compile cache for ES modules
 * (`module.enableCompileCache` exists from Node 22.1 and covers only modules Node itself loads), so one mechanism
 * serves every Node version.
 *
 * The scripts require one another (relative paths) and `node:` builtins only: the build bundles every package.
 *
 * The cache lives in `<cache directory>/compile/<imglint version>-node<version>-<arch>/`, one file per script:
 * a header with the CRC-32 of the script's source and of V8's data, then the data. A file that is missing, cut
 * short, corrupt, made for other source or refused by V8 is ignored and rewritten after the run; a directory that
 * cannot be written is ignored (the run is only slower). `IMGLINT_NO_COMPILE_CACHE=1` turns it off.
 */

/** `IMGL` + format 1. */
const MAGIC = 0x494d4701;
/** magic, source CRC-32, data CRC-32, data length: 4 bytes each. */
const HEADER_BYTES = 16;

/** The parameters every script of `dist/cli/` is compiled as a function of (see `scripts/build.mjs`). */
const WRAPPER_PARAMETERS = ['exports', 'require', 'module', '__filename', '__dirname', '__importMetaUrl', '__imglintImport'];

interface LoadedScript {
  exports: unknown;
}

interface CacheEntry {
  script: Script;
  file: string;
  sourceCrc: number;
}

/** Where this installation's compiled code is kept; `undefined` when the cache is turned off. */
function compileCacheDirectory(env: NodeJS.ProcessEnv): string | undefined {
  if (env.IMGLINT_NO_COMPILE_CACHE === '1' || env.IMGLINT_NO_COMPILE_CACHE === 'true') return undefined;
  return path.join(cacheDirectory(env), 'compile', `${VERSION}-node${process.versions.node}-${process.arch}`);
}

/** V8's data for a source, when the cache holds a whole, matching copy. */
function readCachedData(file: string, sourceCrc: number): Buffer | undefined {
  let bytes: Buffer;
  let fd: number | undefined;
  try {
    // Non-blocking and regular files only: a FIFO or device at a cache path must not hang every run.
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    if (!fstatSync(fd).isFile()) return undefined;
    bytes = readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (bytes.length < HEADER_BYTES || bytes.readUInt32LE(0) !== MAGIC || bytes.readUInt32LE(4) !== sourceCrc) return undefined;
  const data = bytes.subarray(HEADER_BYTES);
  if (data.length !== bytes.readUInt32LE(12) || crc32(data) !== bytes.readUInt32LE(8)) return undefined;
  return data;
}

function writeCachedData(entry: CacheEntry): void {
  const data = entry.script.createCachedData();
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32LE(MAGIC, 0);
  header.writeUInt32LE(entry.sourceCrc, 4);
  header.writeUInt32LE(crc32(data), 8);
  header.writeUInt32LE(data.length, 12);
  const temporary = `${entry.file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, Buffer.concat([header, data]));
    renameSync(temporary, entry.file);
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
  const cacheDir = compileCacheDirectory(env);
  const loaded = new Map<string, LoadedScript>();
  const toWrite: CacheEntry[] = [];
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

  function load(file: string): unknown {
    const known = loaded.get(file);
    if (known !== undefined) return known.exports;
    const module: LoadedScript = { exports: {} };
    loaded.set(file, module);
    const bytes = readFileSync(file);
    const source = bytes.toString('utf8');
    const sourceCrc = crc32(bytes);
    // Named by the script and by where it is installed: V8's data carries the file name its stack traces show.
    const relative = file.startsWith(rootPrefix) ? file.slice(rootPrefix.length) : path.relative(root, file);
    const cacheFile = cacheDir === undefined ? undefined : `${cacheDir}${path.sep}${relative.replaceAll(path.sep, '~')}.${crc32(file).toString(16)}.bin`;
    const cachedData = cacheFile === undefined ? undefined : readCachedData(cacheFile, sourceCrc);
    const script = new Script(`(function (${WRAPPER_PARAMETERS.join(', ')}) {${source}\n})`, { filename: file, cachedData });
    if (cacheFile !== undefined && (cachedData === undefined || script.cachedDataRejected === true)) toWrite.push({ script, file: cacheFile, sourceCrc });
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
    // Few scripts read import.meta.url (the rule pages'): only those pay for the URL.
    const url = source.includes('__importMetaUrl') ? pathToFileURL(file).href : undefined;
    (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, require, module, file, directory, url, dynamicImport);
    return module.exports;
  }

  if (cacheDir !== undefined) {
    // After the run, so the data holds the functions the run compiled, not only the top level.
    process.once('exit', () => {
      if (toWrite.length === 0) return;
      try {
        mkdirSync(cacheDir, { recursive: true });
      } catch {
        return;
      }
      for (const entry of toWrite) writeCachedData(entry);
    });
  }
  const main = load(path.join(root, 'main.cjs')) as { run(): Promise<void> };
  await main.run();
}
