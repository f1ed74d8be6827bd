import path from 'node:path';
import envPaths from 'env-paths';

/** Where the catalog cache lives; kept apart from the cache itself so a run can ask without loading it. */

/** The environment variable that moves the cache (CI: a directory the job persists between runs; tests). */
export const CACHE_DIR_ENV = 'IMGLINT_CACHE_DIR';

/**
 * The cache directory: `IMGLINT_CACHE_DIR` when set, else the user cache directory for `imglint`
 * (`~/.cache/imglint` or `$XDG_CACHE_HOME/imglint` on Linux, `~/Library/Caches/imglint` on macOS,
 * `%LOCALAPPDATA%\imglint\Cache` on Windows).
 *
 * @param env - the environment to read `IMGLINT_CACHE_DIR` from (default `process.env`).
 * @returns an absolute path; the directory may not exist yet.
 */
export function cacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env[CACHE_DIR_ENV] || envPaths('imglint', { suffix: '' }).cache);
}
