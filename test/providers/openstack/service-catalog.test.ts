/**
 * Endpoint selection on real catalogs: Rackspace's two `compute` services (next-gen per region, first-gen without
 * region), unknown regions, interfaces, and a Keystone v3 catalog.
 */
import { describe, expect, it } from 'vitest';
import { authenticate, type ServiceCatalogEntry } from '../../../providers/openstack/identity.js';
import { findEndpoint, requireEndpoint } from '../../../providers/openstack/service-catalog.js';
import { fastHttp, fixture, intercept, rackspaceConfig, RAX_IDENTITY, useOpenStackNock } from './openstack-nock.js';
import { thrown } from '../../support/errors.js';

useOpenStackNock();

/** The catalog of a Rackspace v2.0 token capture, normalised by `authenticate`. */
async function rackspaceCatalog(name: string): Promise<ServiceCatalogEntry[]> {
  intercept(RAX_IDENTITY).post('/v2.0/tokens').reply(200, fixture(name));
  return (await authenticate(fastHttp(), rackspaceConfig())).catalog;
}

/** The catalog of Keystone's project-scoped v3 sample. */
async function keystoneCatalog(): Promise<ServiceCatalogEntry[]> {
  intercept('https://keystone.example').post('/v3/auth/tokens').reply(201, fixture('keystone_v3_auth_password_project_scoped_response.json'), {
    'X-Subject-Token': 'gAAAAAB-token',
  });
  const config = rackspaceConfig({
    provider: 'openstack',
    authUrl: 'https://keystone.example/v3',
    credentials: { method: 'password', username: 'admin', password: 'pw-123456' },
  });
  return (await authenticate(fastHttp(), config)).catalog;
}

describe('Rackspace catalog (2015 capture)', () => {
  it('picks cloudServersOpenStack in the region', async () => {
    const catalog = await rackspaceCatalog('token_response_apikey_docs_2015.json');
    expect(requireEndpoint(catalog, { type: 'compute', name: 'cloudServersOpenStack', region: 'IAD' })).toBe(
      'https://iad.servers.api.rackspacecloud.com/v2/123456',
    );
    expect(requireEndpoint(catalog, { type: 'image', name: 'cloudImages', region: 'DFW' })).toBe(
      'https://dfw.images.api.rackspacecloud.com/v2',
    );
  });

  it('matches regions without regard to case', async () => {
    const catalog = await rackspaceCatalog('token_response_apikey_docs_2015.json');
    expect(findEndpoint(catalog, { type: 'compute', region: 'hkg' })).toBe('https://hkg.servers.api.rackspacecloud.com/v2/123456');
  });

  it('prefers the named service, and never takes the region-less first-gen endpoint when a region is asked', async () => {
    const catalog = await rackspaceCatalog('token_response_apikey_docs_2015.json');
    // Named first-gen, no region: the v1.0 endpoint (what "prefer the name" means).
    expect(findEndpoint(catalog, { type: 'compute', name: 'cloudServers' })).toBe('https://servers.api.rackspacecloud.com/v1.0/123456');
    // Named first-gen, with a region: it has none, so the other compute service's regional endpoint.
    expect(findEndpoint(catalog, { type: 'compute', name: 'cloudServers', region: 'SYD' })).toBe(
      'https://syd.servers.api.rackspacecloud.com/v2/123456',
    );
    // The first-gen entry listed first must not win either.
    const firstGenFirst = [...catalog].sort((a, b) => (a.name === 'cloudServers' ? -1 : b.name === 'cloudServers' ? 1 : 0));
    expect(firstGenFirst[0]!.name).toBe('cloudServers');
    expect(findEndpoint(firstGenFirst, { type: 'compute', region: 'DFW' })).toBe('https://dfw.servers.api.rackspacecloud.com/v2/123456');
    expect(findEndpoint(firstGenFirst, { type: 'compute', name: 'cloudServersOpenStack' })).toBe(
      'https://syd.servers.api.rackspacecloud.com/v2/123456',
    );
  });

  it('rejects a region the catalog lacks with a UsageError listing the regions it has', async () => {
    const catalog = await rackspaceCatalog('token_response_apikey_docs_2015.json');
    const error = thrown(() => requireEndpoint(catalog, { type: 'compute', name: 'cloudServersOpenStack', region: 'ORD' }));
    expect(error).toMatchObject({ kind: 'usage', name: 'UsageError' });
    expect(error.message).toBe('region ORD is not in the service catalog for compute (cloudServersOpenStack); it has DFW, HKG, IAD, SYD');
    expect(error.hint).toBe('pass one of DFW, HKG, IAD, SYD (--region, OS_REGION_NAME or RAX_REGION)');
    expect(findEndpoint(catalog, { type: 'compute', name: 'cloudServersOpenStack', region: 'ORD' })).toBeUndefined();
  });

  it('reads the region list from the catalog: LON exists there only for cloudNetworks', async () => {
    const catalog = await rackspaceCatalog('token_response_apikey_docs_2015.json');
    expect(findEndpoint(catalog, { type: 'network', region: 'LON' })).toBe('https://lon.networks.api.rackspacecloud.com/v2.0');
    const error = thrown(() => requireEndpoint(catalog, { type: 'image', name: 'cloudImages', region: 'LON' }));
    expect(error.message).toBe('region LON is not in the service catalog for image (cloudImages); it has DFW, HKG, IAD, SYD');
  });

  it('reports a service type the catalog lacks as ServiceNotFound', async () => {
    const catalog = await rackspaceCatalog('token_response_apikey_docs_2015.json');
    const error = thrown(() => requireEndpoint(catalog, { type: 'baremetal', region: 'IAD' }));
    expect(error).toMatchObject({ kind: 'provider', code: 'ServiceNotFound', message: 'the service catalog has no baremetal service' });
    expect(thrown(() => requireEndpoint([], { type: 'compute' }))).toMatchObject({
      hint: 'the token has an empty catalog: scope it to a project (OS_PROJECT_NAME or OS_PROJECT_ID)',
    });
  });

  it('reports a missing interface, naming the ones the region has', async () => {
    const catalog = await rackspaceCatalog('token_response_apikey_docs_2015.json');
    const error = thrown(() => requireEndpoint(catalog, { type: 'compute', name: 'cloudServersOpenStack', region: 'IAD', interface: 'internal' }));
    expect(error).toMatchObject({
      code: 'ServiceNotFound',
      message: 'no internal endpoint for compute (cloudServersOpenStack) in IAD; the catalog has public',
    });
  });

  it('finds internal endpoints where the catalog has them (2016 capture, cloudFiles)', async () => {
    const catalog = await rackspaceCatalog('token_response_apikey_docs_2016.json');
    expect(findEndpoint(catalog, { type: 'object-store', region: 'DFW', interface: 'internal' })).toBe(
      'https://snet-storage101.dfw1.clouddrive.com/v1/MossoCloudFS_929418',
    );
    expect(requireEndpoint(catalog, { type: 'compute', name: 'cloudServersOpenStack', region: 'SYD' })).toBe(
      'https://syd.servers.api.rackspacecloud.com/v2/929418',
    );
  });
});

describe('Keystone v3 catalog', () => {
  it('selects by interface and region and strips a trailing slash', async () => {
    const catalog = await keystoneCatalog();
    expect(requireEndpoint(catalog, { type: 'compute', region: 'RegionOne' })).toBe(
      'http://23.253.248.171:8774/v2.1/a6944d763bf64ee6a275f1263fae0352',
    );
    expect(requireEndpoint(catalog, { type: 'identity', region: 'RegionOne', interface: 'admin' })).toBe('http://23.253.248.171:35357/v2.0');
    expect(requireEndpoint(catalog, { type: 'network', region: 'RegionOne' })).toBe('http://23.253.248.171:9696');
    expect(findEndpoint(catalog, { type: 'image', region: 'RegionOne' })).toBe('http://23.253.248.171:9292');
  });

  it('keeps compute and compute_legacy apart', async () => {
    const catalog = await keystoneCatalog();
    expect(findEndpoint(catalog, { type: 'compute_legacy', region: 'RegionOne' })).toBe(
      'http://23.253.248.171:8774/v2/a6944d763bf64ee6a275f1263fae0352',
    );
  });
});
