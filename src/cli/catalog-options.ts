import type { Provider } from '../../providers/provider.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CatalogCache } from '../catalog/cache.js';
import { cacheDirectory } from '../catalog/cache-dir.js';
import { createProvider, type ProviderChoice } from '../engine/resolve.js';
import { loadNovaChecks } from '../rules/nova-checks.js';

/** Where machine types come from: a snapshot (`--catalog`), the cache then the embedded catalog (`--offline`), or
 * the provider's API through the cache (`--refresh` bypasses it). */
export interface CatalogChoice {
  offline: boolean;
  refresh: boolean;
  catalog: string | undefined;
  /** Where a cache that cannot be written is reported, one `imglint: warning: ...` line each (default `process.stderr`). */
  stderr?: { write(text: string): unknown };
  /** The environment the provider reads its endpoint or cloud from (default `process.env`); see {@link catalogCacheScope}. */
  env?: NodeJS.ProcessEnv;
  /** The cache (default: the one in `cacheDirectory()`). */
  cache?: CatalogCache;
  /** Builds the provider (default {@link createProvider}; tests). */
  createProvider?: (group: ProviderChoice) => Promise<Provider>;
}

/** The `providerFor` of a check: builds each provider + region group's provider for the catalog choice. */
export function catalogProviderFor(choice: CatalogChoice): (group: ProviderChoice) => Promise<Provider> {
  const stderr = choice.stderr ?? process.stderr;
  const warn = (message: string) => stderr.write(`imglint: warning: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  return async (group) => {
    // Each source's code loads only when used: start-up is most of a one-pair check.
    if (group.provider !== 'aws') await loadNovaChecks();
    if (choice.catalog !== undefined) {
      const { createSnapshotProvider } = await import('../catalog/snapshot.js');
      return createSnapshotProvider({ path: choice.catalog, images: group.fileImages, provider: group.provider, region: group.region });
    }
    const provider = await (choice.createProvider ?? createProvider)(group);
    const scope = await catalogCacheScope(group, choice.env);
    // An OpenStack configuration that does not resolve: no cache; the provider reports the error when it is used.
    if (scope === null) return provider;
    const cacheOptions = { ...(choice.cache && { cache: choice.cache }), ...(scope !== undefined && { scope }) };
    if (group.offline) return withCachedTypes(provider, cacheOptions);
    const { withCatalogCache } = await import('../catalog/cache.js');
    return withCatalogCache(provider, { ...cacheOptions, refresh: choice.refresh, warn });
  };
}

/**
 * Which cloud a provider + region group talks to, beyond the provider and region names: the `scope` of its cache
 * files, so answers of one endpoint never answer for another.
 *
 * - AWS: the EC2 endpoint URL when `AWS_ENDPOINT_URL_EC2` or `AWS_ENDPOINT_URL` is set (an emulator, a private
 *   endpoint), as the SDK picks it; `undefined` (no scope) for the real AWS.
 * - Rackspace, OpenStack: the identity URL and project, resolved as the provider resolves them (`OS_*`, `RAX_*`,
 *   clouds.yaml), since every DevStack calls its region `RegionOne`.
 *
 * @returns the scope; `undefined` for none; `null` when the OpenStack configuration does not resolve (then nothing
 *   can be cached safely).
 */
export async function catalogCacheScope(group: Pick<ProviderChoice, 'provider' | 'region'>, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined | null> {
  if (group.provider === 'aws') return env.AWS_ENDPOINT_URL_EC2 || env.AWS_ENDPOINT_URL || undefined;
  const { resolveOpenStackConfig } = await import('../../providers/openstack/config.js');
  try {
    const config = resolveOpenStackConfig({ provider: group.provider, ...(group.region !== undefined && { region: group.region }), env });
    return JSON.stringify({ authUrl: config.authUrl, project: config.project ?? null });
  } catch {
    return null;
  }
}

/**
 * `--offline`: types an earlier live check cached for this region win over the embedded catalog (they are newer),
 * whatever their age; the report names the cache and its age when it answered.
 */
async function withCachedTypes(embedded: Provider, options: { cache?: CatalogCache; scope?: string }): Promise<Provider> {
  // Nothing cached for this provider yet (a first run, the quick start): do not even load the cache's code. The
  // directory itself may exist for other providers, or for the compile cache alone.
  if (options.cache === undefined && !existsSync(path.join(cacheDirectory(), embedded.id))) return embedded;
  const { readCachedCatalog, withCachedOverlay } = await import('../catalog/cache.js');
  const cached = await readCachedCatalog(embedded.id, await embedded.region(), options);
  if (cached === undefined) return embedded;
  return withCachedOverlay(embedded, cached);
}
