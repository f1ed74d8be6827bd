/**
 * The catalog cache: files on disk (layout, validation, atomic writes, clear), and withCatalogCache answering
 * checks from them. The inner providers are fakes built on the real embedded catalogs that count every call.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import envPaths from 'env-paths';
import { beforeEach, describe, expect, it } from 'vitest';
import { unknownReferencesOf, type Provider } from '../../providers/provider.js';
import { createEmbeddedAwsProvider, loadAwsCatalog } from '../../src/catalog/aws-embedded.js';
import {
  cacheDirectory,
  DEFAULT_CACHE_TTL_MS,
  MAX_CACHE_FILE_BYTES,
  openCatalogCache,
  readCachedCatalog,
  readRegularFile,
  withCachedOverlay,
  withCatalogCache,
  writeFileAtomically,
  type CatalogCache,
} from '../../src/catalog/cache.js';
import { createEmbeddedRackspaceProvider } from '../../src/catalog/rackspace-embedded.js';
import { machineTypeRef } from '../../src/engine/alternatives.js';
import { resolveFacts } from '../../src/engine/resolve.js';
import { InputError } from '../../src/errors.js';
import type { FlavorFacts } from '../../src/model/index.js';
import { exampleAl2023x86 as IMAGE } from '../rules/images.js';
import { clock, T0 } from '../support/clock.js';
import { rejection } from '../support/errors.js';
import { useTempDir } from '../support/temp-dir.js';

/** Every call a fake provider got: `describeMachineTypes c5.large,t3.micro`, `listOfferings`, ... */
type CallLog = string[];

/**
 * A live-looking AWS provider answering from the embedded catalog (the same facts EC2 gave moto), logging each
 * call. `listOfferings` only when `canList`: the cache must never call it (a full listing costs a one-pair check
 * two EC2 pages more than the one filtered DescribeInstanceTypeOfferings it needs).
 */
function fakeAws(calls: CallLog, { region = 'us-east-1', canList = true } = {}): Provider {
  const embedded = createEmbeddedAwsProvider({ region, images: [IMAGE] });
  const log = (name: string, refs?: readonly string[]) => calls.push(refs ? `${name} ${refs.join(',')}` : name);
  return {
    id: 'aws',
    region: async () => region,
    catalogSource: { kind: 'live', description: `EC2 API (${region})` },
    describeImages: (refs) => (log('describeImages', refs), embedded.describeImages(refs)),
    describeMachineTypes: (refs) => (log('describeMachineTypes', refs), embedded.describeMachineTypes(refs)),
    offeredMachineTypes: (refs) => (log('offeredMachineTypes', refs), embedded.offeredMachineTypes(refs)),
    candidateTypes: () => (log('candidateTypes'), embedded.candidateTypes()),
    ...(canList && {
      listOfferings: async () => (log('listOfferings'), new Set((await loadAwsCatalog()).offeredIn(region))),
    }),
  };
}

/** The same for Rackspace, on the embedded IAD flavors. */
function fakeRackspace(calls: CallLog, region = 'IAD'): Provider {
  const embedded = createEmbeddedRackspaceProvider({ region });
  return {
    id: 'rackspace',
    region: async () => region,
    catalogSource: { kind: 'live', description: `Nova API (${region})` },
    describeImages: (refs) => embedded.describeImages(refs),
    describeMachineTypes: (refs) => (calls.push(`describeMachineTypes ${refs.join(',')}`), embedded.describeMachineTypes(refs)),
    offeredMachineTypes: (refs) => (calls.push(`offeredMachineTypes ${refs.join(',')}`), embedded.offeredMachineTypes(refs)),
    candidateTypes: () => embedded.candidateTypes(),
  };
}

/** What `imglint check --image-file ... --type a --type b` asks the provider. */
const checkTypes = (provider: Provider, types: string[]) => resolveFacts(provider, [], [IMAGE], types);

const dir = useTempDir('imglint-cache-', { each: true });
let cache: CatalogCache;

beforeEach(() => {
  cache = openCatalogCache(dir());
});

const readJson = async (...parts: string[]) => JSON.parse(await readFile(path.join(dir(), ...parts), 'utf8')) as Record<string, any>;

describe('cacheDirectory', () => {
  it('is IMGLINT_CACHE_DIR when set, made absolute', () => {
    expect(cacheDirectory({ IMGLINT_CACHE_DIR: '/srv/ci-cache/imglint' })).toBe('/srv/ci-cache/imglint');
    expect(cacheDirectory({ IMGLINT_CACHE_DIR: 'relative/cache' })).toBe(path.resolve('relative/cache'));
  });

  it("is the user cache directory for imglint otherwise (no '-nodejs' suffix)", () => {
    expect(cacheDirectory({})).toBe(envPaths('imglint', { suffix: '' }).cache);
    expect(path.basename(cacheDirectory({}))).toBe('imglint');
  });
});

describe('withCatalogCache: a check, then the same check again', () => {
  it('writes one file per provider, region and kind, each { imglintCache, fetchedAt, source, data }', async () => {
    const calls: CallLog = [];
    await checkTypes(withCatalogCache(fakeAws(calls), { cache, now: clock().now }), ['t3.micro', 'c5.large']);

    // One call per kind, offerings asked about the checked types only (one filtered call), never listed.
    expect([...calls].sort()).toEqual(['describeMachineTypes t3.micro,c5.large', 'offeredMachineTypes t3.micro,c5.large']);
    expect((await readdir(path.join(dir(), 'aws', 'us-east-1'))).sort()).toEqual(['instance-types.json', 'offerings.json']);
    const types = await readJson('aws', 'us-east-1', 'instance-types.json');
    const catalog = await loadAwsCatalog();
    expect(types).toEqual({
      imglintCache: 2,
      fetchedAt: '2026-11-29T08:00:00.000Z',
      source: 'EC2 API (us-east-1)',
      data: {
        types: {
          't3.micro': { fetchedAt: '2026-11-29T08:00:00.000Z', facts: catalog.types.get('t3.micro') },
          'c5.large': { fetchedAt: '2026-11-29T08:00:00.000Z', facts: catalog.types.get('c5.large') },
        },
        aliases: {},
      },
    });
    expect(await readJson('aws', 'us-east-1', 'offerings.json')).toEqual({
      imglintCache: 2,
      fetchedAt: '2026-11-29T08:00:00.000Z',
      source: 'EC2 API (us-east-1)',
      data: {
        answers: {
          't3.micro': { fetchedAt: '2026-11-29T08:00:00.000Z', offered: true },
          'c5.large': { fetchedAt: '2026-11-29T08:00:00.000Z', offered: true },
        },
      },
    });
  });

  it('answers the second check from the cache with zero calls to the provider, and says so', async () => {
    const time = clock();
    const first: CallLog = [];
    const live = await checkTypes(withCatalogCache(fakeAws(first), { cache, now: time.now }), ['t3.micro', 'c5.large']);
    // The two lookups run concurrently: their order is not part of the contract.
    expect([...first].sort()).toEqual(['describeMachineTypes t3.micro,c5.large', 'offeredMachineTypes t3.micro,c5.large']);

    time.advance(60 * 60 * 1000);
    const second: CallLog = [];
    const cached = withCatalogCache(fakeAws(second), { cache: openCatalogCache(dir()), now: time.now });
    expect(cached.catalogSource).toEqual({ kind: 'live', description: 'EC2 API (us-east-1)' });
    const facts = await checkTypes(cached, ['t3.micro', 'c5.large']);

    expect(second).toEqual([]);
    expect(facts.types).toEqual(live.types);
    expect([...facts.types.keys()]).toEqual(['t3.micro', 'c5.large']);
    expect(facts.offered).toEqual(live.offered);
    expect(cached.catalogSource).toEqual({
      kind: 'cache',
      description: 'imglint cache of EC2 API (us-east-1)',
      fetchedAt: '2026-11-29T08:00:00.000Z',
    });
  });

  it('asks only for the types the cache lacks, merges them in, and keeps each entry’s own age', async () => {
    const time = clock();
    await checkTypes(withCatalogCache(fakeAws([]), { cache, now: time.now }), ['t3.micro']);
    time.advance(1000);
    const calls: CallLog = [];
    const wrapped = withCatalogCache(fakeAws(calls), { cache, now: time.now });
    const facts = await checkTypes(wrapped, ['t3.micro', 'm6g.large']);

    expect([...calls].sort()).toEqual(['describeMachineTypes m6g.large', 'offeredMachineTypes m6g.large']);
    expect(facts.types.get('m6g.large')).toMatchObject({ name: 'm6g.large', architectures: ['arm64'] });
    expect(wrapped.catalogSource).toMatchObject({ kind: 'cache', fetchedAt: '2026-11-29T08:00:00.000Z' });
    const { data, fetchedAt } = await readJson('aws', 'us-east-1', 'instance-types.json');
    expect(fetchedAt).toBe('2026-11-29T08:00:01.000Z');
    expect(data.types['t3.micro'].fetchedAt).toBe('2026-11-29T08:00:00.000Z');
    expect(data.types['m6g.large'].fetchedAt).toBe('2026-11-29T08:00:01.000Z');
  });

  it('keeps regions apart', async () => {
    await checkTypes(withCatalogCache(fakeAws([]), { cache, now: clock().now }), ['t3.micro']);
    const calls: CallLog = [];
    await checkTypes(withCatalogCache(fakeAws(calls, { region: 'eu-west-1' }), { cache, now: clock().now }), ['t3.micro']);
    expect([...calls].sort()).toEqual(['describeMachineTypes t3.micro', 'offeredMachineTypes t3.micro']);
    expect((await readdir(path.join(dir(), 'aws'))).sort()).toEqual(['eu-west-1', 'us-east-1']);
  });

  it('keeps scopes (clouds with the same region name) apart, without writing the scope in clear', async () => {
    const calls: CallLog = [];
    const devstack = (scope: string) => withCatalogCache(fakeRackspace(calls), { cache, now: clock().now, scope });
    await checkTypes(devstack('https://keystone.one.example/v3 project-a'), ['general1-1']);
    await checkTypes(devstack('https://keystone.two.example/v3 project-a'), ['general1-1']);
    expect(calls.filter((call) => call.startsWith('describe'))).toHaveLength(2);
    const regions = await readdir(path.join(dir(), 'rackspace'));
    expect(regions).toHaveLength(2);
    for (const name of regions) expect(name).toMatch(/^IAD@[0-9a-f]{12}$/);
  });

  it('passes images through and never caches them', async () => {
    const calls: CallLog = [];
    const wrapped = withCatalogCache(fakeAws(calls), { cache, now: clock().now });
    await wrapped.describeImages([IMAGE.id]);
    await wrapped.describeImages([IMAGE.id]);
    expect(calls).toEqual([`describeImages ${IMAGE.id}`, `describeImages ${IMAGE.id}`]);
    expect(await readdir(dir())).toEqual([]);
  });

  it('lets an unknown type fail as the provider fails it, caching nothing for it but the types the same answer found', async () => {
    const calls: CallLog = [];
    const wrapped = withCatalogCache(fakeAws(calls), { cache, now: clock().now });
    await expect(wrapped.describeMachineTypes(['t3.micro', 't3.mikro'])).rejects.toBeInstanceOf(InputError);
    const file = await cache.read({ provider: 'aws', region: 'us-east-1', kind: 'instance-types' });
    expect(Object.keys(file!.data.types)).toEqual(['t3.micro']);
    // The next run asks about the unknown name only (it may have been launched since), never again about t3.micro.
    const next = await rejection(withCatalogCache(fakeAws(calls), { cache, now: clock().now }).describeMachineTypes(['t3.micro', 't3.mikro']));
    expect(calls).toEqual(['describeMachineTypes t3.micro,t3.mikro', 'describeMachineTypes t3.mikro']);
    // Its error answers for both names (the cached one found), so a batch needs no second round.
    expect(unknownReferencesOf(next)).toMatchObject({ found: new Map([['t3.micro', (await loadAwsCatalog()).type('t3.micro')]]) });
    expect([...unknownReferencesOf(next)!.unknown.keys()]).toEqual(['t3.mikro']);
    const facts = await resolveFacts(withCatalogCache(fakeAws(calls), { cache, now: clock().now }), [], [IMAGE], ['t3.micro', 't3.mikro'], { keepGoing: true });
    expect([...facts.types.keys()]).toEqual(['t3.micro']);
    expect([...facts.unknown.keys()]).toEqual(['type:t3.mikro']);
    expect(calls.slice(2).sort()).toEqual(['describeMachineTypes t3.mikro', 'offeredMachineTypes t3.micro,t3.mikro']);
  });
});

describe('TTL and --refresh', () => {
  async function secondCall(ageMs: number, options: { ttlMs?: number; refresh?: boolean } = {}) {
    const time = clock();
    await checkTypes(withCatalogCache(fakeAws([]), { cache, now: time.now }), ['c5.large']);
    time.advance(ageMs);
    const calls: CallLog = [];
    const wrapped = withCatalogCache(fakeAws(calls), { cache, now: time.now, ...options });
    await checkTypes(wrapped, ['c5.large']);
    return { calls, wrapped, time };
  }

  it('uses an entry up to 24 hours old', async () => {
    expect(DEFAULT_CACHE_TTL_MS).toBe(24 * 60 * 60 * 1000);
    expect((await secondCall(DEFAULT_CACHE_TTL_MS - 1)).calls).toEqual([]);
  });

  it('asks again once the entry is 24 hours old, and rewrites it', async () => {
    const { calls, wrapped } = await secondCall(DEFAULT_CACHE_TTL_MS);
    expect([...calls].sort()).toEqual(['describeMachineTypes c5.large', 'offeredMachineTypes c5.large']);
    expect(wrapped.catalogSource).toEqual({ kind: 'live', description: 'EC2 API (us-east-1)' });
    const { data } = await readJson('aws', 'us-east-1', 'instance-types.json');
    expect(data.types['c5.large'].fetchedAt).toBe('2026-11-30T08:00:00.000Z');
    const offerings = await readJson('aws', 'us-east-1', 'offerings.json');
    expect(offerings.data.answers['c5.large']).toEqual({ fetchedAt: '2026-11-30T08:00:00.000Z', offered: true });
  });

  it('honours another TTL', async () => {
    expect((await secondCall(5 * 60 * 1000, { ttlMs: 5 * 60 * 1000 })).calls).toHaveLength(2);
    expect((await secondCall(5 * 60 * 1000 - 1, { ttlMs: 5 * 60 * 1000 })).calls).toEqual([]);
  });

  it('treats an entry from the future (clock skew) as stale', async () => {
    const time = clock(T0 + 60_000);
    await checkTypes(withCatalogCache(fakeAws([]), { cache, now: time.now }), ['c5.large']);
    const calls: CallLog = [];
    await checkTypes(withCatalogCache(fakeAws(calls), { cache, now: clock().now }), ['c5.large']);
    expect(calls).toHaveLength(2);
  });

  it('--refresh ignores fresh entries: it asks again and rewrites them', async () => {
    const { calls, wrapped, time } = await secondCall(1000, { refresh: true });
    // The two lookups run concurrently, so their order in the log is not fixed.
    expect([...calls].sort()).toEqual(['describeMachineTypes c5.large', 'offeredMachineTypes c5.large']);
    const { data } = await readJson('aws', 'us-east-1', 'instance-types.json');
    expect(data.types['c5.large'].fetchedAt).toBe('2026-11-29T08:00:01.000Z');
    const offerings = await readJson('aws', 'us-east-1', 'offerings.json');
    expect(offerings.data.answers['c5.large'].fetchedAt).toBe('2026-11-29T08:00:01.000Z');
    // What this run fetched is used again by this run.
    time.advance(1000);
    await checkTypes(wrapped, ['c5.large']);
    expect(calls).toHaveLength(2);
  });
});

describe('offerings', () => {
  it('without listOfferings, caches the per-type answers, offered or not', async () => {
    const calls: CallLog = [];
    const time = clock();
    // p5e.48xlarge is in the catalog but not offered in eu-west-1's list.
    const offeredIn = (await loadAwsCatalog()).offeredIn('eu-west-1')!;
    const notOffered = [...(await loadAwsCatalog()).types.keys()].find((name) => !offeredIn.has(name))!;
    const first = withCatalogCache(fakeAws(calls, { region: 'eu-west-1', canList: false }), { cache, now: time.now });
    expect(await first.offeredMachineTypes(['t3.micro', notOffered])).toEqual(new Set(['t3.micro']));
    expect(calls).toEqual([`offeredMachineTypes t3.micro,${notOffered}`]);

    const second = withCatalogCache(fakeAws(calls, { region: 'eu-west-1', canList: false }), { cache, now: time.now });
    expect(await second.offeredMachineTypes([notOffered, 't3.micro', 'c5.large'])).toEqual(new Set(['t3.micro', 'c5.large']));
    expect(calls).toEqual([`offeredMachineTypes t3.micro,${notOffered}`, 'offeredMachineTypes c5.large']);
    expect(second.catalogSource).toMatchObject({ kind: 'cache' });

    const { data } = await readJson('aws', 'eu-west-1', 'offerings.json');
    expect(data).toEqual({
      answers: {
        't3.micro': { fetchedAt: '2026-11-29T08:00:00.000Z', offered: true },
        [notOffered]: { fetchedAt: '2026-11-29T08:00:00.000Z', offered: false },
        'c5.large': { fetchedAt: '2026-11-29T08:00:00.000Z', offered: true },
      },
    });
  });

  it('never lists the region even when the provider can: a later check of other types asks about those only, in one filtered call', async () => {
    const calls: CallLog = [];
    const first = withCatalogCache(fakeAws(calls), { cache, now: clock().now });
    expect(await first.offeredMachineTypes(['t3.micro'])).toEqual(new Set(['t3.micro']));
    expect(calls).toEqual(['offeredMachineTypes t3.micro']);

    calls.length = 0;
    const later = withCatalogCache(fakeAws(calls), { cache, now: clock().now });
    expect(await later.offeredMachineTypes(['t3.micro', 'm6g.large', 'c5.large', 'no.such'])).toEqual(new Set(['t3.micro', 'm6g.large', 'c5.large']));
    expect(calls).toEqual(['offeredMachineTypes m6g.large,c5.large,no.such']);

    // Every answer is now cached, "not offered" included: a third check asks nothing.
    calls.length = 0;
    const third = withCatalogCache(fakeAws(calls), { cache, now: clock().now });
    expect(await third.offeredMachineTypes(['no.such', 'c5.large', 't3.micro', 'm6g.large'])).toEqual(new Set(['c5.large', 't3.micro', 'm6g.large']));
    expect(calls).toEqual([]);
    const { data } = await readJson('aws', 'us-east-1', 'offerings.json');
    expect(Object.keys(data).sort()).toEqual(['answers']);
    expect(data.answers['no.such']).toEqual({ fetchedAt: '2026-11-29T08:00:00.000Z', offered: false });
  });

  it('a file without a format version (an earlier layout, with the full list) is absent: asked again and rewritten', async () => {
    const file = path.join(dir(), 'aws', 'us-east-1', 'offerings.json');
    const at = '2026-11-29T07:00:00.000Z';
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify({
      fetchedAt: at,
      source: 'EC2 API (us-east-1)',
      data: { all: { fetchedAt: at, offered: ['t3.micro', 'm6g.large'] }, answers: { 't3.micro': { fetchedAt: at, offered: true } } },
    }));
    const calls: CallLog = [];
    const wrapped = withCatalogCache(fakeAws(calls), { cache, now: clock().now });
    expect(await wrapped.offeredMachineTypes(['t3.micro', 'm6g.large'])).toEqual(new Set(['t3.micro', 'm6g.large']));
    expect(calls).toEqual(['offeredMachineTypes t3.micro,m6g.large']);
    const written = await readJson('aws', 'us-east-1', 'offerings.json');
    expect(written.imglintCache).toBe(2);
    expect(written.data).toEqual({
      answers: {
        't3.micro': { fetchedAt: '2026-11-29T08:00:00.000Z', offered: true },
        'm6g.large': { fetchedAt: '2026-11-29T08:00:00.000Z', offered: true },
      },
    });
  });

  it('caches nothing when the provider cannot tell (OpenStack)', async () => {
    const calls: CallLog = [];
    const wrapped = withCatalogCache(fakeRackspace(calls), { cache, now: clock().now });
    expect(await wrapped.offeredMachineTypes(['general1-1'])).toBeUndefined();
    expect(await wrapped.offeredMachineTypes(['general1-1'])).toBeUndefined();
    expect(calls).toEqual(['offeredMachineTypes general1-1', 'offeredMachineTypes general1-1']);
    expect(wrapped.catalogSource).toMatchObject({ kind: 'live' });
  });
});

describe('zone offerings and listings', () => {
  /** A live-looking provider with zone offerings as EC2 answers them: every zone asked about covered. */
  function fakeZones(calls: CallLog): Provider {
    const embedded = createEmbeddedAwsProvider({ region: 'us-east-1', images: [IMAGE] });
    return {
      ...fakeAws(calls),
      async zoneOfferings(refs, zones) {
        calls.push(`zoneOfferings ${refs.join(',')} @${zones.join(',')}`);
        const answer = await embedded.zoneOfferings!(refs, zones);
        return { offered: answer.offered, zones: { zones: undefined, offering: (type) => answer.zones!.offering(type) } };
      },
      listMachineTypes: async () => (calls.push('listMachineTypes'), [...(await loadAwsCatalog()).types.values()].slice(0, 40)),
    };
  }

  it('keeps per-type zone answers by location type, and answers from them', async () => {
    const calls: CallLog = [];
    const first = withCatalogCache(fakeZones(calls), { cache, now: clock().now });
    const answer = await first.zoneOfferings!(['m5.large', 't2.micro'], ['use1-az3']);
    expect([...answer.offered!].sort()).toEqual(['m5.large', 't2.micro']);
    expect(answer.zones!.offering('t2.micro').has('use1-az3')).toBe(true);
    expect(answer.zones!.offering('m5.large').has('use1-az3')).toBe(false);
    const { data } = await readJson('aws', 'us-east-1', 'offerings.json');
    expect(Object.keys(data.zones)).toEqual(['availability-zone-id']);
    expect(data.zones['availability-zone-id']['t2.micro'].zones).toContain('use1-az3');

    calls.length = 0;
    const again = withCatalogCache(fakeZones(calls), { cache, now: clock().now });
    const cached = await again.zoneOfferings!(['t2.micro', 'm5.large'], ['use1-az1', 'use1-az3']);
    expect(calls).toEqual([]);
    expect(cached.zones!.zones).toBeUndefined();
    expect(cached.zones!.offering('m5.large').has('use1-az1')).toBe(true);
    expect(again.catalogSource).toMatchObject({ kind: 'cache' });

    // Zone names were never asked: the cache lacks that kind, so only that call is made, for every type.
    await again.zoneOfferings!(['t2.micro'], ['use1-az3', 'us-east-1c']);
    expect(calls).toEqual(['zoneOfferings t2.micro @use1-az3,us-east-1c']);
    expect(Object.keys((await readJson('aws', 'us-east-1', 'offerings.json')).data.zones).sort()).toEqual(['availability-zone', 'availability-zone-id']);
  });

  it('offline, the zone answers of an earlier live check (this account\'s zone names) win over the embedded data', async () => {
    await withCatalogCache(fakeZones([]), { cache, now: clock().now }).zoneOfferings!(['m5.large'], ['us-east-1e']);
    const cached = (await readCachedCatalog('aws', 'us-east-1', { cache }))!;
    expect(cached.zonesOffering('m5.large', ['us-east-1e'])).not.toContain('us-east-1e');
    const overlay = withCachedOverlay(createEmbeddedAwsProvider({ region: 'us-east-1', images: [IMAGE] }), cached);
    const answer = await overlay.zoneOfferings!(['m5.large'], ['us-east-1e']);
    // us-east-1 zone names are not judged from the embedded data (AWS maps them per account); the cache's are.
    expect(answer.zones!.zones).toBeUndefined();
    expect(answer.zones!.offering('m5.large').has('us-east-1e')).toBe(false);
    expect(overlay.catalogSource).toMatchObject({ kind: 'cache' });
    const embedded = await overlay.zoneOfferings!(['t3.micro'], ['us-east-1e']);
    expect(embedded.zones!.zones!.has('us-east-1e')).toBe(false);
  });

  it('a full listing is cached with its age: a second listing asks nothing; unlisted types are not offered; hints use it', async () => {
    const calls: CallLog = [];
    const first = withCatalogCache(fakeZones(calls), { cache, now: clock().now });
    const types = await first.listMachineTypes!();
    const offered = await first.listOfferings!();
    expect(calls).toEqual(['listMachineTypes', 'listOfferings']);

    calls.length = 0;
    const again = withCatalogCache(fakeZones(calls), { cache, now: clock().now });
    expect((await again.listMachineTypes!()).map((facts) => machineTypeRef(facts))).toEqual(types.map((facts) => machineTypeRef(facts)));
    expect(await again.listOfferings!()).toEqual(offered);
    expect(calls).toEqual([]);
    const notOffered = (await loadAwsCatalog()).typeNames.find((name) => !offered.has(name))!;
    expect(await again.offeredMachineTypes([notOffered])).toEqual(new Set());
    expect(calls).toEqual([]);
    const candidates = await again.candidateTypes();
    expect([...candidates.types]).toHaveLength(40);
    expect(candidates.source).toMatchObject({ kind: 'cache', description: 'imglint cache of EC2 API (us-east-1) (the region\'s listing)' });
  });

  it('offline, a cached full listing of any age is the candidate types (instance requirements, fix hints), else the embedded catalog', async () => {
    const time = clock();
    const embedded = createEmbeddedAwsProvider({ region: 'us-east-1', images: [IMAGE] });
    await checkTypes(withCatalogCache(fakeZones([]), { cache, now: time.now }), ['c5.large']);
    // Per-type answers only: no listing, so the embedded catalog's types.
    const partial = withCachedOverlay(embedded, (await readCachedCatalog('aws', 'us-east-1', { cache }))!);
    expect([...(await partial.candidateTypes()).types]).toHaveLength((await loadAwsCatalog()).typeNames.length);

    const live = withCatalogCache(fakeZones([]), { cache, now: time.now });
    await live.listMachineTypes!();
    const offered = await live.listOfferings!();
    time.advance(3 * DEFAULT_CACHE_TTL_MS);
    const overlay = withCachedOverlay(embedded, (await readCachedCatalog('aws', 'us-east-1', { cache }))!);
    const candidates = await overlay.candidateTypes();
    expect([...candidates.types]).toHaveLength(40);
    expect(candidates.offered).toEqual(offered);
    expect(candidates.source).toEqual({ kind: 'cache', description: "imglint cache of EC2 API (us-east-1) (the region's listing)", fetchedAt: '2026-11-29T08:00:00.000Z' });
    // The zone offerings are still the embedded data's: the listing holds none.
    expect(candidates.zones).toBe((await embedded.candidateTypes()).zones);
  });
});

describe('Rackspace flavors', () => {
  it('caches flavors by id under rackspace/IAD/flavors.json and remembers the names the provider resolved', async () => {
    const calls: CallLog = [];
    const first = await checkTypes(withCatalogCache(fakeRackspace(calls), { cache, now: clock().now }), ['1 GB General Purpose v1', 'compute1-4']);
    const { data } = await readJson('rackspace', 'IAD', 'flavors.json');
    expect(Object.keys(data.types).sort()).toEqual(['compute1-4', 'general1-1']);
    expect(data.aliases).toEqual({ '1 GB General Purpose v1': 'general1-1' });

    calls.length = 0;
    const again = withCatalogCache(fakeRackspace(calls), { cache, now: clock().now });
    const second = await checkTypes(again, ['1 GB General Purpose v1', 'general1-1', 'compute1-4']);
    expect(calls).toEqual(['offeredMachineTypes 1 GB General Purpose v1,general1-1,compute1-4']);
    expect(second.types.get('general1-1')).toEqual(first.types.get('1 GB General Purpose v1'));
    expect(again.catalogSource).toEqual({ kind: 'cache', description: 'imglint cache of Nova API (IAD)', fetchedAt: '2026-11-29T08:00:00.000Z' });
  });

  it('files a Rackspace region under its upper-case name', async () => {
    await checkTypes(withCatalogCache(fakeRackspace([], 'iad'), { cache, now: clock().now }), ['general1-1']);
    expect(await readdir(path.join(dir(), 'rackspace'))).toEqual(['IAD']);
  });
});

describe('files that are not what the cache wrote', () => {
  const typesFile = () => path.join(dir(), 'aws', 'us-east-1', 'instance-types.json');
  const c5 = async () => (await loadAwsCatalog()).types.get('c5.large')!;
  const entry = async (facts: unknown, fetchedAt = '2026-11-29T07:00:00.000Z') => ({
    imglintCache: 2,
    fetchedAt,
    source: 'EC2 API (us-east-1)',
    data: { types: { 'c5.large': { fetchedAt, facts } }, aliases: {} },
  });

  it.each<[string, () => Promise<string>]>([
    ['not JSON', async () => '{"fetchedAt": "2026-11-29T07:00:00.000Z", "sour'],
    ['empty', async () => ''],
    ['JSON of another shape', async () => JSON.stringify({ version: 2, types: [] })],
    ['a bad fact', async () => JSON.stringify(await entry({ ...(await c5()), memoryMiB: 'lots' }))],
    ['a bad timestamp', async () => JSON.stringify(await entry(await c5(), 'yesterday'))],
    ['facts of another provider', async () => JSON.stringify(await entry({ ...(await createEmbeddedRackspaceProvider({ region: 'IAD' }).describeMachineTypes(['general1-1'])).get('general1-1') }))],
  ])('%s: ignored, fetched again and overwritten, never a crash', async (_name, content) => {
    await mkdir(path.dirname(typesFile()), { recursive: true });
    await writeFile(typesFile(), await content());
    const calls: CallLog = [];
    const facts = await withCatalogCache(fakeAws(calls), { cache, now: clock().now }).describeMachineTypes(['c5.large']);
    expect(calls).toEqual(['describeMachineTypes c5.large']);
    expect(facts.get('c5.large')).toEqual(await c5());
    expect((await readJson('aws', 'us-east-1', 'instance-types.json')).data.types['c5.large'].fetchedAt).toBe('2026-11-29T08:00:00.000Z');
  });

  it('a valid file written by hand is used', async () => {
    await mkdir(path.dirname(typesFile()), { recursive: true });
    await writeFile(typesFile(), JSON.stringify(await entry(await c5())));
    const calls: CallLog = [];
    const facts = await withCatalogCache(fakeAws(calls), { cache, now: clock().now }).describeMachineTypes(['c5.large']);
    expect(calls).toEqual([]);
    expect(facts.get('c5.large')).toEqual(await c5());
  });

  it("a type named like an Object property is not found on the file's prototype", async () => {
    await checkTypes(withCatalogCache(fakeAws([]), { cache, now: clock().now }), ['c5.large']);
    const calls: CallLog = [];
    const wrapped = withCatalogCache(fakeAws(calls), { cache, now: clock().now });
    await expect(wrapped.describeMachineTypes(['constructor'])).rejects.toBeInstanceOf(InputError);
    expect(calls).toEqual(['describeMachineTypes constructor']);
  });
});

describe('format version (imglintCache)', () => {
  /** A generic OpenStack cloud whose flavor pins its CPUs: what Nova answers at microversion 2.61. */
  const pinned: FlavorFacts = {
    provider: 'openstack', id: 'c4.nfv', name: 'c4.nfv', memoryMiB: 4096, diskGiB: 20, ephemeralGiB: 0, vcpus: 4,
    extraSpecs: { 'hw:cpu_policy': 'dedicated' }, disabled: false,
  };
  function fakeOpenStack(calls: CallLog): Provider {
    return {
      id: 'openstack',
      region: async () => 'RegionOne',
      catalogSource: { kind: 'live', description: 'Nova API (RegionOne)' },
      describeImages: async () => new Map(),
      describeMachineTypes: async (refs) => (calls.push(`describeMachineTypes ${refs.join(',')}`), new Map(refs.map((ref) => [ref, pinned]))),
      offeredMachineTypes: async () => undefined,
      candidateTypes: async () => ({ types: [pinned], offered: undefined, source: { kind: 'live', description: 'Nova API (RegionOne)' } }),
    };
  }
  const scope = 'https://keystone.example.com/v3|demo';
  const flavorsFile = () => cache.path({ provider: 'openstack', region: 'RegionOne', kind: 'flavors', scope });
  /** What imglint wrote before the extra-spec work: no version, and the flavor's extra specs empty (never asked for). */
  const beforeExtraSpecs = {
    fetchedAt: '2026-11-29T07:00:00.000Z',
    source: 'Nova API (RegionOne)',
    data: { types: { 'c4.nfv': { fetchedAt: '2026-11-29T07:00:00.000Z', facts: { ...pinned, extraSpecs: {} } } }, aliases: {} },
  };

  it('a file without a version (flavors cached without their extra specs) is absent, live and offline', async () => {
    await mkdir(path.dirname(flavorsFile()), { recursive: true });
    await writeFile(flavorsFile(), JSON.stringify(beforeExtraSpecs));
    await expect(readCachedCatalog('openstack', 'RegionOne', { cache, scope })).resolves.toBeUndefined();
    const calls: CallLog = [];
    const facts = await withCatalogCache(fakeOpenStack(calls), { cache, scope, now: clock().now }).describeMachineTypes(['c4.nfv']);
    expect(calls).toEqual(['describeMachineTypes c4.nfv']);
    expect(facts.get('c4.nfv')!).toMatchObject({ extraSpecs: { 'hw:cpu_policy': 'dedicated' } });
    // Replaced in this version's format, with the facts Nova gave.
    const written = JSON.parse(await readFile(flavorsFile(), 'utf8')) as Record<string, any>;
    expect(written.imglintCache).toBe(2);
    expect(written.data.types['c4.nfv'].facts.extraSpecs).toEqual({ 'hw:cpu_policy': 'dedicated' });
    expect((await readCachedCatalog('openstack', 'RegionOne', { cache, scope }))!.machineType('c4.nfv')).toEqual(pinned);
  });

  it('a file of another version (a newer imglint) is absent too', async () => {
    await mkdir(path.dirname(flavorsFile()), { recursive: true });
    await writeFile(flavorsFile(), JSON.stringify({ ...beforeExtraSpecs, imglintCache: 3 }));
    await expect(cache.read({ provider: 'openstack', region: 'RegionOne', kind: 'flavors', scope })).resolves.toBeUndefined();
    await expect(readCachedCatalog('openstack', 'RegionOne', { cache, scope })).resolves.toBeUndefined();
    await writeFile(flavorsFile(), JSON.stringify({ ...beforeExtraSpecs, imglintCache: 2 }));
    await expect(cache.read({ provider: 'openstack', region: 'RegionOne', kind: 'flavors', scope })).resolves.toMatchObject({ source: 'Nova API (RegionOne)' });
  });
});

describe('atomic writes', () => {
  it('readers see the old file or the new one, never a part; no temporary file is left', async () => {
    const file = path.join(dir(), 'aws', 'us-east-1', 'instance-types.json');
    const big = (n: number) => JSON.stringify({ n, padding: 'x'.repeat(512 * 1024) });
    await writeFileAtomically(file, big(0));
    const seen = new Set<number>();
    const writes = Array.from({ length: 20 }, (_, n) => writeFileAtomically(file, big(n + 1)));
    const reads = Array.from({ length: 50 }, async () => {
      seen.add((JSON.parse(await readFile(file, 'utf8')) as { n: number }).n); // throws on a torn file
    });
    await Promise.all([...writes, ...reads]);
    expect(seen.size).toBeGreaterThan(0);
    expect(await readdir(path.dirname(file))).toEqual(['instance-types.json']);
  });

  it('a failed write throws and leaves no temporary file', async () => {
    const file = path.join(dir(), 'target');
    await mkdir(path.join(file, 'in-the-way'), { recursive: true }); // rename over a non-empty directory fails
    await expect(writeFileAtomically(file, '{}')).rejects.toThrow();
    expect(await readdir(dir())).toEqual(['target']);
  });

  it('concurrent updates of one file in one process all land', async () => {
    const wrapped = withCatalogCache(fakeAws([]), { cache, now: clock().now });
    await Promise.all(['t3.micro', 'c5.large', 'm6g.large', 't2.micro'].map((type) => wrapped.describeMachineTypes([type])));
    const { data } = await readJson('aws', 'us-east-1', 'instance-types.json');
    expect(Object.keys(data.types).sort()).toEqual(['c5.large', 'm6g.large', 't2.micro', 't3.micro']);
  });

  it('a cache that cannot be written is reported and otherwise ignored', async () => {
    const blocked = path.join(dir(), 'file-not-dir');
    await writeFile(blocked, '');
    const warnings: string[] = [];
    const calls: CallLog = [];
    const wrapped = withCatalogCache(fakeAws(calls), { cache: openCatalogCache(blocked), now: clock().now, warn: (m) => warnings.push(m) });
    const facts = await checkTypes(wrapped, ['c5.large']);
    expect(facts.types.get('c5.large')).toMatchObject({ name: 'c5.large' });
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^cannot write the catalog cache .*file-not-dir.*: /);
  });
});

describe('readRegularFile', () => {
  it('reads a regular file up to the limit, and nothing larger', async () => {
    const file = path.join(dir(), 'file.json');
    await writeFile(file, '{"a":1}');
    expect(await readRegularFile(file, 7)).toBe('{"a":1}');
    expect(await readRegularFile(file, 6)).toBeUndefined();
    expect(await readRegularFile(dir(), 1024)).toBeUndefined();
    expect(await readRegularFile(path.join(dir(), 'missing'), 1024)).toBeUndefined();
    expect(MAX_CACHE_FILE_BYTES).toBe(32 * 1024 * 1024);
  });
});

describe('readCachedCatalog (for --offline)', () => {
  it('is undefined when nothing is cached for the provider and region', async () => {
    await expect(readCachedCatalog('aws', 'us-east-1', { cache })).resolves.toBeUndefined();
    await checkTypes(withCatalogCache(fakeAws([]), { cache, now: clock().now }), ['c5.large']);
    await expect(readCachedCatalog('aws', 'eu-west-1', { cache })).resolves.toBeUndefined();
    await expect(readCachedCatalog('rackspace', 'us-east-1', { cache })).resolves.toBeUndefined();
  });

  it('returns what is cached whatever its age, with the oldest entry as its age', async () => {
    const time = clock();
    await checkTypes(withCatalogCache(fakeAws([]), { cache, now: time.now }), ['c5.large']);
    time.advance(3 * DEFAULT_CACHE_TTL_MS);
    await withCatalogCache(fakeAws([]), { cache, now: time.now }).describeMachineTypes(['t3.micro']);

    const cached = (await readCachedCatalog('aws', 'us-east-1', { cache }))!;
    const catalog = await loadAwsCatalog();
    expect(cached.machineType('c5.large')).toEqual(catalog.types.get('c5.large'));
    expect(cached.machineType('t3.micro')).toEqual(catalog.types.get('t3.micro'));
    expect(cached.machineType('m6g.large')).toBeUndefined();
    expect(cached.offered('c5.large')).toBe(true);
    // t3.micro's offering was never asked about (only its facts): unknown, not guessed from a region list.
    expect(cached.offered('t3.micro')).toBeUndefined();
    expect(cached.offered('no.such')).toBeUndefined();
    expect(cached).not.toHaveProperty('allOffered');
    expect(cached.source).toEqual({ kind: 'cache', description: 'imglint cache of EC2 API (us-east-1)', fetchedAt: '2026-11-29T08:00:00.000Z' });
  });

  it('says "unknown" for offerings it was never told about', async () => {
    await withCatalogCache(fakeAws([], { canList: false }), { cache, now: clock().now }).offeredMachineTypes(['c5.large']);
    const cached = (await readCachedCatalog('aws', 'us-east-1', { cache }))!;
    expect(cached.offered('c5.large')).toBe(true);
    expect(cached.offered('t3.micro')).toBeUndefined();
    expect(cached.machineType('c5.large')).toBeUndefined();
  });

  it('finds flavors by the names live checks resolved, in any case of the Rackspace region', async () => {
    await checkTypes(withCatalogCache(fakeRackspace([]), { cache, now: clock().now }), ['1 GB General Purpose v1']);
    const cached = (await readCachedCatalog('rackspace', 'iad', { cache }))!;
    expect(cached.machineType('1 GB General Purpose v1')).toMatchObject({ id: 'general1-1' });
    expect(cached.machineType('general1-1')).toMatchObject({ id: 'general1-1' });
    expect(cached.offered('general1-1')).toBeUndefined();
  });
});

describe('clear', () => {
  it('deletes the cache files and the directories they leave empty, and nothing else', async () => {
    await checkTypes(withCatalogCache(fakeAws([]), { cache, now: clock().now }), ['c5.large']);
    await checkTypes(withCatalogCache(fakeRackspace([]), { cache, now: clock().now }), ['general1-1']);
    await writeFile(path.join(dir(), 'aws', 'us-east-1', 'instance-types.json.123-abcdef12.tmp'), '{');
    await writeFile(path.join(dir(), 'notes.txt'), 'mine');
    await mkdir(path.join(dir(), 'rackspace', 'DFW'), { recursive: true });
    await writeFile(path.join(dir(), 'rackspace', 'DFW', 'flavors.json.bak'), 'mine');

    expect(await cache.clear()).toBe(4);
    expect((await readdir(dir())).sort()).toEqual(['notes.txt', 'rackspace']);
    expect(await readdir(path.join(dir(), 'rackspace'))).toEqual(['DFW']);
    expect(await cache.clear()).toBe(0);
  });

  it('is fine with a cache directory that does not exist', async () => {
    expect(await openCatalogCache(path.join(dir(), 'missing')).clear()).toBe(0);
  });
});
