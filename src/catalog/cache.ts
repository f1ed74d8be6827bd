import { createHash, randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod/mini';
import { cacheDirectory } from './cache-dir.js';
import { isZoneId } from './aws-regions.js';
import {
  unknownReferencesOf,
  withUnknownReferences,
  type CandidateTypes,
  type OfferingsAnswer,
  type Provider,
  type ZoneOfferings,
} from '../../providers/provider.js';
import type { ImglintError } from '../errors.js';
import { machineTypeRef } from '../engine/alternatives.js';
import { MachineTypeFacts, ProviderId, type CatalogSource } from '../model/index.js';

/**
 * The on-disk catalog cache: what a live provider said about machine types and offerings, kept for a day so the
 * next check answers without asking again (and a CI job that persists the directory rarely calls the API at all).
 * One JSON file per provider, region and kind:
 *
 * ```
 * <cache dir>/aws/us-east-1/instance-types.json   DescribeInstanceTypes answers, per type
 * <cache dir>/aws/us-east-1/offerings.json        DescribeInstanceTypeOfferings answers, per type (offered or not;
 *                                                 and the zones offering it, by zone name and by zone ID)
 * <cache dir>/rackspace/IAD@3f2a9c1b7d0e/flavors.json   Nova flavors, per flavor, of one cloud ({@link CatalogKey.scope})
 * ```
 *
 * Each file is `{ imglintCache, fetchedAt, source, data }`, `imglintCache` being the format version
 * ({@link CACHE_FORMAT}): a file of another version is treated as absent and replaced by the next write, since what an
 * older imglint cached may lack facts this one needs. Files are written atomically (a temporary file renamed over the old one) under a
 * lock (`proper-lockfile`: a `<file>.lock` directory) that serializes the read-merge-write of every process, so
 * parallel runs merge their answers instead of the last rename winning. It is validated on read: a file that does
 * not parse, is not a regular file (a FIFO would block the read forever) or exceeds {@link MAX_CACHE_FILE_BYTES} is
 * treated as absent and replaced by the next write. Every entry carries its own `fetchedAt`, so answers merged in
 * later do not make older ones look fresh. A full listing of the region (`imglint matrix` live) is recorded with its
 * own `fetchedAt` too. Images are never cached: they change (deprecation, deregistration) on no schedule.
 */

/**
 * The version of the cache file format (`imglintCache`). 2: generic OpenStack flavors carry their extra specs (the
 * live client asks for compute microversion 2.61); the files of earlier versions had no such field, and their
 * flavors' `extraSpecs` were empty whatever the cloud said, so they are not read.
 */
export const CACHE_FORMAT = 2;

/** How long a cached answer is used without asking the provider again: 24 hours. */
export const DEFAULT_CACHE_TTL_MS = 24 * 60 * 60 * 1000;

/** The largest cache file read (bytes): a full region listing is under 1 MB; anything far larger is not ours. */
export const MAX_CACHE_FILE_BYTES = 32 * 1024 * 1024;

/** How long a writer waits for another process's lock on a cache file: about 5 s in all, then it gives up (warns). */
const LOCK_RETRIES = { retries: 25, factor: 1.3, minTimeout: 20, maxTimeout: 400 };
/** A lock not refreshed for this long belongs to a process that died: taken over. */
const LOCK_STALE_MS = 10_000;

export { CACHE_DIR_ENV, cacheDirectory } from './cache-dir.js';

/** The files of one provider and region: machine types (`instance-types` on AWS, `flavors` on OpenStack), offerings. */
export type CatalogKind = 'instance-types' | 'offerings' | 'flavors';

/** Which cache file: provider, region, kind, and optionally the cloud within the provider. */
export interface CatalogKey {
  provider: ProviderId;
  region: string;
  kind: CatalogKind;
  /**
   * Tells apart catalogs that share a provider and region name but not their contents: an OpenStack cloud's auth
   * URL and project (every DevStack region is `RegionOne`), an EC2 endpoint override. Stored as a hash in the
   * directory name (`RegionOne@3f2a9c1b7d0e`), never in clear.
   */
  scope?: string;
}

const Timestamp = z.iso.datetime();

const TypeEntry = z.object({ fetchedAt: Timestamp, facts: MachineTypeFacts });
/** `instance-types.json` / `flavors.json` data: facts by instance type name or flavor id, and the other references
 * (flavor names) the provider resolved to one of them; `listing`: the names of a full listing of the region. */
const CachedTypes = z.object({
  types: z.record(z.string(), TypeEntry),
  aliases: z.record(z.string(), z.string()),
  listing: z.optional(z.object({ fetchedAt: Timestamp, names: z.array(z.string()) })),
});
const ZoneEntries = z.record(z.string(), z.object({ fetchedAt: Timestamp, zones: z.array(z.string()) }));
/** `offerings.json` data: per-type answers (offered or not), each with its age; per-type zones offering it, by
 * location type; `listing`: when every offering of the region was listed (the answers then cover every type). */
const CachedOfferings = z.object({
  answers: z.record(z.string(), z.object({ fetchedAt: Timestamp, offered: z.boolean() })),
  zones: z.optional(z.object({ 'availability-zone': z.optional(ZoneEntries), 'availability-zone-id': z.optional(ZoneEntries) })),
  listing: z.optional(z.object({ fetchedAt: Timestamp })),
});

/** DescribeInstanceTypeOfferings' LocationType for a zone as given. */
type ZoneKind = 'availability-zone' | 'availability-zone-id';
const zoneKind = (zone: string): ZoneKind => (isZoneId(zone) ? 'availability-zone-id' : 'availability-zone');

const fileSchema = <S extends z.ZodMiniType>(data: S) =>
  z.object({ imglintCache: z.literal(CACHE_FORMAT), fetchedAt: Timestamp, source: z.string(), data });
const FILE_SCHEMAS = {
  'instance-types': fileSchema(CachedTypes),
  flavors: fileSchema(CachedTypes),
  offerings: fileSchema(CachedOfferings),
} as const;

/** The data of each kind of cache file. */
export interface CatalogData {
  'instance-types': z.infer<typeof CachedTypes>;
  flavors: z.infer<typeof CachedTypes>;
  offerings: z.infer<typeof CachedOfferings>;
}

/** One cache file. */
export interface CatalogFile<K extends CatalogKind> {
  /** When the file was last written (ISO 8601, UTC); each entry in `data` has its own `fetchedAt`. */
  fetchedAt: string;
  /** The live source the data came from (`EC2 API (us-east-1)`, `Nova API (IAD)`). */
  source: string;
  data: CatalogData[K];
}

/** The catalog cache in one directory. */
export interface CatalogCache {
  /** The directory (absolute). */
  readonly dir: string;
  /** Where the file for `key` lives. */
  path(key: CatalogKey): string;
  /** The file for `key`, validated; `undefined` when it is missing, unreadable or invalid (never throws for those). */
  read<K extends CatalogKind>(key: CatalogKey & { kind: K }): Promise<CatalogFile<K> | undefined>;
  /**
   * Reads the file for `key` (as {@link read} does), passes it to `change` and writes what `change` returns,
   * atomically, holding the file's lock: updates of one file are serialized within the process and across
   * processes, so each merges into what the previous one wrote.
   *
   * @throws the file system's error when the file cannot be written or the lock not taken within about 5 s (the
   *   caller decides whether that matters).
   */
  update<K extends CatalogKind>(
    key: CatalogKey & { kind: K },
    change: (current: CatalogFile<K> | undefined) => CatalogFile<K>,
  ): Promise<void>;
  /**
   * Deletes the cache files (and the temporary files of interrupted writes) and the directories they leave empty.
   * Only files named as the cache names them are touched, so a cache directory pointed at a shared place is safe.
   *
   * @returns how many files were deleted.
   */
  clear(): Promise<number>;
}

const CATALOG_FILE = /^(?:instance-types|offerings|flavors)\.json(?:\.[\w-]+\.tmp)?$/;
const CATALOG_LOCK = /^(?:instance-types|offerings|flavors)\.json\.lock$/;

/**
 * Opens the catalog cache in `dir` (default {@link cacheDirectory}). Nothing is read or created until used.
 *
 * @param dir - the directory; relative paths are resolved against the working directory.
 */
export function openCatalogCache(dir: string = cacheDirectory()): CatalogCache {
  const root = path.resolve(dir);
  const queues = new Map<string, Promise<unknown>>();

  const fileOf = (key: CatalogKey): string => path.join(root, key.provider, regionSegment(key), `${key.kind}.json`);

  async function read<K extends CatalogKind>(key: CatalogKey & { kind: K }): Promise<CatalogFile<K> | undefined> {
    const text = await readRegularFile(fileOf(key), MAX_CACHE_FILE_BYTES);
    if (text === undefined) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return undefined;
    }
    // Another version (an older imglint's file, or a newer one's) or another shape: not ours to trust.
    const parsed = FILE_SCHEMAS[key.kind].safeParse(json);
    if (!parsed.success) return undefined;
    const { fetchedAt, source, data } = parsed.data as unknown as CatalogFile<K>;
    const file: CatalogFile<K> = { fetchedAt, source, data };
    // Facts of another provider in this provider's directory: not ours to trust.
    if ('types' in file.data && Object.values(file.data.types).some((entry) => entry.facts.provider !== key.provider)) return undefined;
    return file;
  }

  return {
    dir: root,
    path: fileOf,
    read,

    update(key, change) {
      const file = fileOf(key);
      const done = (queues.get(file) ?? Promise.resolve()).then(async () => {
        await mkdir(path.dirname(file), { recursive: true });
        // Loaded on the first write only: a run answered from the cache never pays for it.
        const { default: lockfile } = await import('proper-lockfile');
        const release = await lockfile.lock(file, {
          realpath: false,
          stale: LOCK_STALE_MS,
          retries: LOCK_RETRIES,
          // A lock taken over while held (a process paused past `stale`): this write may then race one other write;
          // that costs a cache entry at worst, so it is not worth crashing the run.
          onCompromised: () => undefined,
        });
        try {
          const next = change(await read(key));
          await writeFileAtomically(file, `${JSON.stringify({ imglintCache: CACHE_FORMAT, ...next })}\n`);
        } finally {
          await release().catch(() => undefined);
        }
      });
      queues.set(file, done.catch(() => undefined));
      return done;
    },

    async clear() {
      let removed = 0;
      for (const provider of ProviderId.options) {
        const providerDir = path.join(root, provider);
        for (const region of await entries(providerDir)) {
          if (!region.isDirectory()) continue;
          const regionDir = path.join(providerDir, region.name);
          for (const file of await entries(regionDir)) {
            // A lock left by a process that died is a directory; it goes with its file.
            if (file.isDirectory() && CATALOG_LOCK.test(file.name)) await rm(path.join(regionDir, file.name), { recursive: true, force: true });
            if (!file.isFile() || !CATALOG_FILE.test(file.name)) continue;
            await rm(path.join(regionDir, file.name), { force: true });
            removed += 1;
          }
          await removeIfEmpty(regionDir);
        }
        await removeIfEmpty(providerDir);
      }
      return removed;
    },
  };
}

/**
 * Writes `text` to `file` so that readers see the old content or the new, never a part: the text goes to a
 * temporary file next to it, which is then renamed over `file`. Creates the directory if needed.
 *
 * @throws the file system's error; the temporary file is removed first.
 */
export async function writeFileAtomically(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}-${randomUUID().slice(0, 8)}.tmp`;
  try {
    await writeFile(temporary, text, { flag: 'wx' });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * The text of `file` when it is a regular file of at most `maxBytes`; `undefined` otherwise (missing, unreadable, a
 * FIFO, a device, a directory, too large). Opened non-blocking, so a FIFO at the path does not wait for a writer.
 */
export async function readRegularFile(file: string, maxBytes: number): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile() || stat.size > maxBytes) return undefined;
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    // Grown past the limit since the stat: not a file the cache wrote.
    return length > maxBytes ? undefined : buffer.toString('utf8', 0, length);
  } catch {
    return undefined;
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** `us-east-1`; `RegionOne@<12 hex>` with a scope. Rackspace regions are upper case (`iad` is `IAD`). */
function regionSegment({ provider, region, scope }: CatalogKey): string {
  const name = encodeURIComponent(provider === 'rackspace' ? region.toUpperCase() : region).replace(/^\.\.?$/, (dots) =>
    '%2E'.repeat(dots.length),
  );
  return scope === undefined ? name : `${name}@${createHash('sha256').update(scope).digest('hex').slice(0, 12)}`;
}

async function entries(dir: string) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

async function removeIfEmpty(dir: string): Promise<void> {
  try {
    await rmdir(dir);
  } catch {
    // not empty (someone else's files), or already gone
  }
}

/** Options for {@link withCatalogCache}. */
export interface CatalogCacheOptions {
  /** The cache (default: {@link openCatalogCache} in {@link cacheDirectory}). */
  cache?: CatalogCache;
  /** How long an answer is used without asking again (default {@link DEFAULT_CACHE_TTL_MS}). */
  ttlMs?: number;
  /** `--refresh`: ignore what was cached before this run; ask the provider and rewrite the cache. */
  refresh?: boolean;
  /** The clock (tests). */
  now?: () => Date;
  /** See {@link CatalogKey.scope}. */
  scope?: string;
  /** Told when the cache cannot be written (read-only directory, full disk); the answer is still returned. */
  warn?: (message: string) => void;
}

/**
 * Wraps a live provider so machine types and offerings come from the cache while fresh:
 *
 * - `describeMachineTypes(refs)` answers from the cached types of the region when every reference has a fresh
 *   entry; otherwise it asks the provider for the missing ones only and merges its answer into the cache (one
 *   entry per type, so checking two types never needs a full listing).
 * - `offeredMachineTypes(refs)` answers from fresh per-type answers; otherwise it asks about the missing types only
 *   (one filtered call: listing the region's offerings would cost a one-pair check two pages more) and caches those
 *   answers.
 * - Images, candidate types and listings pass through uncached.
 * - `catalogSource` is `{ kind: 'cache', description: 'imglint cache of <live source>', fetchedAt }` once any
 *   answer came from the cache, `fetchedAt` being the oldest cached entry used; otherwise the provider's own.
 *
 * Errors of the provider propagate unchanged and nothing is cached for them. A cache that cannot be written is
 * reported through `warn` and otherwise ignored.
 *
 * @param provider - the live provider.
 * @param options - cache, TTL, `--refresh`, clock.
 * @returns a provider with the same id and region.
 */
export function withCatalogCache(provider: Provider, options: CatalogCacheOptions = {}): Provider {
  const cache = options.cache ?? openCatalogCache();
  const ttlMs = options.ttlMs ?? DEFAULT_CACHE_TTL_MS;
  const now = options.now ?? (() => new Date());
  const startedAt = now().getTime();
  const typesKind = provider.id === 'aws' ? 'instance-types' : 'flavors';
  let oldestUsed: string | undefined;
  let cachedFrom = '';

  const keyOf = async <K extends CatalogKind>(kind: K): Promise<CatalogKey & { kind: K }> => ({
    provider: provider.id,
    region: await provider.region(),
    kind,
    ...(options.scope !== undefined ? { scope: options.scope } : {}),
  });

  /** Young enough, not from the future, and with `--refresh` fetched during this run. */
  function isFresh(fetchedAt: string): boolean {
    const at = Date.parse(fetchedAt);
    const current = now().getTime();
    if (options.refresh && at < startedAt) return false;
    return at <= current && current - at < ttlMs;
  }

  function usedCache(fetchedAt: string, source: string): void {
    if (oldestUsed === undefined || Date.parse(fetchedAt) < Date.parse(oldestUsed)) oldestUsed = fetchedAt;
    cachedFrom = source;
  }

  async function save<K extends CatalogKind>(
    key: CatalogKey & { kind: K },
    change: (current: CatalogFile<K> | undefined) => CatalogFile<K>,
  ): Promise<void> {
    try {
      await cache.update(key, change);
    } catch (error) {
      options.warn?.(`cannot write the catalog cache ${cache.path(key)}: ${(error as Error).message}`);
    }
  }

  /** Merges the facts the provider gave for some references (instance type names, flavor ids or names) into the cache. */
  async function saveTypes(key: CatalogKey & { kind: 'instance-types' | 'flavors' }, fetched: ReadonlyMap<string, MachineTypeFacts>): Promise<void> {
    if (fetched.size === 0) return;
    const fetchedAt = now().toISOString();
    const source = provider.catalogSource.description;
    await save(key, (current) => {
      const types = new Map(Object.entries(current?.data.types ?? {}));
      const aliases = new Map(Object.entries(current?.data.aliases ?? {}));
      for (const [ref, facts] of fetched) {
        const canonical = machineTypeRef(facts);
        types.set(canonical, { fetchedAt, facts });
        if (ref !== canonical) aliases.set(ref, canonical);
      }
      return { fetchedAt, source, data: { ...current?.data, types: Object.fromEntries(types), aliases: Object.fromEntries(aliases) } };
    });
  }

  /** Fresh per-type answers; a fresh full listing answers "not offered" for the types it did not list. */
  function freshAnswers(file: CatalogFile<'offerings'> | undefined): (name: string) => { fetchedAt: string; offered: boolean } | undefined {
    const answers = new Map(Object.entries(file?.data.answers ?? {}).filter(([, answer]) => isFresh(answer.fetchedAt)));
    const listing = file?.data.listing;
    const unlisted = listing !== undefined && isFresh(listing.fetchedAt) ? { fetchedAt: listing.fetchedAt, offered: false } : undefined;
    return (name) => answers.get(name) ?? unlisted;
  }

  /** Zone offerings: fresh per-type entries for every location type asked, else one call for the types lacking one. */
  async function zoneOfferings(refs: readonly string[], zones: readonly string[]): Promise<OfferingsAnswer> {
    const wanted = [...new Set(refs)];
    const kinds = [...new Set(zones.map(zoneKind))];
    const key = await keyOf('offerings');
    const file = await cache.read(key);
    const answer = freshAnswers(file);
    const entriesOf = (kind: ZoneKind) => file?.data.zones?.[kind] ?? {};
    const cachedZones = (name: string): string[] | undefined => {
      const lists = kinds.map((kind) => {
        const entry = Object.hasOwn(entriesOf(kind), name) ? entriesOf(kind)[name] : undefined;
        return entry && isFresh(entry.fetchedAt) ? entry : undefined;
      });
      return lists.every((entry) => entry !== undefined) ? lists.flatMap((entry) => entry.zones) : undefined;
    };
    const hits = new Map(wanted.flatMap((name) => {
      const listed = cachedZones(name);
      return answer(name) !== undefined && listed !== undefined ? [[name, listed] as const] : [];
    }));
    const missing = wanted.filter((name) => !hits.has(name));
    const fromCache = (name: string) => {
      usedCache(answer(name)!.fetchedAt, file!.source);
      return hits.get(name)!;
    };
    if (missing.length === 0) {
      return { offered: new Set(wanted.filter((name) => answer(name)!.offered)), zones: liveZones(new Map(wanted.map((name) => [name, fromCache(name)]))) };
    }
    const asked = await provider.zoneOfferings!(missing, zones);
    // Only a live answer (every zone asked covered, the region known) is kept; anything else answers this run only.
    if (asked.offered === undefined || asked.zones === undefined || asked.zones.zones !== undefined) {
      return hits.size === 0 ? asked : provider.zoneOfferings!(wanted, zones);
    }
    const offered = asked.offered;
    const offering = asked.zones;
    const fetchedAt = now().toISOString();
    const source = provider.catalogSource.description;
    await save(key, (current) => {
      const merged = { ...current?.data.answers };
      const byKind = { ...current?.data.zones };
      for (const kind of kinds) {
        const entries = { ...byKind[kind] };
        for (const name of missing) entries[name] = { fetchedAt, zones: [...offering.offering(name)].filter((zone) => zoneKind(zone) === kind).sort() };
        byKind[kind] = entries;
      }
      for (const name of missing) merged[name] = { fetchedAt, offered: offered.has(name) };
      return { fetchedAt, source, data: { ...current?.data, answers: merged, zones: byKind } };
    });
    return {
      offered: new Set(wanted.filter((name) => (hits.has(name) ? answer(name)!.offered : offered.has(name)))),
      zones: liveZones(new Map(wanted.map((name) => [name, hits.has(name) ? fromCache(name) : [...offering.offering(name)]]))),
    };
  }

  return {
    id: provider.id,
    region: () => provider.region(),
    get catalogSource(): CatalogSource {
      if (oldestUsed === undefined) return provider.catalogSource;
      return { kind: 'cache', description: `imglint cache of ${cachedFrom}`, fetchedAt: oldestUsed };
    },
    describeImages: (refs) => provider.describeImages(refs),

    /** A fresh full listing of the region (an earlier live `imglint matrix`) beats the provider's own candidates. */
    async candidateTypes() {
      const candidates = await provider.candidateTypes();
      const [typesFile, offeringsFile] = await Promise.all([cache.read(await keyOf(typesKind)), cache.read(await keyOf('offerings'))]);
      const listing = typesFile && listingOf(typesFile, offeringsFile);
      const fresh = listing !== undefined && isFresh(typesFile!.data.listing!.fetchedAt) && isFresh(offeringsFile!.data.listing!.fetchedAt);
      return fresh ? { ...candidates, ...listing } : candidates;
    },
    ...(provider.checkRegion && { checkRegion: () => provider.checkRegion!() }),
    ...(provider.listImages && { listImages: (owner: string) => provider.listImages!(owner) }),
    ...(provider.listZoneOfferings && { listZoneOfferings: () => provider.listZoneOfferings!() }),
    ...(provider.zoneOfferings && { zoneOfferings: (refs: readonly string[], zones: readonly string[]) => zoneOfferings(refs, zones) }),

    /** The region's full listing (`imglint matrix` live): cached with its own age, and as per-type entries. */
    ...(provider.listMachineTypes && {
      async listMachineTypes() {
        const key = await keyOf(typesKind);
        const file = await cache.read(key);
        const listing = file?.data.listing;
        if (listing && isFresh(listing.fetchedAt)) {
          const facts = listing.names.map((name) => (Object.hasOwn(file.data.types, name) ? file.data.types[name]!.facts : undefined));
          if (facts.every((entry) => entry !== undefined)) {
            usedCache(listing.fetchedAt, file.source);
            return facts;
          }
        }
        const listed = await provider.listMachineTypes!();
        const fetchedAt = now().toISOString();
        const source = provider.catalogSource.description;
        await save(key, (current) => {
          const types = { ...current?.data.types };
          for (const facts of listed) types[machineTypeRef(facts)] = { fetchedAt, facts };
          const names = listed.map(machineTypeRef);
          return { fetchedAt, source, data: { types, aliases: current?.data.aliases ?? {}, listing: { fetchedAt, names } } };
        });
        return listed;
      },
    }),

    /** Every offering of the region: cached as per-type answers plus the listing's age, which makes the rest "not offered". */
    ...(provider.listOfferings && {
      async listOfferings() {
        const key = await keyOf('offerings');
        const file = await cache.read(key);
        const listing = file?.data.listing;
        if (listing && isFresh(listing.fetchedAt)) {
          usedCache(listing.fetchedAt, file.source);
          return new Set(Object.entries(file.data.answers).flatMap(([name, answer]) => (answer.offered && isFresh(answer.fetchedAt) ? [name] : [])));
        }
        const offered = await provider.listOfferings!();
        const fetchedAt = now().toISOString();
        const source = provider.catalogSource.description;
        await save(key, (current) => {
          const answers = Object.fromEntries(Object.entries(current?.data.answers ?? {}).filter(([, answer]) => !answer.offered));
          for (const name of offered) answers[name] = { fetchedAt, offered: true };
          return { fetchedAt, source, data: { ...current?.data, answers, listing: { fetchedAt } } };
        });
        return offered;
      },
    }),

    async describeMachineTypes(refs) {
      const key = await keyOf(typesKind);
      const wanted = [...new Set(refs)];
      const file = await cache.read(key);
      const hits = new Map<string, { fetchedAt: string; facts: MachineTypeFacts }>();
      for (const ref of wanted) {
        const entry = file && lookupType(file.data, ref);
        if (entry && isFresh(entry.fetchedAt)) hits.set(ref, entry);
      }
      for (const entry of hits.values()) usedCache(entry.fetchedAt, file!.source);
      const missing = wanted.filter((ref) => !hits.has(ref));
      if (missing.length === 0) return new Map(wanted.map((ref) => [ref, hits.get(ref)!.facts]));
      let fetched: ReadonlyMap<string, MachineTypeFacts>;
      try {
        fetched = await provider.describeMachineTypes(missing);
      } catch (error) {
        // Some names unknown: the types the same answer found are kept all the same (else asked for again next run),
        // and the error carries the cached ones too, so the caller need not ask this wrapper a second time.
        const details = unknownReferencesOf<MachineTypeFacts>(error);
        if (details === undefined) throw error;
        await saveTypes(key, details.found);
        const found = new Map([...[...hits].map(([ref, entry]) => [ref, entry.facts] as const), ...details.found]);
        throw withUnknownReferences(error as ImglintError, details.unknown, found);
      }
      await saveTypes(key, fetched);
      return new Map(wanted.map((ref) => [ref, hits.get(ref)?.facts ?? fetched.get(ref)!]));
    },

    async offeredMachineTypes(refs) {
      const wanted = [...new Set(refs)];
      if (wanted.length === 0) return provider.offeredMachineTypes(wanted);
      const key = await keyOf('offerings');
      const file = await cache.read(key);
      const answer = freshAnswers(file);
      const missing = wanted.filter((name) => answer(name) === undefined);
      if (missing.length === 0) {
        for (const name of wanted) usedCache(answer(name)!.fetchedAt, file!.source);
        return new Set(wanted.filter((name) => answer(name)!.offered));
      }
      const offered = await provider.offeredMachineTypes(missing);
      if (offered === undefined) return undefined;
      const fetchedAt = now().toISOString();
      const source = provider.catalogSource.description;
      await save(key, (current) => {
        const merged = new Map(Object.entries(current?.data.answers ?? {}));
        for (const name of missing) merged.set(name, { fetchedAt, offered: offered.has(name) });
        return { fetchedAt, source, data: { ...current?.data, answers: Object.fromEntries(merged) } };
      });
      for (const name of wanted) if (answer(name) !== undefined) usedCache(answer(name)!.fetchedAt, file!.source);
      return new Set(wanted.filter((name) => answer(name)?.offered ?? offered.has(name)));
    },
  };
}

/** Zone offerings as a live provider answers them: every zone asked about is covered. */
function liveZones(byType: ReadonlyMap<string, readonly string[]>): ZoneOfferings {
  return { zones: undefined, offering: (type) => new Set(byType.get(type) ?? []) };
}

/** A cached type by its own key (instance type name, flavor id) or by a reference the provider resolved before. */
function lookupType(data: CatalogData['instance-types'], ref: string): z.infer<typeof TypeEntry> | undefined {
  const key = Object.hasOwn(data.types, ref) ? ref : Object.hasOwn(data.aliases, ref) ? data.aliases[ref]! : undefined;
  return key !== undefined && Object.hasOwn(data.types, key) ? data.types[key] : undefined;
}

/** What the cache holds for one provider and region, whatever its age: for `--offline` (cache first, then the
 * embedded catalog). */
export interface CachedCatalog {
  /** Facts for a machine type reference: an instance type name, a flavor id, or a flavor name a live check resolved. */
  machineType(ref: string): MachineTypeFacts | undefined;
  /** Whether the region offers an instance type; `undefined` when the cache does not know. */
  offered(name: string): boolean | undefined;
  /**
   * The zones of the kinds of `zones` (names, IDs) that offer an instance type, as a live check in this account
   * found them; `undefined` when the cache lacks an answer of one of those kinds.
   */
  zonesOffering(name: string, zones: readonly string[]): string[] | undefined;
  /** `{ kind: 'cache', description: 'imglint cache of <live source>', fetchedAt }`, `fetchedAt` being the oldest
   * entry's. */
  readonly source: CatalogSource;
  /**
   * The region's full listing an earlier live run cached (`imglint matrix`, or instance requirements judged live):
   * every type and the offered ones, with the older listing's `fetchedAt`; `undefined` without both listings.
   */
  readonly listing?: Pick<CandidateTypes, 'types' | 'offered' | 'source'>;
}

/**
 * Reads what the cache holds for `provider` in `region`, ignoring the TTL (an old answer beats no answer offline;
 * the report carries its age).
 *
 * @param provider - the provider id.
 * @param region - the region, as the live provider reports it (Rackspace regions match in any case).
 * @param options - the cache (default: the one in {@link cacheDirectory}) and {@link CatalogKey.scope}.
 * @returns the cached catalog, or `undefined` when nothing valid is cached for that provider and region.
 */
export async function readCachedCatalog(
  provider: ProviderId,
  region: string,
  options: { cache?: CatalogCache; scope?: string } = {},
): Promise<CachedCatalog | undefined> {
  const cache = options.cache ?? openCatalogCache();
  const scope = options.scope !== undefined ? { scope: options.scope } : {};
  const [typesFile, offeringsFile] = await Promise.all([
    cache.read({ provider, region, kind: provider === 'aws' ? 'instance-types' : 'flavors', ...scope }),
    cache.read({ provider, region, kind: 'offerings', ...scope }),
  ]);
  const typeEntries = Object.values(typesFile?.data.types ?? {});
  const answers = new Map(Object.entries(offeringsFile?.data.answers ?? {}));
  const zoneEntries = offeringsFile?.data.zones ?? {};
  const listedAt = offeringsFile?.data.listing?.fetchedAt;
  const times = [...typeEntries, ...answers.values()].map((entry) => entry.fetchedAt);
  if (times.length === 0) return undefined;
  const oldest = times.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
  const listing = typesFile && listingOf(typesFile, offeringsFile);
  return {
    ...(listing && { listing }),
    machineType: (ref) => (typesFile ? lookupType(typesFile.data, ref)?.facts : undefined),
    offered: (name) => answers.get(name)?.offered ?? (listedAt !== undefined ? false : undefined),
    zonesOffering(name, zones) {
      const lists = [...new Set(zones.map(zoneKind))].map((kind) => {
        const entries = zoneEntries[kind] ?? {};
        return Object.hasOwn(entries, name) ? entries[name]!.zones : undefined;
      });
      return lists.every((list) => list !== undefined) ? lists.flat() : undefined;
    },
    source: { kind: 'cache', description: `imglint cache of ${(typesFile ?? offeringsFile)!.source}`, fetchedAt: oldest },
  };
}

/** The full listing of a region in its cache files, whatever its age; `undefined` unless both kinds were listed. */
function listingOf(
  typesFile: CatalogFile<'instance-types' | 'flavors'>,
  offeringsFile: CatalogFile<'offerings'> | undefined,
): CachedCatalog['listing'] {
  const types = typesFile.data.listing;
  const offerings = offeringsFile?.data.listing;
  if (types === undefined || offerings === undefined) return undefined;
  const facts = types.names.flatMap((name) => (Object.hasOwn(typesFile.data.types, name) ? [typesFile.data.types[name]!.facts] : []));
  if (facts.length !== types.names.length) return undefined;
  const offered = new Set(Object.entries(offeringsFile!.data.answers).flatMap(([name, answer]) => (answer.offered ? [name] : [])));
  const fetchedAt = Date.parse(types.fetchedAt) < Date.parse(offerings.fetchedAt) ? types.fetchedAt : offerings.fetchedAt;
  return { types: facts, offered, source: { kind: 'cache', description: `imglint cache of ${typesFile.source} (the region's listing)`, fetchedAt } };
}

/**
 * `--offline`: the facts an earlier live check cached win over the embedded catalog's (they are newer), whatever
 * their age; references the cache does not know go to `embedded`. `catalogSource` names the cache (with its age) once
 * it answered.
 *
 * @param embedded - the offline provider (embedded catalog or snapshot).
 * @param cached - what {@link readCachedCatalog} found for the same provider and region.
 */
export function withCachedOverlay(embedded: Provider, cached: CachedCatalog): Provider {
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
    ...(embedded.zoneOfferings && {
      async zoneOfferings(refs: readonly string[], zones: readonly string[]) {
        const lists = new Map(refs.map((ref) => [ref, cached.zonesOffering(ref, zones)]));
        if (refs.some((ref) => cached.offered(ref) === undefined || lists.get(ref) === undefined)) return embedded.zoneOfferings!(refs, zones);
        usedCache = true;
        // Answers of a live check in this account: its zone names are the account's own, so every zone is judged.
        return { offered: new Set(refs.filter((ref) => cached.offered(ref))), zones: liveZones(lists as Map<string, string[]>) };
      },
    }),
    ...(embedded.checkRegion && { checkRegion: () => embedded.checkRegion!() }),
    /** The region's listing an earlier live run cached, else the embedded catalog's types (zone offerings stay its own). */
    async candidateTypes() {
      const candidates = await embedded.candidateTypes();
      return cached.listing === undefined ? candidates : { ...candidates, ...cached.listing };
    },
  };
}
