import type { Provider } from '../../providers/provider.js';
import { readCachedCatalog, withCatalogCache } from '../catalog/cache.js';
import { createSnapshotProvider } from '../catalog/snapshot.js';
import { createProvider, type ProviderChoice } from '../engine/resolve.js';
import type { MachineTypeFacts } from '../model/index.js';

/** Where machine types come from: a snapshot (`--catalog`), the cache then the embedded catalog (`--offline`), or
 * the provider's API through the cache (`--refresh` bypasses it). */
export interface CatalogChoice {
  offline: boolean;
  refresh: boolean;
  catalog: string | undefined;
}

/** The `providerFor` of a check: builds each provider + region group's provider for the catalog choice. */
export function catalogProviderFor(choice: CatalogChoice): (group: ProviderChoice) => Promise<Provider> {
  return async (group) => {
    if (choice.catalog !== undefined) {
      return createSnapshotProvider({ path: choice.catalog, images: group.fileImages, provider: group.provider, region: group.region });
    }
    const provider = await createProvider(group);
    if (group.offline) return withCachedTypes(provider);
    return withCatalogCache(provider, { refresh: choice.refresh });
  };
}

/**
 * `--offline`: types an earlier live check cached for this region win over the embedded catalog (they are newer),
 * whatever their age; the report names the cache and its age when it answered.
 */
async function withCachedTypes(embedded: Provider): Promise<Provider> {
  const cached = await readCachedCatalog(embedded.id, await embedded.region());
  if (cached === undefined) return embedded;
  let usedCache = false;
  return {
    id: embedded.id,
    region: () => embedded.region(),
    get catalogSource() {
      return usedCache ? cached.source : embedded.catalogSource;
    },
    describeImages: (refs) => embedded.describeImages(refs),
    async describeMachineTypes(refs) {
      const found = new Map<string, MachineTypeFacts>();
      for (const ref of refs) {
        const type = cached.machineType(ref);
        if (type !== undefined) found.set(ref, type);
      }
      usedCache ||= found.size > 0;
      const rest = refs.filter((ref) => !found.has(ref));
      const fromEmbedded = rest.length > 0 ? await embedded.describeMachineTypes(rest) : new Map<string, MachineTypeFacts>();
      return new Map(refs.map((ref) => [ref, found.get(ref) ?? fromEmbedded.get(ref)!]));
    },
    async offeredMachineTypes(refs) {
      if (refs.some((ref) => cached.offered(ref) === undefined)) return embedded.offeredMachineTypes(refs);
      usedCache = true;
      return new Set(refs.filter((ref) => cached.offered(ref)));
    },
    candidateTypes: () => embedded.candidateTypes(),
  };
}
