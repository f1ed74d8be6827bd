/**
 * The provider data the tests read: copies of the project's shared data in `test/fixtures/data/`, same layout
 * (`aws/instance_types.json`, `rackspace/compute/flavors_detail_iad_2015.json`, ...), written by
 * `npm run vendor:test-data` with their provenance (`aws/PROVENANCE.md`, `aws/SHA256SUMS`,
 * `rackspace/PROVENANCE.md`). AWS files are stored gzipped; {@link readDataFile} inflates them.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/** The repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `test/fixtures/data`. */
export const dataDir = path.join(repoRoot, 'test', 'fixtures', 'data');

/**
 * A data file's bytes, by its path in the shared data layout (`aws/instance_types.json`).
 * @throws when neither the file nor its `.gz` is committed.
 */
export function readDataFile(relativePath: string): Buffer {
  const plain = path.join(dataDir, relativePath);
  return existsSync(plain) ? readFileSync(plain) : gunzipSync(readFileSync(`${plain}.gz`));
}

/** A data file, parsed as JSON (a fresh copy on every call). */
export function readDataJson<T = unknown>(relativePath: string): T {
  return JSON.parse(readDataFile(relativePath).toString('utf8')) as T;
}

/** The JSON files of a data folder (`aws/instance_type_offerings/region`), by name without `.json`, sorted. */
export function dataFolder(relativePath: string): string[] {
  return readdirSync(path.join(dataDir, relativePath))
    .flatMap((name) => (/\.json(?:\.gz)?$/.test(name) ? [name.replace(/\.json(?:\.gz)?$/, '')] : []))
    .sort();
}

let inflated: string | undefined;

/**
 * A plain copy of the data directory in a temporary folder (made once per test file), for the generators, which
 * read the shared layout with `--data <dir>`.
 */
export function inflatedDataDir(): string {
  if (inflated !== undefined) return inflated;
  const root = mkdtempSync(path.join(tmpdir(), 'imglint-data-'));
  process.once('exit', () => rmSync(root, { recursive: true, force: true }));
  const walk = (relative: string): void => {
    for (const entry of readdirSync(path.join(dataDir, relative), { withFileTypes: true })) {
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) walk(child);
      else {
        const target = path.join(root, child.replace(/\.gz$/, ''));
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, readDataFile(child.replace(/\.gz$/, '')));
      }
    }
  };
  walk('');
  inflated = root;
  return root;
}
