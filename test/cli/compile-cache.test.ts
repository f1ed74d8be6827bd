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

/** The cache files of this installation: `<dir>/compile/<version>-node<version>-<arch>/*.bin`, by name with their size. */
function cacheFiles(cacheDir: string): Map<string, number> {
  const root = path.join(cacheDir, 'compile');
  if (!existsSync(root)) return new Map();
  const [installation, ...others] = readdirSync(root);
  expect(others).toEqual([]);
  expect(installation).toMatch(new RegExp(`-node${process.versions.node.replaceAll('.', '\\.')}-${process.arch}$`));
  const dir = path.join(root, installation!);
  return new Map(readdirSync(dir).map((name) => [name, statSync(path.join(dir, name)).size]));
}

describe('compile cache', () => {
  const dir = useTempDir('imglint-compile-cache-', { each: true });

  it('is written by the first run, only for the scripts it loaded, and read by the next without rewriting', () => {
    const first = imglint(dir());
    expect(first.status).toBe(1);
    const files = cacheFiles(dir());
    expect(files.size).toBeGreaterThan(5);
    expect([...files.keys()].some((name) => name.startsWith('main.cjs.'))).toBe(true);
    // The offline check never loads the SDK, OpenStack or explain: their scripts are not cached.
    expect([...files.keys()].filter((name) => /^(aws-sdk|chunks~(openstack|marked|explain))/.test(name))).toEqual([]);
    const mtimes = new Map([...files.keys()].map((name) => [name, statSync(path.join(dir(), 'compile', readdirSync(path.join(dir(), 'compile'))[0]!, name)).mtimeMs]));
    const second = imglint(dir());
    expect(second).toEqual(first);
    const installation = path.join(dir(), 'compile', readdirSync(path.join(dir(), 'compile'))[0]!);
    for (const [name, mtime] of mtimes) expect(statSync(path.join(installation, name)).mtimeMs, name).toBe(mtime);
  });

  it('ignores a file that is cut short, corrupt or made for other source, and writes it anew', () => {
    const first = imglint(dir());
    const installation = path.join(dir(), 'compile', readdirSync(path.join(dir(), 'compile'))[0]!);
    const [truncated, flipped, foreign] = readdirSync(installation).slice(0, 3).map((name) => path.join(installation, name));
    writeFileSync(truncated!, readFileSync(truncated!).subarray(0, 40));
    const bytes = readFileSync(flipped!);
    bytes[bytes.length - 1]! ^= 0xff;
    writeFileSync(flipped!, bytes);
    // A whole, valid file of another script under this script's name: its source CRC does not match.
    writeFileSync(foreign!, readFileSync(path.join(installation, readdirSync(installation).find((name) => path.join(installation, name) !== foreign)!)));
    expect(imglint(dir())).toEqual(first);
    for (const file of [truncated!, flipped!, foreign!]) expect(statSync(file).size, file).toBeGreaterThan(100);
    expect(imglint(dir())).toEqual(first);
  });

  it.skipIf(process.platform === 'win32')('a FIFO where a cache file should be is passed over, never waited on', () => {
    const first = imglint(dir());
    const installation = path.join(dir(), 'compile', readdirSync(path.join(dir(), 'compile'))[0]!);
    const main = path.join(installation, readdirSync(installation).find((name) => name.startsWith('main.cjs.'))!);
    rmSync(main);
    expect(spawnSync('mkfifo', [main]).status).toBe(0);
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
    expect(cacheFiles(dir()).size).toBe(0);
  });

  it('imglint catalog clear leaves it alone (it is not a catalog)', () => {
    imglint(dir());
    const before = [...cacheFiles(dir()).keys()];
    const clear = spawnSync(process.execPath, ['bin/imglint.js', 'catalog', 'clear'], { encoding: 'utf8', env: { ...process.env, IMGLINT_CACHE_DIR: dir() } });
    expect(clear.status).toBe(0);
    // The run of `catalog clear` adds the scripts it loaded; none of the check's is gone.
    expect([...cacheFiles(dir()).keys()]).toEqual(expect.arrayContaining(before));
  });
});
