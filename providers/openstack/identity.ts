import * as z from 'zod/mini';
import { UsageError } from '../../src/errors.js';
import type { EndpointInterface, OpenStackConfig } from './config.js';
import { OpenStackHttpError, type OpenStackHttp } from './http.js';

/**
 * Authentication: Identity v2.0 (`POST {authUrl}/tokens`, Rackspace API key or password) and Keystone v3
 * (`POST {authUrl}/auth/tokens`, password or application credential), both normalised to one {@link Token}.
 *
 * Sources: Rackspace Identity v2.0 docs (rackerlabs/docs-cloud-identity @ 1ca4c589, `sample-auth-req-response.rst`,
 * `post-authenticate-as-user-with-password-or-api-key-v2.0-tokens.rst`); Keystone v3 API reference
 * (docs.openstack.org/api-ref/identity/v3/ "Password authentication with scoped authorization", "Authenticating
 * with an Application Credential"; samples in openstack/keystone `api-ref/source/v3/samples/admin/`).
 */

/** One endpoint of a catalog service. v2.0's `publicURL`/`internalURL`/`adminURL` become one entry each. */
export interface CatalogEndpoint {
  /** Region name as the catalog spells it (`IAD`, `RegionOne`); absent on region-less (global) endpoints. */
  region?: string;
  interface: EndpointInterface;
  url: string;
}

/** One service of the catalog (`{type: 'compute', name: 'cloudServersOpenStack', endpoints: [...]}`). */
export interface ServiceCatalogEntry {
  type: string;
  /** Service name; empty when the catalog gives none. */
  name: string;
  endpoints: CatalogEndpoint[];
}

/** An authentication token, whatever the identity version. */
export interface Token {
  /** Sent as `X-Auth-Token`. A secret: never log it. */
  id: string;
  /** When the identity service says the token stops working. */
  expiresAt: Date;
  /** The service catalog that came with the token (empty for an unscoped v3 token). */
  catalog: ServiceCatalogEntry[];
  /**
   * The project (tenant) the token is scoped to: Identity v2.0 `access.token.tenant.id` (Rackspace: the account
   * number, e.g. `929418`), Keystone v3 `token.project.id`. Absent for an unscoped or domain-scoped token.
   */
  projectId?: string;
}

/** Identity API version and the URL a token is requested from. */
export interface IdentityTarget {
  version: 'v2.0' | 'v3';
  tokensUrl: string;
}

/**
 * Decides the identity version and token URL. A trailing `/v2.0` or `/v3` on `authUrl` decides; otherwise
 * `identityApiVersion` when set; otherwise v3 when the configuration has v3-only fields (an application
 * credential, a user or project domain), else v2.0 (which Rackspace's API key needs).
 *
 * @param config - the resolved configuration.
 * @returns `{version, tokensUrl}`, e.g. `{version: 'v2.0', tokensUrl: 'https://identity.api.rackspacecloud.com/v2.0/tokens'}`.
 */
export function identityTarget(config: OpenStackConfig): IdentityTarget {
  const base = config.authUrl.replace(/\/+$/, '');
  const suffix = /\/(v2\.0|v3)$/.exec(base)?.[1] as IdentityTarget['version'] | undefined;
  const { credentials, project } = config;
  const v3Fields =
    credentials.method === 'application-credential' ||
    (credentials.method === 'password' && (credentials.userDomainName ?? credentials.userDomainId) !== undefined) ||
    (project?.domainName ?? project?.domainId) !== undefined;
  const version = suffix ?? config.identityApiVersion ?? (v3Fields ? 'v3' : 'v2.0');

  const root = suffix ? base : `${base}/${version}`;
  return { version, tokensUrl: version === 'v3' ? `${root}/auth/tokens` : `${root}/tokens` };
}

/**
 * Requests a new token.
 *
 * v2.0 body: `{"auth": {"RAX-KSKEY:apiKeyCredentials": {"username", "apiKey"}}}` or
 * `{"auth": {"passwordCredentials": {"username", "password"}}}`, plus `tenantId` (preferred) or `tenantName`,
 * never both (Rackspace answers 400 to both). The token is `access.token.id`, the catalog `access.serviceCatalog`,
 * the project `access.token.tenant.id`.
 *
 * v3 body: `{"auth": {"identity": {"methods": ["password"], "password": {"user": {"name", "domain", "password"}}},
 * "scope": {"project": ...}}}` (user domain default `{"id": "default"}`, as python-openstackclient does; the project by
 * id, or by name in its domain) or `{"auth": {"identity": {"methods": ["application_credential"],
 * "application_credential": {"id", "secret"}}}}` (no scope: the credential has one). The token is the
 * `X-Subject-Token` header, the catalog `token.catalog`, the project `token.project.id`.
 *
 * @param http - the transport.
 * @param config - the resolved configuration.
 * @returns the normalised token.
 * @throws ProviderApiError `AuthFailure` with the message `authentication failed (401) at <tokens URL>` for
 *   rejected credentials (401/403); `MalformedResponse` when the answer lacks the token, its expiry or the
 *   `X-Subject-Token` header; the transport's other errors (`Network`, `Timeout`, `ServiceError`, ...).
 *   UsageError, before any request, when the credentials cannot work with the identity version (a Rackspace API key
 *   on v3, an application credential on v2.0).
 */
export async function authenticate(http: OpenStackHttp, config: OpenStackConfig): Promise<Token> {
  try {
    return await requestToken(http, config);
  } catch (error) {
    // Say which credentials were refused: with several sets configured, that is the first thing to check.
    if (!(error instanceof OpenStackHttpError && error.code === 'AuthFailure' && config.credentialsFrom)) throw error;
    throw new OpenStackHttpError(error.code, error.message, {
      url: error.url,
      status: error.status,
      hint: `${error.hint ? `${error.hint}; ` : ''}imglint sent ${config.credentialsFrom}`,
    });
  }
}

async function requestToken(http: OpenStackHttp, config: OpenStackConfig): Promise<Token> {
  const target = identityTarget(config);
  if (target.version === 'v2.0') {
    const { body } = await http.postJson(target.tokensUrl, v2RequestBody(config), V2TokenResponse, {
      purpose: 'identity',
    });
    const { token, serviceCatalog = [] } = body.access;
    const projectId = token.tenant?.id;
    return {
      id: token.id,
      expiresAt: new Date(token.expires),
      ...(projectId ? { projectId } : {}),
      catalog: serviceCatalog.map((service) => ({
        type: service.type,
        name: service.name ?? '',
        endpoints: service.endpoints.flatMap((endpoint) =>
          V2_URL_KEYS.flatMap(([key, endpointInterface]) => {
            const url = endpoint[key];
            if (url === undefined) return [];
            return [{ ...(endpoint.region ? { region: endpoint.region } : {}), interface: endpointInterface, url }];
          }),
        ),
      })),
    };
  }
  const { body, headers } = await http.postJson(target.tokensUrl, v3RequestBody(config), V3TokenResponse, {
    purpose: 'identity',
  });
  const subjectToken = headers['x-subject-token'];
  if (typeof subjectToken !== 'string' || subjectToken === '') {
    throw new OpenStackHttpError('MalformedResponse', `no X-Subject-Token header in the response from ${target.tokensUrl}`, {
      url: target.tokensUrl,
      hint: 'the endpoint does not behave like Keystone v3; check OS_AUTH_URL',
    });
  }
  const projectId = body.token.project?.id;
  return {
    id: subjectToken,
    expiresAt: new Date(body.token.expires_at),
    ...(projectId ? { projectId } : {}),
    catalog: (body.token.catalog ?? []).map((service) => ({
      type: service.type,
      name: service.name ?? '',
      endpoints: service.endpoints.flatMap((endpoint) => {
        const region = endpoint.region_id ?? endpoint.region;
        return [{ ...(region ? { region } : {}), interface: endpoint.interface, url: endpoint.url }];
      }),
    })),
  };
}

function v2RequestBody(config: OpenStackConfig): unknown {
  const { credentials, project } = config;
  const tenant = project?.id ? { tenantId: project.id } : project?.name ? { tenantName: project.name } : {};
  switch (credentials.method) {
    case 'rax-api-key':
      return {
        auth: {
          'RAX-KSKEY:apiKeyCredentials': { username: credentials.username, apiKey: credentials.apiKey },
          ...tenant,
        },
      };
    case 'password':
      return {
        auth: { passwordCredentials: { username: credentials.username, password: credentials.password }, ...tenant },
      };
    case 'application-credential':
      throw new UsageError(`application credentials need Keystone v3, but ${config.authUrl} is Identity v2.0`, {
        hint: 'set OS_AUTH_URL to the v3 endpoint (…/v3) or OS_IDENTITY_API_VERSION=3',
      });
  }
}

function v3RequestBody(config: OpenStackConfig): unknown {
  const { credentials, project } = config;
  switch (credentials.method) {
    case 'application-credential':
      return {
        auth: {
          identity: {
            methods: ['application_credential'],
            application_credential: { id: credentials.id, secret: credentials.secret },
          },
        },
      };
    case 'password': {
      const user = {
        name: credentials.username,
        domain: domainRef(credentials.userDomainId, credentials.userDomainName),
        password: credentials.password,
      };
      const scope = project?.id
        ? { project: { id: project.id } }
        : project?.name
          ? { project: { name: project.name, domain: domainRef(project.domainId, project.domainName) } }
          : undefined;
      return {
        auth: { identity: { methods: ['password'], password: { user } }, ...(scope ? { scope } : {}) },
      };
    }
    case 'rax-api-key':
      throw new UsageError(`a Rackspace API key needs Identity v2.0, but ${config.authUrl} is Keystone v3`, {
        hint:
          'set OS_AUTH_URL to https://identity.api.rackspacecloud.com/v2.0/ ' +
          '(UK accounts: https://lon.identity.api.rackspacecloud.com/v2.0/)',
      });
  }
}

/** A v3 domain reference: by id when known, else by name, else the `default` domain (python-openstackclient's default). */
function domainRef(id: string | undefined, name: string | undefined): { id: string } | { name: string } {
  if (id !== undefined) return { id };
  if (name !== undefined) return { name };
  return { id: 'default' };
}

const V2_URL_KEYS = [
  ['publicURL', 'public'],
  ['internalURL', 'internal'],
  ['adminURL', 'admin'],
] as const;

const IsoDate = z.string().check(z.refine((text) => !Number.isNaN(Date.parse(text)), 'expected an ISO 8601 date'));

/** Identity v2.0 `POST /tokens` 200 body: the parts imglint reads. */
const V2TokenResponse = z.object({
  access: z.object({
    token: z.object({
      id: z.string().check(z.minLength(1)),
      expires: IsoDate,
      /** The tenant the token is scoped to (`{"id": "929418", "name": "929418"}` on Rackspace). */
      tenant: z.optional(z.object({ id: z.optional(z.string()) })),
    }),
    serviceCatalog: z.optional(
      z.array(
        z.object({
          type: z.string(),
          name: z.optional(z.string()),
          endpoints: z.array(
            z.object({
              region: z.optional(z.string()),
              publicURL: z.optional(z.string()),
              internalURL: z.optional(z.string()),
              adminURL: z.optional(z.string()),
            }),
          ),
        }),
      ),
    ),
  }),
});

/** Keystone v3 `POST /auth/tokens` 201 body: the parts imglint reads (the token itself is a header). */
const V3TokenResponse = z.object({
  token: z.object({
    expires_at: IsoDate,
    /** Present on a project-scoped token (password with a project scope, application credential). */
    project: z.optional(z.object({ id: z.optional(z.string()) })),
    catalog: z.optional(
      z.array(
        z.object({
          type: z.string(),
          name: z.optional(z.string()),
          endpoints: z.array(
            z.object({
              interface: z.enum(['public', 'internal', 'admin']),
              region_id: z.optional(z.nullable(z.string())),
              region: z.optional(z.nullable(z.string())),
              url: z.string(),
            }),
          ),
        }),
      ),
    ),
  }),
});
