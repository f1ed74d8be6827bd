import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readDataJson } from '../support/data.js';

/**
 * A local Rackspace-compatible endpoint on 127.0.0.1 (node:http, no network) speaking the real protocol, for CLI runs
 * against `OS_AUTH_URL=<url>/v2.0`:
 *
 * - Identity v2.0 `POST /v2.0/tokens`: `RAX-KSKEY:apiKeyCredentials` or `passwordCredentials` for one user; the answer
 *   is the real token response `identity/token_response_apikey_docs_2016.json` (account 929418, user maeker123) with
 *   three changes: `cloudServersOpenStack` and `cloudImages` URLs point here (`https://iad.servers.api.rackspacecloud.com/v2/929418`
 *   becomes `<url>/iad/servers/v2/929418`, `https://iad.images.api.rackspacecloud.com/v2` becomes `<url>/iad/images/v2`:
 *   the region stays visible in every logged path); `token.expires` is 24 h from now (Rackspace's default lifetime; the
 *   capture's 2016 date would make every client re-authenticate); and the first-generation `cloudServers` compute
 *   service (region-less, `/v1.0/{tenant}`), which the 2016 capture lacks, is copied from the 2015 capture and put
 *   *before* `cloudServersOpenStack`, so that a client picking "the first compute service" is caught (its URL points
 *   here too: `<url>/servers/v1.0/929418`, answered 404). Wrong credentials: 401 with Rackspace's body
 *   (`{"unauthorized": {"code": 401, "message": "Username or api key is invalid."}}`).
 * - Nova `GET <compute>/flavors/detail`: the real IAD flavors (`compute/flavors_detail_iad_2015.json`), paged as Nova
 *   pages (`limit`, `marker`, a `flavors_links` `next` link when a page is full; `osapi_max_limit` is 1000 as in Nova,
 *   or what {@link OpenStackEndpoint.pageFlavors} sets); `GET <compute>/flavors/{id}`. IAD only: the captures have no other region's flavors.
 * - Glance v2 `GET <image>/v2/images/{id}` and `GET <image>/v2/images?name=` (exact name, `limit` default 25, `marker`,
 *   `next` when a page is full, as Glance does): the real images of `images/glance_v2_images_2015.json`, the 2021
 *   Debian 10 image, and the test variants of {@link VARIANTS}. Unknown ID: Glance's HTML 404 page.
 * - Every service request needs `X-Auth-Token` equal to an issued, unrevoked token id, else 401.
 *
 * Captured texts: the API-key 401 (`Username or api key is invalid.`, seen in public bug reports against
 * identity.api.rackspacecloud.com), the Glance 404 page, Nova's `itemNotFound` / `badRequest` / `overLimit` faults. Not
 * captured, only shaped like Rackspace's faults: the password 401 text, the token-refused 401 text, the tenant errors.
 *
 * Switches for failure scenarios: {@link OpenStackEndpoint.failNext} (503 + `Retry-After: 0`),
 * {@link OpenStackEndpoint.malformNext} (a truncated JSON body), {@link OpenStackEndpoint.revokeTokensAt} (the token
 * dies just before a request), {@link OpenStackEndpoint.hijackNext} (a hostile answer). Every request is logged
 * ({@link RequestRecord}) for counting calls.
 */

type Json = Record<string, unknown>;

/** A Rackspace capture (`compute/flavors_detail_iad_2015.json`), parsed (a fresh copy on every call). */
export const readRackspaceJson = <T = Json>(file: string): T => readDataJson<T>(`rackspace/${file}`);
const readJson = readRackspaceJson;

/** The account of the 2016 capture. */
export const TENANT = '929418';
/** The user of the 2016 capture; the credentials are this endpoint's own (the capture has none). */
export const USERNAME = 'maeker123';
export const API_KEY = 'f3c5d2e1b8a94c7d9e0f1a2b3c4d5e6f';
export const PASSWORD = 'Tr0ub4dor-and-3-horses';

const realImages = readJson<{ images: Json[] }>('images/glance_v2_images_2015.json').images;
const debian10 = readJson<{ images: Json[] }>('images/glance_v2_image_debian10_pvhvm_2021.json').images[0]!;
const novaDfwImages = readJson<{ images: Json[] }>('images/nova_images_detail_dfw_2015.json').images;
const flavors = readJson<{ flavors: Json[] }>('compute/flavors_detail_iad_2015.json').flavors;

function realImage(id: string): Json {
  const image = realImages.find((candidate) => candidate.id === id);
  if (!image) throw new Error(`no image ${id} in glance_v2_images_2015.json`);
  return image;
}

/** Real images the tests use by ID (all from `glance_v2_images_2015.json` unless said otherwise). */
export const IMAGES = {
  /** CentOS 7 (PVHVM): `vm_mode` hvm, `auto_disk_config` disabled, `flavor_classes` `*,!onmetal`. */
  centos7: 'f8ae535e-67c0-41a5-bf55-b06d0ee40cc2',
  /** Ubuntu 14.04 LTS (Trusty Tahr) (PV): `vm_mode` xen, `flavor_classes` `*,!io1,!memory1,!compute1,!onmetal`. */
  ubuntuPv: 'fed66ee7-fb4b-4464-b8c6-609c1fde218f',
  /** Windows Server 2012: `min_disk` 40, `min_ram` 1024. */
  windows2012: '78cc6fbe-ad59-4324-8712-5dd191cb6a5c',
  /** Windows Server 2008 R2 SP1 + SharePoint 2010 Foundation with SQL Server 2008 R2 SP1 Standard: `min_ram` 8192. */
  sharePoint: '959aee20-e0b8-42a7-9201-10057c2b7e05',
  /** Debian 10 (Buster) (PVHVM), 2021 (`glance_v2_image_debian10_pvhvm_2021.json`): `*,!onmetal,!onmetal2`. */
  debian10: 'cc45237e-27d1-4592-aa0a-817904b99c70',
  /**
   * A real customer snapshot (DFW, `nova_images_detail_dfw_2015.json`, the one in `examples/rackspace/snapshot-ubuntu-13.10.json`)
   * in Glance's shape: `image_type` snapshot, no `flavor_classes`, no `vm_mode`, `base_image_ref` 7b8abc3f-... which no
   * capture holds (this endpoint answers 404 for it).
   */
  snapshot: '474a827e-e28e-4764-9852-70cec4c23326',
} as const;

/** Test variants: a real image with one field changed, under an ID (and a name) of its own. */
export const VARIANTS = {
  /** CentOS 7 (PVHVM) with `status: queued`. */
  queued: 'f8ae535e-67c0-41a5-bf55-00000000a001',
  /** The real snapshot with `base_image_ref` = the PV Ubuntu 14.04 (so its base image's classes exclude io1). */
  snapshotOfPv: '474a827e-e28e-4764-9852-00000000a002',
} as const;

/**
 * A Nova `/images/detail` item in Glance v2's shape, the way Glance holds it: the properties (`metadata`) as top-level
 * keys, `minRam`/`minDisk`/`OS-EXT-IMG-SIZE:size` as `min_ram`/`min_disk`/`size`, `ACTIVE` as `active`. Reconstructed:
 * Rackspace's Glance view of this snapshot was not captured (visibility `private`: a customer's image). Its `owner` is
 * this endpoint's account ({@link TENANT}), as Glance sets `owner` to the project that created the image (the Nova
 * capture is account 820259's; here the snapshot belongs to the account that authenticates).
 */
function glanceFromNova(nova: Json): Json {
  const id = nova.id as string;
  return {
    ...(nova.metadata as Json),
    id,
    name: nova.name,
    status: (nova.status as string).toLowerCase(),
    min_ram: nova.minRam,
    min_disk: nova.minDisk,
    size: nova['OS-EXT-IMG-SIZE:size'],
    created_at: nova.created,
    updated_at: nova.updated,
    visibility: 'private',
    owner: TENANT,
    self: `/v2/images/${id}`,
    file: `/v2/images/${id}/file`,
    schema: '/v2/schemas/image',
  };
}

function variant(base: Json, id: string, name: string, change: Json): Json {
  return { ...base, id, name, self: `/v2/images/${id}`, file: `/v2/images/${id}/file`, ...change };
}

const snapshot = glanceFromNova(novaDfwImages.find((image) => image.id === IMAGES.snapshot)!);

/** What this endpoint serves from Glance, in listing order. */
export function defaultImages(): Json[] {
  return [
    ...realImages,
    debian10,
    snapshot,
    variant(realImage(IMAGES.centos7), VARIANTS.queued, 'CentOS 7 (PVHVM) [imglint test: queued]', { status: 'queued' }),
    variant(snapshot, VARIANTS.snapshotOfPv, `${snapshot.name as string} [imglint test: of Ubuntu 14.04 PV]`, {
      base_image_ref: IMAGES.ubuntuPv,
    }),
  ].map((image) => structuredClone(image));
}

/** One request as the endpoint saw it. */
export interface RequestRecord {
  method: string;
  /** Path and query, e.g. `/iad/images/v2/images?name=CentOS+7+%28PVHVM%29`. */
  path: string;
  /** Whether an `X-Auth-Token` header was sent (whatever its value). */
  token: boolean;
  /** The status answered. */
  status: number;
  /** Token requests: the credentials kind the body carried. */
  credentials?: 'apiKey' | 'password' | 'none';
}

export interface OpenStackEndpoint {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `OS_AUTH_URL`: `<url>/v2.0` */
  authUrl: string;
  /** Every request since the last {@link reset}. */
  log: RequestRecord[];
  /** Glance's images by ID; tests may add and remove (restored by {@link reset}). */
  images: Map<string, Json>;
  /** The token id currently valid (the capture's id; a suffix after each revocation). */
  tokenId(): string;
  /**
   * Answers the next `count` requests whose path matches `match` (default: any) with `status` (default 503) and
   * `Retry-After: 0` (413 and 429 with an `overLimit` body, as a rate limiter does).
   */
  failNext(count: number, options?: { status?: number; match?: RegExp }): void;
  /** Answers the next `count` successful requests whose path matches with the first half of their JSON body. */
  malformNext(count: number, match?: RegExp): void;
  /** Revokes every issued token just before the next request whose path matches (it then gets a 401). */
  revokeTokensAt(match: RegExp): void;
  /**
   * Hands the next `count` requests whose path matches to `behave` instead of answering them (a hostile endpoint:
   * silence, a body trickled byte by byte, a body without end).
   */
  hijackNext(count: number, match: RegExp, behave: (response: ServerResponse) => void): void;
  /** Sets Nova's `osapi_max_limit`: most flavors per `/flavors/detail` page (default 1000, Nova's default). */
  pageFlavors(size: number): void;
  /** Clears the log and the switches, restores the images and the page size. */
  reset(): void;
  close(): Promise<void>;
}

/** Rackspace's catalog hosts for the two services imglint uses, rewritten to `<url>/<region>/<service>`. */
const RACKSPACE_SERVICE_URL = /^https:\/\/(\w+)\.(servers|images)\.api\.rackspacecloud\.com/;

function tokenResponse(url: string, tokenId: string): Json {
  const response = readJson<{ access: Json & { serviceCatalog: Json[]; token: Json } }>('identity/token_response_apikey_docs_2016.json');
  const rewrite = (endpoint: Json) => {
    for (const key of ['publicURL', 'internalURL', 'versionInfo', 'versionList']) {
      if (typeof endpoint[key] === 'string') endpoint[key] = (endpoint[key] as string).replace(RACKSPACE_SERVICE_URL, `${url}/$1/$2`);
    }
  };
  for (const service of response.access.serviceCatalog) {
    if (service.name === 'cloudServersOpenStack' || service.name === 'cloudImages') (service.endpoints as Json[]).forEach(rewrite);
  }
  const firstGen = readJson<{ access: { serviceCatalog: Json[] } }>('identity/token_response_apikey_docs_2015.json').access.serviceCatalog.find(
    (service) => service.name === 'cloudServers',
  )!;
  for (const endpoint of firstGen.endpoints as Json[]) {
    endpoint.tenantId = TENANT;
    for (const key of ['publicURL', 'versionInfo', 'versionList']) {
      endpoint[key] = (endpoint[key] as string).replace('https://servers.api.rackspacecloud.com', `${url}/servers`).replace('123456', TENANT);
    }
  }
  const catalog = response.access.serviceCatalog;
  catalog.splice(catalog.findIndex((service) => service.name === 'cloudServersOpenStack'), 0, firstGen);
  response.access.token.id = tokenId;
  response.access.token.expires = new Date(Date.now() + 24 * 3600_000).toISOString();
  return response;
}

/** Glance's 404 page (webob's HTML error body; Glance v2 sends it for an unknown image ID). */
function glanceNotFound(id: string): string {
  return `<html>\n <head>\n  <title>404 Not Found</title>\n </head>\n <body>\n  <h1>404 Not Found</h1>\n  No image found with ID ${id}<br /><br />\n\n\n\n </body>\n</html>`;
}

const novaFault = (name: string, code: number, message: string) => ({ [name]: { code, message } });

/**
 * The body of a {@link OpenStackEndpoint.failNext} answer. 413 is how Rackspace rate-limits (Repose: "a 413 (Rate
 * Control) HTTP response is returned with a Retry-After header", Cloud Servers docs, general-api-info/limits), with
 * Nova's `overLimit` fault; 429 is upstream Nova's and Keystone's; 5xx are Nova's `serviceUnavailable` and friends.
 */
function failureBody(status: number): Json {
  if (status === 413 || status === 429) {
    return { overLimit: { code: status, message: 'This request was rate-limited.', retryAfter: '0', details: 'Only 1000 GET request(s) can be made to * every minute.' } };
  }
  if (status === 503) return novaFault('serviceUnavailable', 503, 'The server is currently unavailable. Please try again at a later time.');
  return novaFault('computeFault', status, 'The server has either erred or is incapable of performing the requested operation.');
}

const NOVA_MAX_LIMIT = 1000;

export async function startOpenStackEndpoint(): Promise<OpenStackEndpoint> {
  let flavorPageSize = NOVA_MAX_LIMIT;
  const capturedTokenId = (readJson<{ access: { token: { id: string } } }>('identity/token_response_apikey_docs_2016.json')).access.token.id;
  let generation = 0;
  const currentTokenId = () => (generation === 0 ? capturedTokenId : `${capturedTokenId}-${generation}`);
  let issued = new Set<string>();
  const log: RequestRecord[] = [];
  const images = new Map<string, Json>();
  let failures: { count: number; status: number; match: RegExp }[] = [];
  let malformations: { count: number; match: RegExp }[] = [];
  let revocations: RegExp[] = [];
  let hijacks: { count: number; match: RegExp; behave: (response: ServerResponse) => void }[] = [];
  let url = '';

  const restoreImages = () => {
    images.clear();
    for (const image of defaultImages()) images.set(image.id as string, image);
  };
  restoreImages();

  function take<T extends { count: number; match: RegExp }>(list: T[], requestPath: string): T | undefined {
    const found = list.find((entry) => entry.count > 0 && entry.match.test(requestPath));
    if (found) found.count -= 1;
    return found;
  }

  function handle(request: IncomingMessage, body: string, response: ServerResponse): void {
    const requestUrl = new URL(request.url ?? '/', 'http://127.0.0.1');
    const requestPath = `${requestUrl.pathname}${requestUrl.search}`;
    const record: RequestRecord = { method: request.method ?? '', path: requestPath, token: request.headers['x-auth-token'] !== undefined, status: 0 };
    log.push(record);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      const isText = typeof payload === 'string';
      let text = isText ? payload : JSON.stringify(payload);
      if (status < 300 && !isText && take(malformations, requestPath)) text = text.slice(0, Math.floor(text.length / 2));
      response.writeHead(status, { 'content-type': isText ? 'text/html; charset=UTF-8' : 'application/json', ...headers });
      response.end(text);
    };

    const hijack = take(hijacks, requestPath);
    if (hijack) return hijack.behave(response);

    const failure = take(failures, requestPath);
    if (failure) return send(failure.status, failureBody(failure.status), { 'retry-after': '0' });

    if (requestUrl.pathname.replace(/\/+$/, '') === '/v2.0/tokens') {
      if (request.method !== 'POST') return send(405, novaFault('badMethod', 405, 'Method not allowed'));
      return authenticate(body, record, send);
    }

    const revokeIndex = revocations.findIndex((match) => match.test(requestPath));
    if (revokeIndex >= 0) {
      revocations.splice(revokeIndex, 1);
      issued = new Set();
      generation += 1;
    }
    const token = request.headers['x-auth-token'];
    if (typeof token !== 'string' || !issued.has(token)) {
      return send(401, novaFault('unauthorized', 401, 'No valid token provided. Please use the X-Auth-Token header with a valid token.'));
    }

    const nova = /^\/(\w+)\/servers\/v2\/(\w+)\/flavors(?:\/([^/]+))?$/.exec(requestUrl.pathname);
    if (nova && request.method === 'GET') {
      const [, region, tenant, flavorId] = nova;
      if (region !== 'iad' || tenant !== TENANT) return send(404, novaFault('itemNotFound', 404, 'The resource could not be found.'));
      if (flavorId === 'detail') return listFlavors(request, requestUrl, send);
      const flavor = flavors.find((candidate) => candidate.id === decodeURIComponent(flavorId ?? ''));
      if (!flavor) return send(404, novaFault('itemNotFound', 404, `Flavor ${decodeURIComponent(flavorId ?? '')} could not be found.`));
      return send(200, { flavor });
    }

    const glance = /^\/(\w+)\/images\/v2\/images(?:\/([^/]+))?$/.exec(requestUrl.pathname);
    if (glance && request.method === 'GET') {
      const [, region, id] = glance;
      if (region !== 'iad') return send(404, glanceNotFound(id ?? ''));
      if (id !== undefined) {
        const image = images.get(decodeURIComponent(id));
        return image ? send(200, image) : send(404, glanceNotFound(decodeURIComponent(id)));
      }
      return listImages(requestUrl, send);
    }

    return send(404, novaFault('itemNotFound', 404, 'The resource could not be found.'));
  }

  function authenticate(body: string, record: RequestRecord, send: (status: number, payload: unknown) => void): void {
    let auth: Json | undefined;
    try {
      auth = (JSON.parse(body) as { auth?: Json }).auth;
    } catch {
      // falls through to the 400 below
    }
    if (auth === undefined || typeof auth !== 'object' || auth === null) {
      record.credentials = 'none';
      return send(400, novaFault('badRequest', 400, 'Invalid json request body'));
    }
    if (auth.tenantId !== undefined && auth.tenantName !== undefined) {
      return send(400, novaFault('badRequest', 400, 'Invalid request. Specify tenantId OR tenantName, not both.'));
    }
    const apiKey = auth['RAX-KSKEY:apiKeyCredentials'] as { username?: unknown; apiKey?: unknown } | undefined;
    const password = auth.passwordCredentials as { username?: unknown; password?: unknown } | undefined;
    record.credentials = apiKey ? 'apiKey' : password ? 'password' : 'none';
    if (apiKey) {
      if (apiKey.username !== USERNAME || apiKey.apiKey !== API_KEY) return send(401, novaFault('unauthorized', 401, 'Username or api key is invalid.'));
    } else if (password) {
      if (password.username !== USERNAME || password.password !== PASSWORD) {
        return send(401, novaFault('unauthorized', 401, 'Unable to authenticate user with credentials provided.'));
      }
    } else {
      return send(400, novaFault('badRequest', 400, 'Invalid request body: unable to parse Auth data. Please review XML or JSON formatting.'));
    }
    const tenant = auth.tenantId ?? auth.tenantName;
    if (tenant !== undefined && tenant !== TENANT) {
      return send(401, novaFault('unauthorized', 401, `Tenant with Name/Id: '${String(tenant)}' is not valid for User '${USERNAME}' (id: '10d2c2d0f3b644b9abea0d9fe80669e4')`));
    }
    issued.add(currentTokenId());
    return send(200, tokenResponse(url, currentTokenId()));
  }

  /** Nova's paging: `limit` capped at osapi_max_limit, `marker` = the last ID seen, a next link when the page is full. */
  function listFlavors(request: IncomingMessage, requestUrl: URL, send: (status: number, payload: unknown) => void): void {
    const params = requestUrl.searchParams;
    const limit = Math.min(Number(params.get('limit') ?? flavorPageSize), flavorPageSize);
    const marker = params.get('marker');
    let start = 0;
    if (marker !== null) {
      const index = flavors.findIndex((flavor) => flavor.id === marker);
      if (index < 0) return send(400, novaFault('badRequest', 400, `marker [${marker}] not found`));
      start = index + 1;
    }
    const page = flavors.slice(start, start + limit);
    const body: Json = { flavors: page };
    if (page.length > 0 && page.length === limit) {
      const next = new URLSearchParams([...params].filter(([key]) => key !== 'marker').sort(([a], [b]) => a.localeCompare(b)));
      next.set('marker', page.at(-1)!.id as string);
      body.flavors_links = [{ href: `http://${request.headers.host}${requestUrl.pathname}?${next}`, rel: 'next' }];
    }
    return send(200, body);
  }

  /**
   * Glance v2 listing: exact `name`, `visibility` and `owner` filters, `limit` (default 25, at most 1000), `marker`,
   * `next` when a page is full.
   */
  function listImages(requestUrl: URL, send: (status: number, payload: unknown) => void): void {
    const params = requestUrl.searchParams;
    const limit = Math.min(Number(params.get('limit') ?? 25), 1000);
    const name = params.get('name');
    const marker = params.get('marker');
    const filters = (['visibility', 'owner'] as const).flatMap((key) => (params.has(key) ? [[key, params.get(key)] as const] : []));
    const matching = [...images.values()].filter(
      (image) => (name === null || image.name === name) && filters.every(([key, value]) => image[key] === value),
    );
    let start = 0;
    if (marker !== null) {
      const index = matching.findIndex((image) => image.id === marker);
      if (index < 0) return send(400, `<html>\n <head>\n  <title>400 Bad Request</title>\n </head>\n <body>\n  <h1>400 Bad Request</h1>\n  Invalid marker. Image ${marker} could not be found.<br /><br />\n\n\n\n </body>\n</html>`);
      start = index + 1;
    }
    const page = matching.slice(start, start + limit);
    const first = new URLSearchParams([...params].filter(([key]) => key !== 'marker'));
    const body: Json = { images: page, schema: '/v2/schemas/images', first: `/v2/images${first.toString() ? `?${first}` : ''}` };
    if (page.length > 0 && page.length === limit) {
      const next = new URLSearchParams(first);
      next.set('marker', page.at(-1)!.id as string);
      body.next = `/v2/images?${next}`;
    }
    return send(200, body);
  }

  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => handle(request, body, response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    authUrl: `${url}/v2.0`,
    log,
    images,
    tokenId: currentTokenId,
    failNext(count, failOptions = {}) {
      failures.push({ count, status: failOptions.status ?? 503, match: failOptions.match ?? /(?:)/ });
    },
    malformNext(count, match = /(?:)/) {
      malformations.push({ count, match });
    },
    revokeTokensAt(match) {
      revocations.push(match);
    },
    hijackNext(count, match, behave) {
      hijacks.push({ count, match, behave });
    },
    pageFlavors(size) {
      flavorPageSize = size;
    },
    reset() {
      log.length = 0;
      flavorPageSize = NOVA_MAX_LIMIT;
      failures = [];
      malformations = [];
      revocations = [];
      hijacks = [];
      restoreImages();
    },
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
