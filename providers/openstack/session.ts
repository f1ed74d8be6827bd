import type * as z from 'zod/mini';
import type { OpenStackConfig, OpenStackProviderId } from './config.js';
import { createOpenStackHttp, OpenStackHttpError, type OpenStackHttp } from './http.js';
import { authenticate, type Token } from './identity.js';
import { findEndpoint, requireEndpoint } from './service-catalog.js';

/**
 * An authenticated OpenStack session: one token, reused until it is about to expire (re-authenticated then, and
 * once more when a service answers 401), and the endpoints of one region. Nothing is sent until a method needs it;
 * concurrent callers share one authentication.
 *
 * On Rackspace, compute is the `cloudServersOpenStack` service and images the `cloudImages` service (type `image`),
 * per Rackspace's Cloud Servers and Cloud Images docs (`service-access.rst` in rackerlabs/docs-cloud-servers and
 * docs-cloud-images).
 */

/** Options of {@link createOpenStackSession}. */
export interface OpenStackSessionOptions {
  /** The transport (default: `createOpenStackHttp()` with its default timeouts and retries). */
  http?: OpenStackHttp;
  /** Clock, for token expiry (default `() => new Date()`). */
  now?: () => Date;
}

/** What the Nova and Glance calls need: endpoints and authenticated JSON reads. */
export interface OpenStackSession {
  readonly provider: OpenStackProviderId;
  /** The region every endpoint is taken from (as configured; upper case on Rackspace). */
  readonly region: string;
  /**
   * A token that is valid for at least 30 more seconds: the cached one, or a new one.
   *
   * @throws what `authenticate` throws (`AuthFailure` for bad credentials, ...).
   */
  token(): Promise<Token>;
  /**
   * The ID of the project (tenant) the token is scoped to, from the cached token (authenticating first if needed):
   * Identity v2.0 `access.token.tenant.id`, Keystone v3 `token.project.id`. `undefined` when the token names none.
   *
   * @throws what `authenticate` throws.
   */
  projectId(): Promise<string | undefined>;
  /**
   * The compute (Nova) endpoint of the region, e.g. `https://iad.servers.api.rackspacecloud.com/v2/123456`.
   *
   * @throws UsageError when the region is not in the catalog for compute (listing the regions it has);
   *   ProviderApiError `ServiceNotFound` when there is no compute service.
   */
  computeUrl(): Promise<string>;
  /**
   * The image (Glance) endpoint of the region as the catalog gives it (it may or may not end in `/v2`), or
   * `undefined` when the catalog has none for the region (use Nova's image proxy then).
   */
  imageUrl(): Promise<string | undefined>;
  /**
   * `GET url` with the session's token, validated with `schema`. A 401 discards the token, authenticates again and
   * retries once.
   *
   * @throws the transport's `OpenStackHttpError` (`NotFound`, `AuthFailure`, `Throttled`, `ServiceError`, `Timeout`,
   *   `Network`, `MalformedResponse`), or what authentication throws.
   */
  getJson<T>(url: string, schema: z.ZodMiniType<T>, options?: { headers?: Readonly<Record<string, string>> }): Promise<T>;
}

/** A token this close to its expiry is renewed first, so it cannot lapse during a request (keystoneauth uses 30 s). */
const EXPIRY_MARGIN_MS = 30_000;

/**
 * Creates a session. Cheap: no request is sent until a method needs a token.
 *
 * @param config - from `resolveOpenStackConfig`.
 * @param options - an injected transport and clock.
 * @returns the session.
 */
export function createOpenStackSession(config: OpenStackConfig, options: OpenStackSessionOptions = {}): OpenStackSession {
  const http = options.http ?? createOpenStackHttp();
  const now = options.now ?? (() => new Date());
  const rackspace = config.provider === 'rackspace';
  let pending: Promise<Token> | undefined;

  function startAuthentication(): Promise<Token> {
    const attempt = authenticate(http, config);
    pending = attempt;
    attempt.catch(() => {
      if (pending === attempt) pending = undefined;
    });
    return attempt;
  }

  /** Replaces the token `stale` resolved to, once: callers holding the same stale promise share the new one. */
  function replace(stale: Promise<Token>): Promise<Token> {
    return pending === stale || pending === undefined ? startAuthentication() : pending;
  }

  async function currentToken(): Promise<{ promise: Promise<Token>; token: Token }> {
    const promise = pending ?? startAuthentication();
    const token = await promise;
    if (token.expiresAt.getTime() - now().getTime() > EXPIRY_MARGIN_MS) return { promise, token };
    const renewed = replace(promise);
    return { promise: renewed, token: await renewed };
  }

  return {
    provider: config.provider,
    region: config.region,

    async token() {
      return (await currentToken()).token;
    },

    async projectId() {
      return (await currentToken()).token.projectId;
    },

    async computeUrl() {
      const { token } = await currentToken();
      return requireEndpoint(token.catalog, {
        type: 'compute',
        ...(rackspace ? { name: 'cloudServersOpenStack' } : {}),
        region: config.region,
        interface: config.interface,
      });
    },

    async imageUrl() {
      const { token } = await currentToken();
      return findEndpoint(token.catalog, {
        type: 'image',
        ...(rackspace ? { name: 'cloudImages' } : {}),
        region: config.region,
        interface: config.interface,
      });
    },

    async getJson<T>(url: string, schema: z.ZodMiniType<T>, options: { headers?: Readonly<Record<string, string>> } = {}): Promise<T> {
      const { promise, token } = await currentToken();
      try {
        return await http.getJson(url, schema, { token: token.id, headers: options.headers });
      } catch (error) {
        if (!(error instanceof OpenStackHttpError && error.status === 401 && error.code === 'AuthFailure')) throw error;
        const renewed = await replace(promise);
        return http.getJson(url, schema, { token: renewed.id, headers: options.headers });
      }
    },
  };
}
