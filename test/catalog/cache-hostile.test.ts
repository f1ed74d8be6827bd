/**
 * The catalog cache against a hostile file system: what sits at a cache path need not be a file the cache wrote
 * (a FIFO would block a read forever; a device never ends), and several imglint runs may refresh one cache at once
 * (each must merge its answers into the others', not replace them).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, readFile, symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEmbeddedAwsProvider } from '../../src/catalog/aws-embedded.js';
import { openCatalogCache, readCachedCatalog, withCatalogCache } from '../../src/catalog/cache.js';
import { exampleAl2023x86 as IMAGE } from '../rules/images.js';
import { clock } from '../support/clock.js';
import { repoRoot } from '../support/data.js';
import { useTempDir } from '../support/temp-dir.js';

const dir = useTempDir('imglint-cache-hostile-', { each: true });
const typesFile = () => path.join(dir(), 'aws', 'us-east-1', 'instance-types.json');
const TYPES = ['t3.micro', 'c5.large', 'm6g.large', 't2.micro', 'm5.large', 'r6i.large', 'c7g.medium', 'i4i.large'];

/** A live-looking provider answering from the embedded catalog, counting its calls. */
function fakeAws(calls: string[]) {
  const embedded = createEmbeddedAwsProvider({ region: 'us-east-1', images: [IMAGE] });
  return {
    ...embedded,
    catalogSource: { kind: 'live' as const, description: 'EC2 API (us-east-1)' },
    describeMachineTypes: (refs: readonly string[]) => (calls.push(refs.join(',')), embedded.describeMachineTypes(refs)),
  };
}

describe('what is at the cache path is not a regular file', () => {
  it.each([
    ['a FIFO (a read would wait for a writer forever)', (file: string) => execFileSync('mkfifo', [file])],
    ['a symbolic link to /dev/zero (a read would never end)', (file: string) => symlink('/dev/zero', file)],
  ])('%s: treated as absent, asked again, and replaced by a regular file', async (_name, make) => {
    await mkdir(path.dirname(typesFile()), { recursive: true });
    await make(typesFile());
    expect(await readCachedCatalog('aws', 'us-east-1', { cache: openCatalogCache(dir()) })).toBeUndefined();
    const calls: string[] = [];
    const wrapped = withCatalogCache(fakeAws(calls), { cache: openCatalogCache(dir()), now: clock().now });
    expect((await wrapped.describeMachineTypes(['c5.large'])).get('c5.large')).toMatchObject({ name: 'c5.large' });
    expect(calls).toEqual(['c5.large']);
    const written = JSON.parse(await readFile(typesFile(), 'utf8')) as { data: { types: Record<string, unknown> } };
    expect(Object.keys(written.data.types)).toEqual(['c5.large']);
  }, 20_000);
});

describe('concurrent refreshes of one cache', () => {
  it('eight writers with caches of their own (as eight processes have) keep all eight entries', async () => {
    const runs = TYPES.map((type) => withCatalogCache(fakeAws([]), { cache: openCatalogCache(dir()), now: clock().now, refresh: true }).describeMachineTypes([type]));
    await Promise.all(runs);
    const written = JSON.parse(await readFile(typesFile(), 'utf8')) as { data: { types: Record<string, unknown> } };
    expect(Object.keys(written.data.types).sort()).toEqual([...TYPES].sort());
  }, 30_000);

  it('eight processes updating one file at once keep all eight entries', async () => {
    const script = `
      import { openCatalogCache } from ${JSON.stringify(path.join(repoRoot, 'src', 'catalog', 'cache.ts'))};
      const [dir, name] = process.argv.slice(-2);
      const at = new Date().toISOString();
      await openCatalogCache(dir).update({ provider: 'aws', region: 'us-east-1', kind: 'offerings' }, (current) => ({
        fetchedAt: at,
        source: 'EC2 API (us-east-1)',
        data: { ...current?.data, answers: { ...current?.data.answers, [name]: { fetchedAt: at, offered: true } } },
      }));`;
    const exits = await Promise.all(
      TYPES.map(
        (type) =>
          new Promise<number | null>((resolve) => {
            const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, dir(), type], { cwd: repoRoot, stdio: 'inherit' });
            child.on('exit', resolve);
          }),
      ),
    );
    expect(exits).toEqual(TYPES.map(() => 0));
    const written = JSON.parse(await readFile(path.join(dir(), 'aws', 'us-east-1', 'offerings.json'), 'utf8')) as { data: { answers: Record<string, unknown> } };
    expect(Object.keys(written.data.answers).sort()).toEqual([...TYPES].sort());
  }, 60_000);
});
