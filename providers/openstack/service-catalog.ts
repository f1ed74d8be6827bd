import { ProviderApiError, UsageError } from '../../src/errors.js';
import type { EndpointInterface } from './config.js';
import type { ServiceCatalogEntry } from './identity.js';

/**
 * Endpoint lookup in a token's service catalog, by service type, region and interface.
 *
 * Several services can share a type: Rackspace lists `cloudServersOpenStack` (next-gen, per region) and the
 * first-generation `cloudServers` (v1.0, no region) both as `compute`. The lookup prefers the service with the
 * given name, and never returns a region-less endpoint when a region is asked for. Regions are compared without
 * regard to case (Rackspace's catalog says `IAD`; users type `iad`) and are only ever read from the catalog.
 *
 * Source: Rackspace Cloud Servers docs (rackerlabs/docs-cloud-servers @ 2f6c24cf, `api-docs/general-api-info/
 * service-access.rst`: "Search the catalog for the service name, cloudServersOpenStack"); Keystone v3 API reference
 * (catalog `endpoints[].interface`, `region_id`).
 */

/** What to look up. */
export interface EndpointQuery {
  /** Service type: `compute`, `image`, ... */
  type: string;
  /** Preferred service name among services of that type (`cloudServersOpenStack`); others are a fallback. */
  name?: string;
  /** Region; when given, only endpoints of that region qualify. */
  region?: string;
  /** Default `public`. */
  interface?: EndpointInterface;
}

/**
 * The URL of the first endpoint that matches, services named `query.name` first, without a trailing slash.
 *
 * @param catalog - the token's catalog.
 * @param query - type, preferred name, region, interface.
 * @returns the URL, or `undefined` when nothing matches (no such service, region or interface).
 */
export function findEndpoint(catalog: readonly ServiceCatalogEntry[], query: EndpointQuery): string | undefined {
  const wanted = query.interface ?? 'public';
  for (const service of candidates(catalog, query)) {
    for (const endpoint of service.endpoints) {
      if (endpoint.interface === wanted && matchesRegion(endpoint.region, query.region)) {
        return endpoint.url.replace(/\/+$/, '');
      }
    }
  }
  return undefined;
}

/**
 * Like {@link findEndpoint}, but a miss is an error that says why.
 *
 * @param catalog - the token's catalog.
 * @param query - type, preferred name, region, interface.
 * @returns the URL, without a trailing slash.
 * @throws UsageError (exit 2) when the service exists but not in `query.region`: the message lists the regions the
 *   catalog has for that service, e.g. `region ORD is not in the service catalog for compute
 *   (cloudServersOpenStack); it has DFW, HKG, IAD, SYD`.
 * @throws ProviderApiError `ServiceNotFound` when the catalog has no service of that type (or an unscoped token left
 *   it empty), or the region has no endpoint with the wanted interface.
 */
export function requireEndpoint(catalog: readonly ServiceCatalogEntry[], query: EndpointQuery): string {
  const found = findEndpoint(catalog, query);
  if (found !== undefined) return found;

  const services = candidates(catalog, query);
  const label = query.name && services.some((s) => s.name === query.name) ? `${query.type} (${query.name})` : query.type;
  if (services.length === 0) {
    throw new ProviderApiError('ServiceNotFound', `the service catalog has no ${query.type} service`, {
      hint:
        catalog.length === 0
          ? 'the token has an empty catalog: scope it to a project (OS_PROJECT_NAME or OS_PROJECT_ID)'
          : 'this account or project cannot use that service here',
    });
  }
  const endpoints = services.flatMap((service) => service.endpoints);
  const regions = [...new Set(endpoints.flatMap((endpoint) => (endpoint.region ? [endpoint.region] : [])))].sort();
  if (query.region !== undefined && !endpoints.some((endpoint) => matchesRegion(endpoint.region, query.region))) {
    const has = regions.length > 0 ? `it has ${regions.join(', ')}` : 'it has no regional endpoint';
    throw new UsageError(`region ${query.region} is not in the service catalog for ${label}; ${has}`, {
      hint:
        regions.length > 0
          ? `pass one of ${regions.join(', ')} (--region, OS_REGION_NAME or RAX_REGION)`
          : 'this account cannot use that service in any region',
    });
  }
  const interfaces = [
    ...new Set(
      endpoints.filter((endpoint) => matchesRegion(endpoint.region, query.region)).map((endpoint) => endpoint.interface),
    ),
  ];
  const where = query.region !== undefined ? ` in ${query.region}` : '';
  throw new ProviderApiError(
    'ServiceNotFound',
    `no ${query.interface ?? 'public'} endpoint for ${label}${where}; the catalog has ${interfaces.join(', ')}`,
    { hint: `set OS_INTERFACE to one of ${interfaces.join(', ')}` },
  );
}

/** Services of the query's type, the ones with the preferred name first. */
function candidates(catalog: readonly ServiceCatalogEntry[], query: EndpointQuery): ServiceCatalogEntry[] {
  const ofType = catalog.filter((service) => service.type === query.type);
  const named = ofType.filter((service) => service.name === query.name);
  return [...named, ...ofType.filter((service) => service.name !== query.name)];
}

function matchesRegion(endpointRegion: string | undefined, wanted: string | undefined): boolean {
  if (wanted === undefined) return true;
  return endpointRegion !== undefined && endpointRegion.toLowerCase() === wanted.toLowerCase();
}
