/**
 * Copies the provider data the test suite needs from the project's shared data directory into
 * `test/fixtures/data/`, in the same layout, so the tests run on a fresh clone with nothing beside it.
 *
 *   npm run vendor:test-data -- [--data <shared data dir>]
 *
 * `--data` (or env `IMGLINT_SHARED_DATA`) is the directory holding `aws/` and `rackspace/` (default
 * `<repo>/../shared/data`). AWS JSON files are stored gzipped (`instance_types.json.gz`, ...): the moto dumps are
 * 14 MB as text and about 0.6 MB compressed; the tests read them through `test/support/data.ts`, which inflates
 * them. Every file is checked against the sha256 its provenance records (`aws/SHA256SUMS`, the tables of
 * `rackspace/PROVENANCE.md`) before it is copied, and both provenance files are copied along, so the committed
 * copies stay verifiable (`test/fixtures/data.test.ts` re-checks the hashes of the inflated files).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outRoot = path.join(repoRoot, 'test', 'fixtures', 'data');

/** What the tests read, relative to the data directory; a folder means every `.json` file in it. */
const AWS_FILES = [
  'instance_types.json',
  'latest_amis',
  'instance_type_offerings/region',
  'instance_type_offerings/availability-zone',
  'instance_type_offerings/availability-zone-id',
];
const RACKSPACE_FILES = ['compute', 'identity', 'images', 'oracle'];

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function listJson(dataDir: string, entries: readonly string[]): string[] {
  return entries.flatMap((entry) => {
    const full = path.join(dataDir, entry);
    if (!statSync(full).isDirectory()) return [entry];
    return readdirSync(full)
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => `${entry}/${name}`);
  });
}

/** `aws/SHA256SUMS`: `<sha256>  ./<path>` per line. */
function awsHashes(awsDir: string): Map<string, string> {
  const text = readFileSync(path.join(awsDir, 'SHA256SUMS'), 'utf8');
  return new Map([...text.matchAll(/^([0-9a-f]{64}) {2}\.\/(\S+)$/gm)].map(([, hash, file]) => [file!, hash!]));
}

/** The sha256 column of `rackspace/PROVENANCE.md`'s file table, by file path. */
function rackspaceHashes(rackspaceDir: string): Map<string, string> {
  const text = readFileSync(path.join(rackspaceDir, 'PROVENANCE.md'), 'utf8');
  return new Map([...text.matchAll(/^\| `([^`]+)` \|.*\| `([0-9a-f]{64})` \|$/gm)].map(([, file, hash]) => [file!, hash!]));
}

function copy(fromDir: string, toDir: string, files: readonly string[], hashes: Map<string, string>, gzip: boolean): number {
  let bytes = 0;
  for (const file of files) {
    const content = readFileSync(path.join(fromDir, file));
    const expected = hashes.get(file);
    if (expected === undefined) throw new Error(`${file}: no sha256 in the provenance of ${fromDir}`);
    if (sha256(content) !== expected) throw new Error(`${file}: sha256 ${sha256(content)} differs from the provenance (${expected})`);
    const target = path.join(toDir, gzip ? `${file}.gz` : file);
    mkdirSync(path.dirname(target), { recursive: true });
    const stored = gzip ? gzipSync(content, { level: 9 }) : content;
    writeFileSync(target, stored);
    bytes += stored.length;
  }
  return bytes;
}

const { values } = parseArgs({ args: process.argv.slice(2), options: { data: { type: 'string' } } });
const dataDir = path.resolve(values.data ?? process.env.IMGLINT_SHARED_DATA ?? path.join(repoRoot, '..', 'shared', 'data'));
rmSync(outRoot, { recursive: true, force: true });

const awsDir = path.join(dataDir, 'aws');
const awsFiles = listJson(awsDir, AWS_FILES);
let total = copy(awsDir, path.join(outRoot, 'aws'), awsFiles, awsHashes(awsDir), true);
for (const file of ['PROVENANCE.md', 'SHA256SUMS']) writeFileSync(path.join(outRoot, 'aws', file), readFileSync(path.join(awsDir, file)));

const rackspaceDir = path.join(dataDir, 'rackspace');
const rackspaceFiles = listJson(rackspaceDir, RACKSPACE_FILES);
total += copy(rackspaceDir, path.join(outRoot, 'rackspace'), rackspaceFiles, rackspaceHashes(rackspaceDir), false);
writeFileSync(path.join(outRoot, 'rackspace', 'PROVENANCE.md'), readFileSync(path.join(rackspaceDir, 'PROVENANCE.md')));

console.log(`${awsFiles.length} AWS files (gzipped) and ${rackspaceFiles.length} Rackspace files: ${total.toLocaleString('en-US')} bytes in ${path.relative(repoRoot, outRoot)}`);
