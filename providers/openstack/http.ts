import type { IncomingHttpHeaders } from 'node:http';
import got, { HTTPError, MaxRedirectsError, RequestError, TimeoutError, type CancelableRequest, type Got, type PlainResponse, type Response } from 'got';
import type * as z from 'zod/mini';
import { ProviderApiError } from '../../src/errors.js';
import { formatZodError } from '../../src/model/zod-issues.js';

/**
 * The one HTTP transport of the OpenStack client (got 14, JSON over HTTPS): every request has a timeout, 429 and
 * 502/503/504 are retried a bounded number of times honouring `Retry-After`, bodies are parsed as JSON and checked
 * with a zod schema, and every failure becomes a typed `ProviderApiError` with a one-line message that names the
 * URL and never a credential or token (see {@link redact}). Nothing here knows about Nova, Glance or Keystone
 * beyond the wording of identity failures.
 *
 * Redirects are followed only within the origin (scheme, host and port) that answered, at most
 * {@link MAX_REDIRECTS} in a row, keeping the method and body (the server already has them). A redirect to another
 * origin is refused before anything is sent there: got would re-post a token request's body (the API key or
 * password) on a 307/308 and keep `X-Auth-Token` on every redirect. The refusal is a `Redirect` error naming the
 * target, so the user can point the configuration at it if it is trusted.
 *
 * Bounded in time and size: each attempt ends after `requestMs` end to end (a body trickled byte by byte included),
 * the retries are bounded, and `signal` (the run's `--timeout`) ends whatever is in flight or waiting to retry; a
 * body over `maxResponseBytes` (by `Content-Length`, or as it arrives) stops the request.
 */

/** Timeouts and retry policy of {@link createOpenStackHttp}. Every field has a default. */
export interface OpenStackHttpOptions {
  /** Milliseconds. `requestMs` bounds one attempt end to end (default 10,000); `connectMs` the TCP connect (default 5,000). */
  timeout?: { requestMs?: number; connectMs?: number };
  /**
   * `limit`: retries after the first attempt (default 3, so at most 4 attempts). `baseDelayMs`: first backoff when
   * the answer has no `Retry-After`, doubled per retry (default 1,000). `maxDelayMs`: cap on any one wait
   * (default 30,000); a `Retry-After` longer than that is not waited for: the request fails at once.
   */
  retry?: { limit?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** Receives one line per request, response and retry; secrets are already redacted. Default: no output. */
  debug?: (line: string) => void;
  /**
   * Ends every request, retries included, when it aborts: the run's time limit (`--timeout`), shared by every request
   * of the transport. Absent: no limit beyond the attempts' own.
   */
  signal?: AbortSignal;
  /** The limit `signal` stands for, in milliseconds (for the message). */
  signalLimitMs?: number;
  /** Bytes per response body (default {@link MAX_RESPONSE_BYTES}); a larger one is a `MalformedResponse`. */
  maxResponseBytes?: number;
}

/**
 * Largest response body read, in bytes: 32 MiB, far above the largest answer imglint asks for (a `/flavors/detail`
 * page of 1,000 flavors with their extra specs is well under 1 MiB).
 */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** Per-request options of {@link OpenStackHttp.getJson}. */
export interface GetJsonOptions {
  /** Sent as `X-Auth-Token`. Never logged or echoed; it is scrubbed from every later message of this transport. */
  token?: string;
  /** Further request headers (not secret: they are logged), e.g. a compute microversion. */
  headers?: Readonly<Record<string, string>>;
}

/** Per-request options of {@link OpenStackHttp.postJson}. */
export interface PostJsonOptions {
  /**
   * `identity` marks a token request: a 401 or 403 then means bad credentials and becomes
   * `authentication failed (401) at <url>` rather than a refused token.
   */
  purpose?: 'identity';
}

/** The JSON client every OpenStack call goes through. */
export interface OpenStackHttp {
  /**
   * `GET url` with `Accept: application/json`, parsed and validated.
   *
   * @param url - absolute URL.
   * @param schema - zod schema of the body (envelope checks only; unknown keys pass through when the schema is loose).
   * @returns the parsed body.
   * @throws {@link OpenStackHttpError} (a `ProviderApiError`): `NotFound` (404, for the caller to turn into
   *   "not found"), `AuthFailure` (401: token refused; 403: access denied), `Throttled` (429 after the retries),
   *   `ServiceError` (5xx after the retries, other 4xx), `Timeout` (the attempts' own, or the transport's `signal`
   *   aborted), `Network`, `MalformedResponse` (not JSON, not the schema: the message names the URL and the field
   *   path; or a body over `maxResponseBytes`).
   */
  getJson<T>(url: string, schema: z.ZodMiniType<T>, options?: GetJsonOptions): Promise<T>;
  /**
   * `POST url` with a JSON body, parsed and validated; also returns the response headers (Keystone v3 puts the
   * token in `X-Subject-Token`). Values under secret keys of `body` (`password`, `apiKey`, `secret`) are scrubbed
   * from every later message of this transport. Same errors as {@link OpenStackHttp.getJson}.
   */
  postJson<T>(
    url: string,
    body: unknown,
    schema: z.ZodMiniType<T>,
    options?: PostJsonOptions,
  ): Promise<{ body: T; headers: IncomingHttpHeaders }>;
}

/**
 * What every OpenStack transport failure is: a `ProviderApiError` (exit 3) that also carries the HTTP status
 * (absent for timeouts, network and parse failures) and the URL, so a caller can react to a 401 (re-authenticate)
 * or a 404 (not found) without parsing messages.
 */
export class OpenStackHttpError extends ProviderApiError {
  /** HTTP status of the last attempt, when there was an answer. */
  readonly status: number | undefined;
  /** The request URL (it never carries credentials: tokens go in headers). */
  readonly url: string;

  constructor(code: string, message: string, details: { url: string; status?: number; hint?: string }) {
    super(code, message, { hint: details.hint });
    this.name = 'OpenStackHttpError';
    this.url = details.url;
    this.status = details.status;
  }
}

/**
 * True for the 404 of {@link OpenStackHttp.getJson} (code `NotFound`): the resource does not exist or is not
 * visible. The get-by-id calls of `nova.ts` and `glance.ts` turn it into `undefined`.
 */
export function isNotFound(error: unknown): boolean {
  return error instanceof OpenStackHttpError && error.code === 'NotFound';
}

/** Object keys whose values are secrets wherever they appear (headers, request bodies, clouds.yaml). */
const SECRET_KEY = /^(x-auth-token|x-subject-token|password|apikey|api_key|secret|application_credential_secret|token)$/i;
const MASK = '[redacted]';
/** `"password": "..."`, `apiKey=...`, `X-Auth-Token: ...` in free text (server messages, logged lines). */
const SECRET_IN_TEXT = new RegExp(
  '("?(?:x-auth-token|x-subject-token|password|apikey|api_key|secret|application_credential_secret)"?\\s*[:=]\\s*)' +
    '("[^"]*"|[^\\s,;&"}]+)',
  'gi',
);
/** `https://user:password@host` */
const URL_USERINFO = /(\/\/)[^/@\s:]+:[^/@\s]+@/g;

/**
 * Removes secrets from something about to be logged or put in a message. Objects are rendered as JSON with every
 * value under a secret key (`X-Auth-Token`, `X-Subject-Token`, `password`, `apiKey`, `api_key`, `secret`,
 * `application_credential_secret`, `token` when it is a string) replaced by `[redacted]`; in text, the same
 * `key: value` / `key=value` / `"key": "value"` forms and URL user-info are masked, and every known secret value
 * (`secrets`) is replaced wherever it occurs.
 *
 * @param value - a string, or any JSON-like value (a request body, a header map).
 * @param secrets - literal secret values to scrub (tokens, passwords, API keys); values under 4 characters are
 *   ignored so that masking cannot shred ordinary text.
 * @returns a single string that contains none of the secrets.
 */
export function redact(value: unknown, secrets: Iterable<string> = []): string {
  let text = typeof value === 'string' ? value : JSON.stringify(maskSecretKeys(value)) ?? String(value);
  text = text
    .replace(SECRET_IN_TEXT, (_match, key: string, secret: string) => key + (secret.startsWith('"') ? `"${MASK}"` : MASK))
    .replace(URL_USERINFO, `$1${MASK}@`);
  for (const secret of secrets) {
    if (secret.length >= 4) text = text.split(secret).join(MASK);
  }
  return text;
}

function maskSecretKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecretKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      SECRET_KEY.test(key) && (typeof inner === 'string' || typeof inner === 'number') ? MASK : maskSecretKeys(inner),
    ]),
  );
}

/** Values under secret keys of a request body, to scrub from later messages. */
function collectSecrets(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectSecrets(item, into);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      if (SECRET_KEY.test(key) && typeof inner === 'string') into.add(inner);
      else collectSecrets(inner, into);
    }
  }
}

const DEFAULTS = { requestMs: 10_000, connectMs: 5_000, limit: 3, baseDelayMs: 1_000, maxDelayMs: 30_000 };
/**
 * Statuses worth retrying: throttling (429; Rackspace and older Nova answer 413 `overLimit` with `Retry-After`) and
 * the gateway/unavailable family. 500 is a bug, not a blip.
 */
const RETRY_STATUSES = [413, 429, 502, 503, 504];
/** Socket errors worth retrying (got's list): the request may well succeed a moment later. */
const RETRY_ERROR_CODES = [
  'ETIMEDOUT',
  'ECONNRESET',
  'EADDRINUSE',
  'ECONNREFUSED',
  'EPIPE',
  'ENOTFOUND',
  'ENETUNREACH',
  'EAI_AGAIN',
];
const MAX_SERVER_MESSAGE_CHARS = 200;
/** Same-origin redirects followed in a row before the request fails. */
const MAX_REDIRECTS = 3;

/** Where a redirect points, resolved against the URL that answered; undefined without a usable `Location`. */
function redirectTarget(response: PlainResponse): URL | undefined {
  const location = response.headers.location;
  if (!location) return undefined;
  try {
    return new URL(location, response.url);
  } catch {
    return undefined;
  }
}

/** Follow a redirect only when it stays in the origin of the URL that answered. */
function isSameOriginRedirect(response: PlainResponse): boolean {
  return redirectTarget(response)?.origin === new URL(response.url).origin;
}

/**
 * Creates the transport: one got instance with the timeouts and retry policy of `options`.
 * Retries cover GET and POST (the only POST is a token request, which is safe to repeat), on 429/502/503/504 and
 * on socket errors and timeouts. The wait before a retry is the answer's `Retry-After` (seconds or an HTTP date;
 * 0 or a past date retries at once) or else `baseDelayMs * 2^(retry-1)`, never more than `maxDelayMs`.
 *
 * @param options - timeouts (ms), retry policy, debug sink.
 * @returns an {@link OpenStackHttp}; it keeps the secrets it has seen (tokens, passwords, API keys) to scrub them
 *   from its own messages.
 */
export function createOpenStackHttp(options: OpenStackHttpOptions = {}): OpenStackHttp {
  const requestMs = options.timeout?.requestMs ?? DEFAULTS.requestMs;
  const connectMs = options.timeout?.connectMs ?? DEFAULTS.connectMs;
  const limit = options.retry?.limit ?? DEFAULTS.limit;
  const baseDelayMs = options.retry?.baseDelayMs ?? DEFAULTS.baseDelayMs;
  const maxDelayMs = options.retry?.maxDelayMs ?? DEFAULTS.maxDelayMs;
  const maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  const secrets = new Set<string>();
  const debug = options.debug ? (line: string) => options.debug?.(redact(line, secrets)) : undefined;

  const client: Got = got.extend({
    timeout: { request: requestMs, connect: connectMs },
    followRedirect: isSameOriginRedirect,
    maxRedirects: MAX_REDIRECTS,
    responseType: 'text',
    headers: { accept: 'application/json', 'user-agent': 'imglint' },
    retry: {
      limit,
      methods: ['GET', 'POST'],
      statusCodes: RETRY_STATUSES,
      errorCodes: RETRY_ERROR_CODES,
      maxRetryAfter: maxDelayMs,
      // got computes 0 when it will not retry (limit reached, status not listed, Retry-After over maxRetryAfter).
      // It also reads a Retry-After of 0 as "absent", hence the header is read again here.
      // got also never retries a 413 whose Retry-After it read as absent: Rackspace's overLimit says `Retry-After: 0`.
      calculateDelay: ({ attemptCount, computedValue, error }) => {
        const retryAfterMs = retryAfterFromHeader(error.response?.headers['retry-after']);
        const overLimit = error.response?.statusCode === 413 && retryAfterMs !== undefined && attemptCount <= limit;
        if (computedValue === 0 && !overLimit) return 0;
        // got waits only for a truthy delay: 1 ms stands for "now".
        if (retryAfterMs !== undefined) return Math.max(1, Math.min(retryAfterMs, maxDelayMs));
        return Math.min(baseDelayMs * 2 ** (attemptCount - 1), maxDelayMs);
      },
    },
    hooks: {
      beforeRetry: [
        (error, retryCount) => {
          const why = error.response ? `HTTP ${error.response.statusCode}` : (error.code ?? error.name);
          debug?.(`retry ${retryCount}/${limit} after ${why}: ${error.options.method} ${urlOf(error)}`);
        },
      ],
    },
  });

  async function send(
    method: 'GET' | 'POST',
    url: string,
    request: { token?: string; body?: unknown; purpose?: 'identity'; headers?: Readonly<Record<string, string>> },
  ): Promise<{ text: string; headers: IncomingHttpHeaders; status: number }> {
    if (request.token) secrets.add(request.token);
    if (request.body !== undefined) collectSecrets(request.body, secrets);
    const headers = request.token || request.headers ? { ...request.headers, ...(request.token ? { 'x-auth-token': request.token } : {}) } : undefined;
    debug?.(
      `${method} ${url}` +
        (headers ? ` ${redact(headers)}` : '') +
        (request.body !== undefined ? ` ${redact(request.body)}` : ''),
    );
    const started = Date.now();
    const limits = { tooLarge: false, runOver: false };
    try {
      const pending = client(url, { method, headers, json: request.body });
      pending.on('downloadProgress', ({ transferred, total }) => {
        if (transferred > maxResponseBytes || (total !== undefined && total > maxResponseBytes)) {
          limits.tooLarge = true;
          pending.cancel();
        }
      });
      const response = await withinRunLimit(pending, options.signal, limits);
      debug?.(`${response.statusCode} ${method} ${url} (${Date.now() - started} ms)`);
      if (response.statusCode >= 300 && response.statusCode < 400) throw refusedRedirect(method, url, response, (text) => redact(text, secrets));
      const subjectToken = response.headers['x-subject-token'];
      if (typeof subjectToken === 'string') secrets.add(subjectToken);
      return { text: response.body, headers: response.headers, status: response.statusCode };
    } catch (error) {
      if (error instanceof OpenStackHttpError) throw error;
      const mapped = limits.runOver
        ? new OpenStackHttpError('Timeout', `${method} ${url} did not finish within ${runLimit(options.signalLimitMs)}`, {
            url,
            hint: 'raise it with --timeout <seconds>, or check the network and the endpoint (OS_AUTH_URL, or the service catalog)',
          })
        : limits.tooLarge
          ? new OpenStackHttpError('MalformedResponse', `malformed response from ${url}: the answer is larger than ${maxResponseBytes / 1024 / 1024} MiB`, {
              url,
              hint: 'check the endpoint (OS_AUTH_URL, or the service catalog): it does not answer like an OpenStack API',
            })
          : mapError(error, method, url, request.purpose, requestMs, (text) => redact(text, secrets));
      debug?.(`failed ${method} ${url}: ${mapped.code}: ${mapped.message}`);
      throw mapped;
    }
  }

  function parse<T>(url: string, text: string, schema: z.ZodMiniType<T>): T {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new OpenStackHttpError('MalformedResponse', `the response from ${url} is not JSON`, {
        url,
        hint: 'check the endpoint (OS_AUTH_URL, or the service catalog): it does not answer like an OpenStack API',
      });
    }
    const result = schema.safeParse(json);
    if (!result.success) {
      throw new OpenStackHttpError(
        'MalformedResponse',
        `unexpected response from ${url}: ${formatZodError(result.error)}`,
        { url, hint: 'the endpoint answered JSON that is not the OpenStack API shape imglint expects' },
      );
    }
    return result.data;
  }

  return {
    async getJson(url, schema, getOptions = {}) {
      const { text } = await send('GET', url, { token: getOptions.token, headers: getOptions.headers });
      return parse(url, text, schema);
    },
    async postJson(url, body, schema, postOptions = {}) {
      const { text, headers } = await send('POST', url, { body, purpose: postOptions.purpose });
      return { body: parse(url, text, schema), headers };
    },
  };
}

/**
 * `request`, unless `signal` aborts first: then the request is cancelled (its socket closed, no retry follows) and
 * `limits.runOver` says why it failed.
 */
function withinRunLimit(
  request: CancelableRequest<Response<string>>,
  signal: AbortSignal | undefined,
  limits: { runOver: boolean },
): Promise<Response<string>> {
  if (!signal) return request;
  return new Promise((resolve, reject) => {
    const stop = () => {
      limits.runOver = true;
      request.cancel();
      reject(new Error('the time limit of the run is over'));
    };
    if (signal.aborted) return stop();
    signal.addEventListener('abort', stop, { once: true });
    request.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}

function runLimit(ms: number | undefined): string {
  return ms === undefined ? 'the time limit of this run' : `${ms / 1000} s, the time limit of this run`;
}

/**
 * Milliseconds to wait from a `Retry-After` value: delta-seconds (`"0"`, `"2"`) or an HTTP date (a past date
 * means now). `undefined` when absent or unreadable.
 */
function retryAfterFromHeader(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function urlOf(error: RequestError): string {
  const url = error.options?.url;
  return url ? String(url) : '(unknown URL)';
}

function attempts(error: RequestError): string {
  const count = (error.request?.retryCount ?? 0) + 1;
  return count > 1 ? ` after ${count} attempts` : '';
}

/** OpenStack fault bodies: `{"itemNotFound": {"message": "...", "code": 404}}`, Keystone `{"error": {...}}`. */
function serverMessage(body: unknown, scrub: (text: string) => string): string | undefined {
  if (typeof body !== 'string' || body === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  for (const fault of Object.values(json)) {
    const message = (fault as { message?: unknown } | null)?.message;
    if (typeof message === 'string' && message.trim() !== '') {
      const flat = scrub(message.replace(/\s+/g, ' ').trim());
      return flat.length > MAX_SERVER_MESSAGE_CHARS ? `${flat.slice(0, MAX_SERVER_MESSAGE_CHARS - 1)}…` : flat;
    }
  }
  return undefined;
}

/**
 * The error for a redirect got did not follow (another origin, or no usable `Location`): got hands such an answer
 * back as a response.
 */
function refusedRedirect(method: 'GET' | 'POST', url: string, response: PlainResponse, scrub: (text: string) => string): OpenStackHttpError {
  const status = response.statusCode;
  const target = redirectTarget(response);
  const from = scrub(response.url);
  if (!target) {
    return new OpenStackHttpError('Redirect', `${method} ${from} answered ${status} without a Location header`, {
      url,
      status,
      hint: 'the endpoint does not answer like an OpenStack API: check OS_AUTH_URL and the service catalog',
    });
  }
  return new OpenStackHttpError(
    'Redirect',
    `${method} ${from} redirected (${status}) to ${scrub(target.href)}, another origin: not followed, so that no credential is sent there`,
    {
      url,
      status,
      hint: `imglint follows redirects only within one origin; if you trust ${scrub(target.origin)}, use it in OS_AUTH_URL (or the endpoint override) directly`,
    },
  );
}

/**
 * The typed error for whatever got threw. The got error is not kept as `cause`: its options hold the request
 * headers and body (the token, the password).
 */
function mapError(
  error: unknown,
  method: 'GET' | 'POST',
  url: string,
  purpose: 'identity' | undefined,
  requestMs: number,
  scrub: (text: string) => string,
): OpenStackHttpError {
  if (error instanceof MaxRedirectsError) {
    const last = error.request?.redirectUrls.at(-1);
    return new OpenStackHttpError(
      'Redirect',
      `${method} ${url} was redirected more than ${MAX_REDIRECTS} times${last ? ` (last to ${scrub(String(last))})` : ''}`,
      { url, status: error.response?.statusCode, hint: 'the endpoint redirects in a loop: check OS_AUTH_URL and the service catalog' },
    );
  }
  if (error instanceof HTTPError) {
    const status = error.response.statusCode;
    const said = serverMessage(error.response.body, scrub);
    const suffix = said ? `: ${said}` : '';
    if (purpose === 'identity' && (status === 401 || status === 403)) {
      return new OpenStackHttpError('AuthFailure', `authentication failed (${status}) at ${url}`, {
        url,
        status,
        hint:
          (said ? `the identity service says "${said}"; ` : '') +
          (status === 401
            ? 'check the user name and password, API key or application credential, and the auth URL (OS_AUTH_URL)'
            : 'the user is disabled, or needs multi-factor authentication, or may not use this project'),
      });
    }
    if (status === 401) {
      return new OpenStackHttpError('AuthFailure', `token refused (401) at ${url}${suffix}`, {
        url,
        status,
        hint: 'the token expired or was revoked; run again, and check the credentials if it persists',
      });
    }
    if (status === 403) {
      return new OpenStackHttpError('AuthFailure', `access denied (403) at ${url}${suffix}`, {
        url,
        status,
        hint: 'the account or its role may not make this call; ask the cloud administrator',
      });
    }
    if (status === 404) {
      return new OpenStackHttpError('NotFound', `not found (404) at ${url}${suffix}`, { url, status });
    }
    if (status === 429 || status === 413) {
      const retryAfter = retryAfterFromHeader(error.response.headers['retry-after']);
      const wait = retryAfter ? `; the server asks to wait ${Math.ceil(retryAfter / 1000)} s` : '';
      return new OpenStackHttpError('Throttled', `throttled (${status}) at ${url}${attempts(error)}${wait}`, {
        url,
        status,
        hint: 'the API rate limit was reached; wait a minute and run again',
      });
    }
    if (status >= 500) {
      return new OpenStackHttpError('ServiceError', `service error (${status}) at ${url}${attempts(error)}${suffix}`, {
        url,
        status,
        hint: 'the cloud had a server-side problem; retry later',
      });
    }
    return new OpenStackHttpError('ServiceError', `request rejected (${status}) at ${url}${suffix}`, { url, status });
  }
  if (error instanceof TimeoutError) {
    const limit = error.event === 'request' ? `${requestMs} ms` : `${error.event} timeout`;
    return new OpenStackHttpError('Timeout', `no answer within ${limit} from ${url}${attempts(error)}`, {
      url,
      hint: 'check the network and proxy settings; the endpoint may be down or overloaded',
    });
  }
  if (error instanceof RequestError) {
    const code = error.code ?? error.name;
    return new OpenStackHttpError('Network', `cannot reach ${url}: ${code}${attempts(error)}`, {
      url,
      hint: 'check the network, proxy and DNS, and the URL (OS_AUTH_URL, or the service catalog)',
    });
  }
  const text = scrub(error instanceof Error ? error.message : String(error));
  return new OpenStackHttpError('Network', `request to ${url} failed: ${text}`, { url });
}
