import type { Readable } from 'node:stream';
import { rememberRequestSecrets, redactAwsSecrets } from './redact.js';

/**
 * The request handler of imglint's EC2 client: the SDK's own `NodeHttpHandler` (agents, TLS, connection timeout)
 * wrapped so that every attempt is bounded end to end and every answer is read whole before the SDK sees it:
 *
 * - an attempt (connect, send, headers and the whole body) gets at most `attemptTimeoutMs`, then fails with a
 *   retryable `TimeoutError` (the SDK's own `requestTimeout` stops at the headers: a body trickled at 1 byte/s
 *   would hold a run forever);
 * - a body longer than `maxResponseBytes` (by `Content-Length`, or as it arrives) stops the request;
 * - a redirect (3xx) is never followed: signed EC2 requests are not re-sent elsewhere;
 * - a 2xx whose body is not the operation's XML document (`<DescribeImagesResponse ...>...</DescribeImagesResponse>`:
 *   empty, HTML from a proxy or captive portal, cut short) is an error, never an empty answer.
 *
 * Those failures are {@link Ec2TransportError}s, which `errors.ts` turns into imglint's messages. Errors (4xx,
 * 5xx) pass to the SDK, which reads EC2's error document and retries what is transient.
 */

/** What the SDK hands a request handler (the fields used here). */
export interface Ec2HttpRequest {
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  headers: Record<string, string>;
  body?: unknown;
}

/** What a request handler answers. */
export interface Ec2HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body?: unknown;
}

interface HandlerOptions {
  abortSignal?: AbortSignal;
  requestTimeout?: number;
}

/** The SDK's `NodeHttpHandler`, as far as this wrapper uses it. */
export interface InnerHttpHandler {
  handle(request: Ec2HttpRequest, options?: HandlerOptions): Promise<{ response: Ec2HttpResponse }>;
  updateHttpClientConfig(key: never, value: never): void;
  httpHandlerConfigs(): object;
  destroy?(): void;
}

/** Why an attempt failed in the transport (see {@link Ec2TransportError}). */
export type Ec2TransportFailure = 'AttemptTimeout' | 'ResponseTooLarge' | 'Redirect' | 'MalformedResponse';

/**
 * A transport failure of one EC2 request. `name` is `TimeoutError` for `AttemptTimeout` (so the SDK retries it like
 * its own timeouts) and `Ec2TransportError` otherwise (not retried: the same answer would come back).
 */
export class Ec2TransportError extends Error {
  readonly failure: Ec2TransportFailure;
  /** `https://ec2.us-east-1.amazonaws.com/`: where the request went. */
  readonly endpoint: string;
  /** The EC2 action (`DescribeImages`), or `EC2` when the request body did not say. */
  readonly operation: string;
  readonly statusCode: number | undefined;

  constructor(failure: Ec2TransportFailure, message: string, details: { endpoint: string; operation: string; statusCode?: number }) {
    super(message);
    this.name = failure === 'AttemptTimeout' ? 'TimeoutError' : 'Ec2TransportError';
    this.failure = failure;
    this.endpoint = details.endpoint;
    this.operation = details.operation;
    this.statusCode = details.statusCode;
  }

  /** True for this class, also across copies of the module (the bundle and the sources in tests). */
  static is(error: unknown): error is Ec2TransportError {
    return error instanceof Error && typeof (error as Partial<Ec2TransportError>).failure === 'string' && 'endpoint' in error;
  }
}

/** Limits of {@link boundedHttpHandler}. */
export interface HandlerLimits {
  /** Milliseconds for one attempt, body included. */
  attemptTimeoutMs: number;
  /** Bytes of one response body. */
  maxResponseBytes: number;
  /** Receives one line per attempt (already redacted); absent: nothing is logged. */
  debug?: (line: string) => void;
}

/**
 * Wraps `inner` with the limits and checks described above.
 *
 * @param inner - a `NodeHttpHandler` (its own request timeout unset: this wrapper times the whole attempt).
 * @param limits - per-attempt time and body size, and the debug sink.
 * @returns a handler for the `requestHandler` option of `EC2Client`.
 */
export function boundedHttpHandler(inner: InnerHttpHandler, limits: HandlerLimits): InnerHttpHandler {
  return {
    updateHttpClientConfig: (key, value) => inner.updateHttpClientConfig(key, value),
    httpHandlerConfigs: () => ({ ...inner.httpHandlerConfigs(), attemptTimeoutMs: limits.attemptTimeoutMs, maxResponseBytes: limits.maxResponseBytes }),
    destroy: () => inner.destroy?.(),
    async handle(request, options = {}) {
      rememberRequestSecrets(request.headers);
      const where = { endpoint: endpointOf(request), operation: actionOf(request.body) };
      const started = Date.now();
      const attempt = new AbortController();
      const timer = setTimeout(() => attempt.abort(), limits.attemptTimeoutMs);
      const signal = options.abortSignal ? AbortSignal.any([attempt.signal, options.abortSignal]) : attempt.signal;
      const timedOut = () =>
        new Ec2TransportError('AttemptTimeout', `no complete answer within ${seconds(limits.attemptTimeoutMs)}`, where);
      try {
        let response: Ec2HttpResponse;
        try {
          ({ response } = await inner.handle(request, { ...options, abortSignal: signal }));
        } catch (error) {
          throw attempt.signal.aborted && !options.abortSignal?.aborted ? timedOut() : error;
        }
        const body = await readBody(response, signal, limits.maxResponseBytes, where).catch((error: unknown) => {
          throw attempt.signal.aborted && !options.abortSignal?.aborted ? timedOut() : error;
        });
        limits.debug?.(
          redactAwsSecrets(`EC2 ${where.operation} ${where.endpoint}: HTTP ${response.statusCode}, ${body.length} bytes, ${Date.now() - started} ms`),
        );
        checkAnswer(response, body, where);
        response.body = body;
        return { response };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Reads the whole body, stopping at `max` bytes or when `signal` aborts. */
async function readBody(
  response: Ec2HttpResponse,
  signal: AbortSignal,
  max: number,
  where: { endpoint: string; operation: string },
): Promise<Buffer> {
  const stream = response.body as Readable | undefined;
  if (stream === undefined || stream === null) return Buffer.alloc(0);
  const tooLarge = () =>
    new Ec2TransportError('ResponseTooLarge', `the answer is larger than ${mebibytes(max)}`, { ...where, statusCode: response.statusCode });
  const declared = Number(headerOf(response, 'content-length'));
  if (Number.isFinite(declared) && declared > max) {
    stream.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let length = 0;
  const abort = () => stream.destroy(new Error('aborted'));
  signal.addEventListener('abort', abort, { once: true });
  try {
    if (signal.aborted) abort();
    for await (const chunk of stream) {
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      length += bytes.length;
      if (length > max) {
        stream.destroy();
        throw tooLarge();
      }
      chunks.push(bytes);
    }
  } finally {
    signal.removeEventListener('abort', abort);
  }
  return Buffer.concat(chunks, length);
}

/** Redirects and answers that are not the operation's XML document fail here; errors go on to the SDK. */
function checkAnswer(response: Ec2HttpResponse, body: Buffer, where: { endpoint: string; operation: string }): void {
  const status = response.statusCode;
  if (status >= 300 && status < 400) {
    const location = headerOf(response, 'location');
    const to = location ? `a redirect to ${originOf(location)}` : 'a redirect';
    throw new Ec2TransportError('Redirect', `the answer is HTTP ${status}, ${to}`, { ...where, statusCode: status });
  }
  if (status < 200 || status >= 300) return;
  const problem = notTheAnswer(body.toString('utf8'), where.operation);
  if (problem) throw new Ec2TransportError('MalformedResponse', `the HTTP ${status} body ${problem}`, { ...where, statusCode: status });
}

/** What is wrong with a 2xx body as the answer to `operation`, or undefined when it looks like one. */
function notTheAnswer(text: string, operation: string): string | undefined {
  const trimmed = text.replace(/^\uFEFF/, '').replace(/^\s*<\?xml[^>]*\?>/, '').trim();
  if (trimmed === '') return 'is empty';
  if (/^<!doctype\s+html/i.test(trimmed)) return 'is an HTML page, not EC2 XML';
  const root = /^<([A-Za-z_][\w.-]*)/.exec(trimmed)?.[1];
  if (root === undefined) return `is not XML (it starts with ${JSON.stringify(trimmed.slice(0, 24))})`;
  if (/^html$/i.test(root)) return 'is an HTML page, not EC2 XML';
  const expected = operation === 'EC2' ? undefined : `${operation}Response`;
  if (expected !== undefined && root !== expected) return `is <${root}> XML, not <${expected}>`;
  if (!new RegExp(`</${root}>$`).test(trimmed)) return `is cut short (no closing </${root}>)`;
  return undefined;
}

function headerOf(response: Ec2HttpResponse, name: string): string | undefined {
  const key = Object.keys(response.headers ?? {}).find((header) => header.toLowerCase() === name);
  return key === undefined ? undefined : response.headers[key];
}

/** `https://host:port/path`, without query or user-info. */
function endpointOf(request: Ec2HttpRequest): string {
  const port = request.port ? `:${request.port}` : '';
  return `${request.protocol}//${request.hostname}${port}${request.path || '/'}`;
}

/** A redirect target's origin only: its path and query may carry anything. */
function originOf(location: string): string {
  try {
    return new URL(location).origin;
  } catch {
    return 'an address that is not a URL';
  }
}

/** The `Action` of an EC2 query request body (`Action=DescribeImages&Version=...`). */
function actionOf(body: unknown): string {
  const text = typeof body === 'string' ? body : Buffer.isBuffer(body) || body instanceof Uint8Array ? Buffer.from(body).toString() : '';
  return /(?:^|&)Action=([A-Za-z0-9]+)/.exec(text)?.[1] ?? 'EC2';
}

const seconds = (ms: number) => `${ms % 1000 === 0 ? ms / 1000 : (ms / 1000).toFixed(1)} s`;
const mebibytes = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;
