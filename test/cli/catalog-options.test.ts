/**
 * The catalog choice of `imglint check`: which cache files a provider + region group reads and writes (the scope of
 * an EC2 endpoint override or an OpenStack cloud), and how an unwritable cache is reported. Providers are fakes on
 * the embedded catalogs that log every call; `--offline` uses the real embedded provider.
 */
import { createHash } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Provider } from '../../providers/provider.js';
import { createEmbeddedAwsProvider } from '../../src/catalog/aws-embedded.js';
import { openCatalogCache, type CatalogCache } from '../../src/catalog/cache.js';
import { createEmbeddedRackspaceProvider } from '../../src/catalog/rackspace-embedded.js';
import { catalogCacheScope, catalogProviderFor, type CatalogChoice } from '../../src/cli/catalog-options.js';
import { resolveFacts, type ProviderChoice } from '../../src/engine/resolve.js';
import type { MachineTypeFacts } from '../../src/model/index.js';
import { exampleAl2023x86 as IMAGE } from '../rules/images.js';
import { useTempDir } from '../support/temp-dir.js';

const EMULATOR = 'http://127.0.0.1:4566';
const hash = (scope: string) => createHash('sha256').update(scope).digest('hex').slice(0, 12);

/** A live-looking EC2 provider on the embedded catalog, logging each call. */
function fakeAws(calls: string[]): Provider {
  const embedded = createEmbeddedAwsProvider({ region: 'us-east-1', images: [IMAGE] });
  return {
    id: 'aws',
    region: async () => 'us-east-1',
    catalogSource: { kind: 'live', description: 'EC2 API (us-east-1)' },
    describeImages: (refs) => embedded.describeImages(refs),
    describeMachineTypes: (refs) => (calls.push(`describeMachineTypes ${refs.join(',')}`), embedded.describeMachineTypes(refs)),
    offeredMachineTypes: (refs) => (calls.push(`offeredMachineTypes ${refs.join(',')}`), embedded.offeredMachineTypes(refs)),
    candidateTypes: () => embedded.candidateTypes(),
  };
}

/** A live-looking generic OpenStack cloud whose region is `RegionOne` (flavors: Rackspace IAD's, relabelled). */
function fakeDevstack(calls: string[]): Provider {
  const embedded = createEmbeddedRackspaceProvider({ region: 'IAD' });
  return {
    id: 'openstack',
    region: async () => 'RegionOne',
    catalogSource: { kind: 'live', description: 'Nova API (RegionOne)' },
    describeImages: (refs) => embedded.describeImages(refs),
    async describeMachineTypes(refs) {
      calls.push(`describeMachineTypes ${refs.join(',')}`);
      const facts = await embedded.describeMachineTypes(refs);
      return new Map([...facts].map(([ref, flavor]): [string, MachineTypeFacts] => [ref, { ...flavor, provider: 'openstack' } as MachineTypeFacts]));
    },
    offeredMachineTypes: async () => undefined,
    candidateTypes: () => embedded.candidateTypes(),
  };
}

const devstackEnv = (authUrl: string, project = 'demo'): NodeJS.ProcessEnv => ({
  OS_AUTH_URL: authUrl,
  OS_USERNAME: 'admin',
  OS_PASSWORD: 'secret',
  OS_PROJECT_NAME: project,
  OS_USER_DOMAIN_NAME: 'Default',
  OS_PROJECT_DOMAIN_NAME: 'Default',
  OS_REGION_NAME: 'RegionOne',
});

const awsGroup = (offline = false): ProviderChoice => ({ provider: 'aws', region: 'us-east-1', offline, fileImages: [IMAGE], ec2Client: undefined });
const devstackGroup: ProviderChoice = { provider: 'openstack', region: undefined, offline: false, fileImages: [], ec2Client: undefined };

const dir = useTempDir('imglint-catalog-options-', { each: true });
let cache: CatalogCache;

beforeEach(() => {
  cache = openCatalogCache(dir());
});

/** `imglint check` of `types` in the group, with the catalog choice `choice` and the provider `provider`. */
async function check(group: ProviderChoice, provider: Provider | undefined, types: string[], choice: Partial<CatalogChoice> = {}) {
  const providerFor = catalogProviderFor({
    offline: group.offline,
    refresh: false,
    catalog: undefined,
    cache,
    env: {},
    ...(provider && { createProvider: async () => provider }),
    ...choice,
  });
  const wrapped = await providerFor(group);
  const facts = await resolveFacts(wrapped, [], group.provider === 'aws' ? [IMAGE] : [], types);
  return { wrapped, facts };
}

describe('catalogCacheScope', () => {
  it('AWS: none for the real AWS; the EC2 endpoint when one is set, AWS_ENDPOINT_URL_EC2 first', async () => {
    await expect(catalogCacheScope({ provider: 'aws', region: 'us-east-1' }, {})).resolves.toBeUndefined();
    await expect(catalogCacheScope({ provider: 'aws', region: 'us-east-1' }, { AWS_ENDPOINT_URL: '' })).resolves.toBeUndefined();
    await expect(catalogCacheScope({ provider: 'aws', region: 'us-east-1' }, { AWS_ENDPOINT_URL: EMULATOR })).resolves.toBe(EMULATOR);
    await expect(
      catalogCacheScope({ provider: 'aws', region: 'us-east-1' }, { AWS_ENDPOINT_URL: EMULATOR, AWS_ENDPOINT_URL_EC2: 'http://ec2.local:5000' }),
    ).resolves.toBe('http://ec2.local:5000');
  });

  it('OpenStack: the identity URL and project, so two RegionOne clouds (or projects) differ', async () => {
    const one = await catalogCacheScope(devstackGroup, devstackEnv('http://10.0.0.1/identity/v3'));
    const two = await catalogCacheScope(devstackGroup, devstackEnv('http://10.0.0.2/identity/v3'));
    const otherProject = await catalogCacheScope(devstackGroup, devstackEnv('http://10.0.0.1/identity/v3', 'alt_demo'));
    expect(one).toContain('http://10.0.0.1/identity/v3');
    expect(new Set([one, two, otherProject]).size).toBe(3);
    // Another region of the same cloud and project: the same scope (the region is in the path already).
    expect(await catalogCacheScope({ ...devstackGroup, region: 'RegionTwo' }, devstackEnv('http://10.0.0.1/identity/v3'))).toBe(one);
    // Never the credentials.
    expect(one).not.toContain('secret');
  });

  it('Rackspace: resolved as the provider resolves it (default identity URL, RAX_* variables)', async () => {
    const scope = await catalogCacheScope({ provider: 'rackspace', region: 'IAD' }, { RAX_USERNAME: 'u', RAX_API_KEY: 'k' });
    expect(scope).toContain('https://identity.api.rackspacecloud.com/v2.0/');
    expect(scope).not.toContain('"k"');
  });

  it('OpenStack: null when the configuration does not resolve (no throw: the provider reports it)', async () => {
    await expect(catalogCacheScope(devstackGroup, {})).resolves.toBeNull();
    await expect(catalogCacheScope(devstackGroup, { ...devstackEnv('not a url') })).resolves.toBeNull();
  });
});

describe('catalogProviderFor: cache scope', () => {
  it('AWS against an emulator caches apart from the real AWS, under a hash of the endpoint', async () => {
    const emulator: string[] = [];
    await check(awsGroup(), fakeAws(emulator), ['c5.large'], { env: { AWS_ENDPOINT_URL: EMULATOR } });
    expect([...emulator].sort()).toEqual(['describeMachineTypes c5.large', 'offeredMachineTypes c5.large']);
    expect(await readdir(path.join(dir(), 'aws'))).toEqual([`us-east-1@${hash(EMULATOR)}`]);

    // The real AWS is not answered from the emulator's cache...
    const real: string[] = [];
    const { wrapped } = await check(awsGroup(), fakeAws(real), ['c5.large']);
    expect([...real].sort()).toEqual(['describeMachineTypes c5.large', 'offeredMachineTypes c5.large']);
    expect(wrapped.catalogSource).toMatchObject({ kind: 'live' });
    expect((await readdir(path.join(dir(), 'aws'))).sort()).toEqual(['us-east-1', `us-east-1@${hash(EMULATOR)}`]);

    // ...and the emulator is answered from its own.
    const again: string[] = [];
    const second = await check(awsGroup(), fakeAws(again), ['c5.large'], { env: { AWS_ENDPOINT_URL_EC2: EMULATOR } });
    expect(again).toEqual([]);
    expect(second.wrapped.catalogSource).toMatchObject({ kind: 'cache' });
  });

  it('two OpenStack clouds with region RegionOne do not share flavors', async () => {
    const calls: string[] = [];
    await check(devstackGroup, fakeDevstack(calls), ['general1-1'], { env: devstackEnv('http://10.0.0.1/identity/v3') });
    await check(devstackGroup, fakeDevstack(calls), ['general1-1'], { env: devstackEnv('http://10.0.0.2/identity/v3') });
    expect(calls).toEqual(['describeMachineTypes general1-1', 'describeMachineTypes general1-1']);
    const regions = (await readdir(path.join(dir(), 'openstack'))).sort();
    expect(regions).toHaveLength(2);
    for (const name of regions) expect(name).toMatch(/^RegionOne@[0-9a-f]{12}$/);

    // The same cloud again: from its cache.
    const { wrapped } = await check(devstackGroup, fakeDevstack(calls), ['general1-1'], { env: devstackEnv('http://10.0.0.1/identity/v3') });
    expect(calls).toHaveLength(2);
    expect(wrapped.catalogSource).toMatchObject({ kind: 'cache', description: 'imglint cache of Nova API (RegionOne)' });
  });

  it('an OpenStack configuration that does not resolve: no cache, no error until the provider is used', async () => {
    const calls: string[] = [];
    const inner = fakeDevstack(calls);
    const providerFor = catalogProviderFor({ offline: false, refresh: false, catalog: undefined, cache, env: {}, createProvider: async () => inner });
    const provider = await providerFor(devstackGroup);
    expect(provider).toBe(inner);
    await provider.describeMachineTypes(['general1-1']);
    expect(await readdir(dir())).toEqual([]);
  });

  it('--offline reads the cache of the same scope only', async () => {
    await check(awsGroup(), fakeAws([]), ['c5.large'], { env: { AWS_ENDPOINT_URL: EMULATOR } });

    const sameEndpoint = await check(awsGroup(true), undefined, ['c5.large'], { env: { AWS_ENDPOINT_URL: EMULATOR } });
    expect(sameEndpoint.wrapped.catalogSource).toMatchObject({ kind: 'cache', description: 'imglint cache of EC2 API (us-east-1)' });

    const realAws = await check(awsGroup(true), undefined, ['c5.large']);
    expect(realAws.wrapped.catalogSource).toMatchObject({ kind: 'embedded' });
  });
});

describe('catalogProviderFor: an unwritable cache', () => {
  it('warns on stderr, one line per file, and the check goes on', async () => {
    const blocked = path.join(dir(), 'file-not-dir');
    await writeFile(blocked, '');
    let stderr = '';
    const { facts } = await check(awsGroup(), fakeAws([]), ['c5.large'], {
      cache: openCatalogCache(blocked),
      stderr: { write: (text: string) => (stderr += text) },
    });
    expect(facts.types.get('c5.large')).toMatchObject({ name: 'c5.large' });
    const lines = stderr.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(/^imglint: warning: cannot write the catalog cache .*file-not-dir.*: \S/);
  });
});
