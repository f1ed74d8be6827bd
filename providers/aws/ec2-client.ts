import { createRequire } from 'node:module';
import type { EC2Client, EC2ClientConfig } from '@aws-sdk/client-ec2';

/**
 * The EC2 client, loaded lazily. Importing this module does not load `@aws-sdk/client-ec2` (450-770 ms);
 * only {@link loadEc2Sdk} does, on the first live AWS call. From ESM the SDK is loaded with a CJS `require`
 * (`createRequire`), which is about 300 ms faster than an ESM `import` of the same package (its `main` is one
 * 2 MB CJS file that an ESM import runs through cjs-module-lexer).
 */

/** The exports of `@aws-sdk/client-ec2` (type only: nothing is loaded by naming it). */
export type Ec2Sdk = typeof import('@aws-sdk/client-ec2');

/**
 * What the AWS provider needs from an EC2 client: `send` and the resolved region. A real `EC2Client` fits;
 * library users and tests can pass their own (the aws-cdk pattern of receiving the SDK client from outside).
 */
export interface Ec2ClientLike {
  send: EC2Client['send'];
  readonly config: { region: () => Promise<string> };
}

/** Total tries per request (first try included) when `AWS_MAX_ATTEMPTS` is unset; the SDK's own default is 3. */
export const DEFAULT_MAX_ATTEMPTS = 5;
/** Milliseconds to wait for a response once connected (the SDK's default is no limit). */
export const REQUEST_TIMEOUT_MS = 10_000;
/** Milliseconds to wait for the TCP/TLS connection. */
export const CONNECTION_TIMEOUT_MS = 5_000;

let sdk: Ec2Sdk | undefined;

/**
 * Loads `@aws-sdk/client-ec2` on first use (then returns the cached module). Before loading it sets
 * `AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true` unless the environment already sets it, which silences
 * the SDK's "will require node >=22" warning on Node 20.
 *
 * @returns the SDK module's exports (`EC2Client`, `DescribeImagesCommand`, ...).
 * @throws whatever `require` throws when the package is not installed.
 */
export function loadEc2Sdk(): Ec2Sdk {
  if (!sdk) {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    sdk = createRequire(import.meta.url)('@aws-sdk/client-ec2') as Ec2Sdk;
  }
  return sdk;
}

/**
 * Creates an `EC2Client` (loading the SDK if needed) configured for imglint:
 * - `region` only when given (else the SDK resolves `AWS_REGION`, then the profile's `region`);
 * - `retryMode: 'adaptive'` and `maxAttempts: 5`, each only when `AWS_RETRY_MODE` / `AWS_MAX_ATTEMPTS` is unset,
 *   so the SDK's own environment settings win (note: a profile's `retry_mode` / `max_attempts` in the shared config
 *   file is overridden by these defaults; set the environment variables to change them);
 * - a request timeout of 10 s (a `TimeoutError`, retried like other transient errors) and a connection timeout of
 *   5 s.
 *
 * Endpoint and credentials are never passed: the SDK reads `AWS_ENDPOINT_URL_EC2`, `AWS_ENDPOINT_URL`,
 * `AWS_PROFILE` and its credential chain itself.
 *
 * @param options.region - the user's `--region`, if any.
 * @param env - the environment to consult for `AWS_MAX_ATTEMPTS` / `AWS_RETRY_MODE` (default `process.env`).
 * @returns a new client; no request is made.
 */
export function createEc2Client(options: { region?: string } = {}, env: NodeJS.ProcessEnv = process.env): EC2Client {
  const { EC2Client } = loadEc2Sdk();
  const config: EC2ClientConfig = {
    // Without throwOnRequestTimeout the handler only logs a warning when requestTimeout passes.
    requestHandler: {
      requestTimeout: REQUEST_TIMEOUT_MS,
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    },
  };
  if (options.region) config.region = options.region;
  if (!env.AWS_MAX_ATTEMPTS) config.maxAttempts = DEFAULT_MAX_ATTEMPTS;
  if (!env.AWS_RETRY_MODE) config.retryMode = 'adaptive';
  return new EC2Client(config);
}
