import type { Readable } from 'node:stream';
import { rememberRequestSecrets, redactAwsSecrets } from './redact.js';

/**
 * The request handler of imglint's EC2 and SSM clients: the SDK's own `NodeHttpHandler` (agents, TLS, connection
 * timeout) wrapped so that every attempt is bounded end to end and every answer is read whole before the SDK sees it:
 *
 * - an attempt (connect, send, headers and the whole body) gets at most `attemptTimeoutMs`, then fails with a
 *   retryable `TimeoutError` (the SDK's own `requestTimeout` stops at the headers: a body trickled at 1 byte/s
 *   would hold a run forever);
 * - a body longer than `maxResponseBytes` (by `Content-Length`, or as it arrives) stops the request;
 * - a redirect (3xx) is never followed: signed requests are not re-sent elsewhere;
 * - a 2xx whose body is not the operation's answer in the service's protocol (EC2's Query protocol: the XML document
 *   `<DescribeImagesResponse ...>...</DescribeImagesResponse>`; AWS JSON (SSM): one JSON object) — empty, HTML from a
 *   proxy or captive portal, cut short — is an error, never an empty answer.
 *
 * Those failures are {@link AwsTransportError}s, which `errors.ts` turns into imglint's messages. Errors (4xx,
 * 5xx) pass to the SDK, which reads the service's error document and retries what is transient.
 */

/** What the SDK hands a request handler (the fields used here). */
export interface AwsHttpRequest {
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  headers: Record<string, string>;
  body?: unknown;
}

/** What a request handler answers. */
export interface AwsHttpResponse {
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
  handle(request: AwsHttpRequest, options?: HandlerOptions): Promise<{ response: AwsHttpResponse }>;
  updateHttpClientConfig(key: never, value: never): void;
  httpHandlerConfigs(): object;
  destroy?(): void;
}

/** Why an attempt failed in the transport (see {@link AwsTransportError}). */
export type AwsTransportFailure = 'AttemptTimeout' | 'ResponseTooLarge' | 'Redirect' | 'MalformedResponse';

/**
 * A transport failure of one request. `name` is `TimeoutError` for `AttemptTimeout` (so the SDK retries it like
 * its own timeouts) and `AwsTransportError` otherwise (not retried: the same answer would come back).
 */
export class AwsTransportError extends Error {
  readonly failure: AwsTransportFailure;
  /** `https://ec2.us-east-1.amazonaws.com/`: where the request went. */
  readonly endpoint: string;
  /** The action (`DescribeImages`, `GetParameters`), or the service's name when the request did not say. */
  readonly operation: string;
  readonly statusCode: number | undefined;

  constructor(failure: AwsTransportFailure, message: string, details: { endpoint: string; operation: string; statusCode?: number }) {
    super(message);
    this.name = failure === 'AttemptTimeout' ? 'TimeoutError' : 'AwsTransportError';
    this.failure = failure;
    this.endpoint = details.endpoint;
    this.operation = details.operation;
    this.statusCode = details.statusCode;
  }

  /** True for this class, also across copies of the module (the bundle and the sources in tests). */
  static is(error: unknown): error is AwsTransportError {
    return error instanceof Error && typeof (error as Partial<AwsTransportError>).failure === 'string' && 'endpoint' in error;
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
  /** The protocol of the answers (default {@link EC2_QUERY}). */
  protocol?: AnswerProtocol;
}

/** How a service's requests name their operation and what its 2xx answers look like. */
export interface AnswerProtocol {
  /** `EC2`, `SSM`: for messages. */
  service: string;
  /** The operation a request asks for, or undefined when it does not say. */
  operationOf(request: AwsHttpRequest): string | undefined;
  /** What is wrong with a 2xx body as the answer to `operation`, or undefined when it looks like one. */
  problem(text: string, operation: string | undefined): string | undefined;
}

/** EC2's Query protocol: `Action=DescribeImages&...` in, `<DescribeImagesResponse>...</DescribeImagesResponse>` out. */
export const EC2_QUERY: AnswerProtocol = {
  service: 'EC2',
  operationOf: (request) => actionOf(request.body),
  problem: notTheXmlAnswer,
};

/**
 * AWS JSON 1.1 (SSM): `X-Amz-Target: AmazonSSM.GetParameters` and a JSON request in, one JSON object out (the
 * output shape; `{}` when every member is empty).
 */
export const AWS_JSON: AnswerProtocol = {
  service: 'SSM',
  operationOf: (request) => /\.([A-Za-z0-9]+)$/.exec(headerIn(request.headers, 'x-amz-target') ?? '')?.[1],
  problem: notAJsonObject,
};

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
      const protocol = limits.protocol ?? EC2_QUERY;
      const operation = protocol.operationOf(request);
      const where = { endpoint: endpointOf(request), operation: operation ?? protocol.service };
      const started = Date.now();
      const attempt = new AbortController();
      const timer = setTimeout(() => attempt.abort(), limits.attemptTimeoutMs);
      const signal = options.abortSignal ? AbortSignal.any([attempt.signal, options.abortSignal]) : attempt.signal;
      const timedOut = () =>
        new AwsTransportError('AttemptTimeout', `no complete answer within ${seconds(limits.attemptTimeoutMs)}`, where);
      try {
        let response: AwsHttpResponse;
        try {
          ({ response } = await inner.handle(request, { ...options, abortSignal: signal }));
        } catch (error) {
          throw attempt.signal.aborted && !options.abortSignal?.aborted ? timedOut() : error;
        }
        const body = await readBody(response, signal, limits.maxResponseBytes, where).catch((error: unknown) => {
          throw attempt.signal.aborted && !options.abortSignal?.aborted ? timedOut() : error;
        });
        limits.debug?.(
          redactAwsSecrets(`${protocol.service} ${where.operation} ${where.endpoint}: HTTP ${response.statusCode}, ${body.length} bytes, ${Date.now() - started} ms`),
        );
        checkAnswer(response, body, where, (text) => protocol.problem(text, operation));
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
  response: AwsHttpResponse,
  signal: AbortSignal,
  max: number,
  where: { endpoint: string; operation: string },
): Promise<Buffer> {
  const stream = response.body as Readable | undefined;
  if (stream === undefined || stream === null) return Buffer.alloc(0);
  const tooLarge = () =>
    new AwsTransportError('ResponseTooLarge', `the answer is larger than ${mebibytes(max)}`, { ...where, statusCode: response.statusCode });
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

/** Redirects and answers that are not the operation's answer fail here; errors go on to the SDK. */
function checkAnswer(response: AwsHttpResponse, body: Buffer, where: { endpoint: string; operation: string }, problemOf: (text: string) => string | undefined): void {
  const status = response.statusCode;
  if (status >= 300 && status < 400) {
    const location = headerOf(response, 'location');
    const to = location ? `a redirect to ${originOf(location)}` : 'a redirect';
    throw new AwsTransportError('Redirect', `the answer is HTTP ${status}, ${to}`, { ...where, statusCode: status });
  }
  if (status < 200 || status >= 300) return;
  const problem = problemOf(body.toString('utf8'));
  if (problem) throw new AwsTransportError('MalformedResponse', `the HTTP ${status} body ${problem}`, { ...where, statusCode: status });
}

/** What is wrong with a 2xx body as EC2's XML answer to `operation`, or undefined when it looks like one. */
function notTheXmlAnswer(text: string, operation: string | undefined): string | undefined {
  const trimmed = text.replace(/^\uFEFF/, '').replace(/^\s*<\?xml[^>]*\?>/, '').trim();
  if (trimmed === '') return 'is empty';
  if (/^<!doctype\s+html/i.test(trimmed)) return 'is an HTML page, not EC2 XML';
  const root = /^<([A-Za-z_][\w.-]*)/.exec(trimmed)?.[1];
  if (root === undefined) return `is not XML (it starts with ${JSON.stringify(trimmed.slice(0, 24))})`;
  if (/^html$/i.test(root)) return 'is an HTML page, not EC2 XML';
  const expected = operation === undefined ? undefined : `${operation}Response`;
  if (expected !== undefined && root !== expected) return `is <${root}> XML, not <${expected}>`;
  if (!new RegExp(`</${root}>$`).test(trimmed)) return `is cut short (no closing </${root}>)`;
  return undefined;
}

/** What is wrong with a 2xx body as an AWS JSON answer (one object), or undefined when it is one. */
function notAJsonObject(text: string): string | undefined {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') return 'is empty';
  if (/^<!doctype\s+html|^<html/i.test(trimmed)) return 'is an HTML page, not SSM JSON';
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return trimmed.startsWith('{') ? 'is cut short or not well-formed JSON' : `is not JSON (it starts with ${JSON.stringify(trimmed.slice(0, 24))})`;
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? undefined : 'is JSON, but not an object';
}

function headerOf(response: AwsHttpResponse, name: string): string | undefined {
  return headerIn(response.headers, name);
}

function headerIn(headers: Record<string, string> | undefined, name: string): string | undefined {
  const key = Object.keys(headers ?? {}).find((header) => header.toLowerCase() === name);
  return key === undefined ? undefined : headers![key];
}

/** `https://host:port/path`, without query or user-info. */
function endpointOf(request: AwsHttpRequest): string {
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
function actionOf(body: unknown): string | undefined {
  const text = typeof body === 'string' ? body : Buffer.isBuffer(body) || body instanceof Uint8Array ? Buffer.from(body).toString() : '';
  return /(?:^|&)Action=([A-Za-z0-9]+)/.exec(text)?.[1];
}

const seconds = (ms: number) => `${ms % 1000 === 0 ? ms / 1000 : (ms / 1000).toFixed(1)} s`;
const mebibytes = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;
