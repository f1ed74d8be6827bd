/**
 * The CLI's compile cache (src/cli/startup/loader.ts): the built CLI run as users run it, with the cache in a scratch
 * IMGLINT_CACHE_DIR. Whatever state the cache is in, the verdict and the exit code are the same.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../support/temp-dir.js';

const CHECK = ['bin/imglint.js', 'check', '--offline', '--region', 'us-east-1', '--image-file', 'examples/aws/ami-0e972d2890378139a.json', '--type', 't2.micro', '--format', 'json'];

function imglint(cacheDir: string, env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, CHECK, { encoding: 'utf8', env: { ...process.env, IMGLINT_CACHE_DIR: cacheDir, ...env } });
  return { status: run.status, stderr: run.stderr, verdicts: run.status === 1 ? (JSON.parse(run.stdout) as { summary: unknown }).summary : run.stdout };
}

/** The cache file of this installation: `<dir>/compile/<version>-node<version>-<arch>/scripts.<hash>.bin`, the only file there. */
function cacheFile(cacheDir: string): string | undefined {
  const root = path.join(cacheDir, 'compile');
  if (!existsSync(root)) return undefined;
  const [installation, ...others] = readdirSync(root);
  expect(others).toEqual([]);
  expect(installation).toMatch(new RegExp(`-node${process.versions.node.replaceAll('.', '\\.')}-${process.arch}$`));
  const files = readdirSync(path.join(root, installation!));
  expect(files).toEqual([expect.stringMatching(/^scripts\.[0-9a-f]+\.bin$/)]);
  return path.join(root, installation!, files[0]!);
}

interface Entry {
  name: string;
  /** Offset of the entry's header in the file. */
  at: number;
  dataLength: number;
}

/** The entries of a cache file, read by its documented layout (src/cli/startup/loader.ts). */
function entries(file: string): Entry[] {
  const bytes = readFileSync(file);
  expect(bytes.readUInt32LE(0)).toBe(0x494d4702);
  const list: Entry[] = [];
  let at = 8;
  for (let index = 0; index < bytes.readUInt32LE(4); index += 1) {
    const nameLength = bytes.readUInt32LE(at);
    const dataLength = bytes.readUInt32LE(at + 12);
    list.push({ name: bytes.toString('utf8', at + 16, at + 16 + nameLength), at, dataLength });
    at += 16 + nameLength + dataLength;
  }
  expect(at).toBe(bytes.length);
  return list;
}

/** An offline matrix: it runs scripts of its own besides the start pack's. */
function matrix(cacheDir: string): void {
  const run = spawnSync(process.execPath, ['bin/imglint.js', 'matrix', ...CHECK.slice(2, 7), '--format', 'json'], { encoding: 'utf8', env: { ...process.env, IMGLINT_CACHE_DIR: cacheDir } });
  expect(run.stderr).toBe('');
  expect(JSON.parse(run.stdout)).toBeTypeOf('object');
}

describe('compile cache', () => {
  const dir = useTempDir('imglint-compile-cache-', { each: true });

  it('is written by the first run, only for the scripts it loaded, and read by the next without rewriting', () => {
    const first = imglint(dir());
    expect(first.status).toBe(1);
    const file = cacheFile(dir())!;
    // An offline check runs only the scripts of the start pack (dist/cli/start.cjs): one entry, never the SDK,
    // OpenStack or explain.
    expect(entries(file).map(({ name }) => name)).toEqual(['start.cjs']);
    const mtime = statSync(file).mtimeMs;
    const second = imglint(dir());
    expect(second).toEqual(first);
    expect(statSync(cacheFile(dir())!).mtimeMs).toBe(mtime);
  });

  it('keeps what another command loaded when a run adds its own scripts', () => {
    imglint(dir());
    const check = entries(cacheFile(dir())!).map(({ name }) => name);
    matrix(dir());
    const both = entries(cacheFile(dir())!).map(({ name }) => name);
    expect(both).toEqual(expect.arrayContaining(check));
    expect(both.length).toBeGreaterThan(check.length);
  });

  it('ignores a file that is cut short, and writes it anew', () => {
    const first = imglint(dir());
    const file = cacheFile(dir())!;
    const names = entries(file).map(({ name }) => name);
    writeFileSync(file, readFileSync(file).subarray(0, 40));
    expect(imglint(dir())).toEqual(first);
    expect(entries(file).map(({ name }) => name)).toEqual(names);
    expect(imglint(dir())).toEqual(first);
  });

  it('passes over an entry that is corrupt or made for other source, and writes it anew', () => {
    const first = imglint(dir());
    matrix(dir());
    const file = cacheFile(dir())!;
    const bytes = readFileSync(file);
    const list = entries(file);
    const last = list.at(-1)!;
    expect(last.name).not.toBe('start.cjs');
    bytes[bytes.length - 1]! ^= 0xff;
    // Another entry's source CRC no longer matches its script, as after a rebuild that kept the name.
    const other = list.find((entry) => entry.name === 'start.cjs')!;
    bytes.writeUInt32LE((bytes.readUInt32LE(other.at + 4) ^ 1) >>> 0, other.at + 4);
    writeFileSync(file, bytes);
    expect(imglint(dir())).toEqual(first);
    const rewritten = readFileSync(file);
    expect(rewritten.equals(bytes)).toBe(false);
    const again = entries(file);
    expect(again.map(({ name }) => name).sort()).toEqual(list.map(({ name }) => name).sort());
    const pack = again.find((entry) => entry.name === 'start.cjs')!;
    expect(rewritten.readUInt32LE(pack.at + 4)).toBe((bytes.readUInt32LE(other.at + 4) ^ 1) >>> 0);
    expect(again.find((entry) => entry.name === last.name)!.dataLength).toBeGreaterThan(100);
    const mtime = statSync(file).mtimeMs;
    expect(imglint(dir())).toEqual(first);
    expect(statSync(file).mtimeMs).toBe(mtime);
  });

  it.skipIf(process.platform === 'win32')('a FIFO where a cache file should be is passed over, never waited on', () => {
    const first = imglint(dir());
    const file = cacheFile(dir())!;
    rmSync(file);
    expect(spawnSync('mkfifo', [file]).status).toBe(0);
    // Reading a FIFO with no writer blocks: the bound only turns a hang into a failure here.
    const run = spawnSync(process.execPath, CHECK, { encoding: 'utf8', timeout: 30_000, env: { ...process.env, IMGLINT_CACHE_DIR: dir() } });
    expect(run.signal).toBeNull();
    expect(run.status).toBe(first.status);
    expect(JSON.parse(run.stdout).summary).toEqual(first.verdicts);
  });

  it('a cache directory that cannot be written leaves the run as it is, and says nothing', () => {
    if (process.getuid?.() === 0) {
      // root writes anywhere: a file where the directory should be stands for an unwritable place.
      writeFileSync(path.join(dir(), 'compile'), 'not a directory');
    } else {
      mkdirSync(path.join(dir(), 'compile'));
      chmodSync(path.join(dir(), 'compile'), 0o500);
    }
    const run = imglint(dir());
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('');
  });

  it('IMGLINT_NO_COMPILE_CACHE=1 turns it off', () => {
    const run = imglint(dir(), { IMGLINT_NO_COMPILE_CACHE: '1' });
    expect(run.status).toBe(1);
    expect(cacheFile(dir())).toBeUndefined();
  });

  it('imglint catalog clear leaves it alone (it is not a catalog)', () => {
    imglint(dir());
    const before = entries(cacheFile(dir())!).map(({ name }) => name);
    const clear = spawnSync(process.execPath, ['bin/imglint.js', 'catalog', 'clear'], { encoding: 'utf8', env: { ...process.env, IMGLINT_CACHE_DIR: dir() } });
    expect(clear.status).toBe(0);
    // The run of `catalog clear` adds the scripts it loaded; none of the check's is gone.
    expect(entries(cacheFile(dir())!).map(({ name }) => name)).toEqual(expect.arrayContaining(before));
  });
});
