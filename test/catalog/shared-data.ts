import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The shared data directory the generators read (`IMGLINT_SHARED_DATA`, default `<repo>/../shared/data`). */
export const sharedDataDir = path.resolve(process.env.IMGLINT_SHARED_DATA ?? path.join(repoRoot, '..', 'shared', 'data'));

/** True when the moto data is present; CI has it, a bare clone of the repository does not. */
export const hasSharedData = existsSync(path.join(sharedDataDir, 'aws', 'instance_types.json'));

if (!hasSharedData) {
  console.warn(`test/catalog: no moto data at ${sharedDataDir}; skipping the source comparisons and generator re-runs (set IMGLINT_SHARED_DATA).`);
}

/** Title for a `describe.skipIf(!hasSharedData)` block that says why it was skipped. */
export function sharedDataSuite(title: string): string {
  return hasSharedData ? title : `${title} (SKIPPED: no moto data at ${sharedDataDir}; set IMGLINT_SHARED_DATA)`;
}
