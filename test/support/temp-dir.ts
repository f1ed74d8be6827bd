/** A scratch directory for the tests of a file or suite. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

/**
 * Registers hooks that make a fresh directory `<tmpdir>/<prefix>XXXXXX` before the tests of the enclosing suite (the
 * file, at the top level) and remove it, with all it holds, after them; with `each`, one per test instead.
 *
 * @returns the directory's path, for tests and later hooks (there is none while the suite is being collected).
 */
export function useTempDir(prefix: string, { each = false } = {}): () => string {
  let dir: string | undefined;
  (each ? beforeEach : beforeAll)(async () => {
    dir = await mkdtemp(path.join(tmpdir(), prefix));
  });
  (each ? afterEach : afterAll)(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });
  return () => {
    if (dir === undefined) throw new Error(`no ${prefix} directory outside a test: useTempDir makes it in a before hook`);
    return dir;
  };
}
