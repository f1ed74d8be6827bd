import type { EC2Client, EC2ClientConfig } from '@aws-sdk/client-ec2';
import { boundedHttpHandler, type InnerHttpHandler } from './http-handler.js';
import { redactAwsSecrets } from './redact.js';

/**
 * The EC2 client, loaded lazily. Importing this module does not load the SDK; only {@link loadEc2Sdk} does, on the
 * first live AWS call, by a dynamic import of `./ec2-sdk.js`, which the build bundles from the SDK's ES modules
 * (tree-shaken to the three commands imglint sends).
 */

/** The SDK exports imglint uses (type only: nothing is loaded by naming it). @internal */
export type Ec2Sdk = typeof import('./ec2-sdk.js');

/**
 * What the AWS provider needs from an EC2 client, structurally, so that the declarations need no AWS SDK types:
 * `send(command, { abortSignal })` resolving to the command's output, and `config.region()` resolving to the
 * client's region. An `EC2Client` from `@aws-sdk/client-ec2` fits; a test double needs only these two members.
 * The commands imglint sends (`DescribeImagesCommand`, `DescribeInstanceTypesCommand`,
 * `DescribeInstanceTypeOfferingsCommand`) come from imglint's own copy of the SDK, so a real client should come
 * from a compatible `@aws-sdk/client-ec2` version.
 */
export interface Ec2ClientLike {
  /** Sends one command; `options.abortSignal` is an `AbortSignal` that aborts when the run's `--timeout` is over. */
  send(command: object, options?: { abortSignal?: unknown }): Promise<unknown>;
  readonly config: { region(): Promise<string> };
}

/** Total tries per request (first try included) when `AWS_MAX_ATTEMPTS` is unset; the SDK's own default is 3. */
export const DEFAULT_MAX_ATTEMPTS = 5;
/** Milliseconds one attempt may take, from connecting to the last byte of the body; then it is retried. */
export const REQUEST_TIMEOUT_MS = 10_000;
/** Milliseconds to wait for the TCP/TLS connection (within {@link REQUEST_TIMEOUT_MS}). */
export const CONNECTION_TIMEOUT_MS = 5_000;
/** Bytes one response body may have (a DescribeImages page of 1,000 AMIs is a few MB). */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

let sdk: Promise<Ec2Sdk> | undefined;

/**
 * Loads the SDK on first use (then returns the same module). Before loading it sets
 * `AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true` unless the environment already sets it, which silences
 * the SDK's "will require node >=22" warning on Node 20.
 *
 * @returns the SDK's `EC2Client`, the three commands, and `NodeHttpHandler`.
 * @internal
 */
export function loadEc2Sdk(): Promise<Ec2Sdk> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return (sdk ??= import('./ec2-sdk.js'));
}

/** Options of {@link createEc2Client}. @internal */
export interface Ec2ClientOptions {
  /** The user's `--region`, if any. */
  region?: string;
  /** Milliseconds per attempt (default {@link REQUEST_TIMEOUT_MS}). */
  attemptTimeoutMs?: number;
  /** Bytes per response body (default {@link MAX_RESPONSE_BYTES}). */
  maxResponseBytes?: number;
  /** `--debug`: receives the SDK's warnings and one line per request, redacted. Absent: the SDK prints nothing. */
  debug?: (line: string) => void;
}

/**
 * Creates an `EC2Client` (loading the SDK if needed) configured for imglint:
 * - `region` only when given (else the SDK resolves `AWS_REGION`, then the profile's `region` in the shared
 *   credentials file, then in the config file);
 * - `retryMode: 'adaptive'` and `maxAttempts: 5`, each only when `AWS_RETRY_MODE` / `AWS_MAX_ATTEMPTS` is unset,
 *   so the SDK's own environment settings win (note: a profile's `retry_mode` / `max_attempts` in the shared config
 *   file is overridden by these defaults; set the environment variables to change them);
 * - every attempt bounded to 10 s end to end (connection 5 s) and 32 MiB of body, redirects refused, and 2xx
 *   bodies checked to be the operation's XML ({@link boundedHttpHandler});
 * - a logger that prints nothing unless `debug` is given (the SDK's HTTP handler otherwise writes to the console);
 * - static credentials from `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` (/ `AWS_SESSION_TOKEN`) when they are set
 *   and `AWS_PROFILE` is not: the SDK's chain would pick exactly those first, and skipping it spares loading its
 *   providers. Otherwise the SDK's chain (profiles, SSO, web identity, IMDS) resolves them.
 *
 * The endpoint is never passed: the SDK reads `AWS_ENDPOINT_URL_EC2` and `AWS_ENDPOINT_URL` itself.
 *
 * @param options - region, limits and the debug sink.
 * @param env - the environment to consult (default `process.env`).
 * @returns a new client; no request is made.
 * @internal
 */
export async function createEc2Client(options: Ec2ClientOptions = {}, env: NodeJS.ProcessEnv = process.env): Promise<EC2Client> {
  const { EC2Client, NodeHttpHandler } = await loadEc2Sdk();
  const logger = sdkLogger(options.debug);
  const inner = new NodeHttpHandler({ connectionTimeout: CONNECTION_TIMEOUT_MS, logger }) as unknown as InnerHttpHandler;
  const requestHandler = boundedHttpHandler(inner, {
    attemptTimeoutMs: options.attemptTimeoutMs ?? REQUEST_TIMEOUT_MS,
    maxResponseBytes: options.maxResponseBytes ?? MAX_RESPONSE_BYTES,
    debug: options.debug,
  });
  const config: EC2ClientConfig = { requestHandler: requestHandler as unknown as EC2ClientConfig['requestHandler'], logger, ...sdkSettings(env) };
  if (options.region) config.region = options.region;
  return new EC2Client(config);
}

/**
 * The retry and credential settings imglint gives its AWS clients (EC2, SSM), as {@link createEc2Client} describes
 * them: `maxAttempts` and `retryMode` unless the environment sets them, static credentials from the environment when
 * no profile is named.
 *
 * @internal
 */
export function sdkSettings(env: NodeJS.ProcessEnv): Pick<EC2ClientConfig, 'maxAttempts' | 'retryMode' | 'credentials'> {
  return {
    ...(!env.AWS_MAX_ATTEMPTS && { maxAttempts: DEFAULT_MAX_ATTEMPTS }),
    ...(!env.AWS_RETRY_MODE && { retryMode: 'adaptive' }),
    ...(env.AWS_ACCESS_KEY_ID &&
      env.AWS_SECRET_ACCESS_KEY &&
      !env.AWS_PROFILE && {
        credentials: {
          accessKeyId: env.AWS_ACCESS_KEY_ID,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
          ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
        },
      }),
  };
}

/** The SDK's logger: silent, or warnings and errors to `debug` (redacted); its info lines dump whole answers. */
export function sdkLogger(debug: ((line: string) => void) | undefined) {
  const quiet = () => undefined;
  const say = debug ? (...parts: unknown[]) => debug(redactAwsSecrets(parts.map(String).join(' '))) : quiet;
  return { trace: quiet, debug: quiet, info: quiet, warn: say, error: say };
}
