import type { SSMClient, SSMClientConfig } from '@aws-sdk/client-ssm';
import { ProviderApiError, UsageError } from '../../src/errors.js';
import { DEFAULT_PROVIDER_TIMEOUT_MS } from '../provider.js';
import { CONNECTION_TIMEOUT_MS, REQUEST_TIMEOUT_MS, sdkLogger, sdkSettings } from './ec2-client.js';
import { providerErrorFromAws, SSM_SERVICE } from './errors.js';
import { AWS_JSON, boundedHttpHandler, type InnerHttpHandler } from './http-handler.js';

/**
 * SSM Parameter Store, for images and instance types given as parameters
 * (`resolve:ssm:/aws/service/ami-amazon-linux-latest/...`, CloudFormation's `{{resolve:ssm:...}}` and
 * `AWS::SSM::Parameter::Value<...>` parameters). The SDK is loaded on first use only, from the bundle `ssm-sdk.ts`
 * becomes (like the EC2 client, see `ec2-client.ts`): the offline path never loads it. Endpoint and credentials
 * come from the SDK's own chain (`AWS_ENDPOINT_URL_SSM`, `AWS_ENDPOINT_URL`, `AWS_PROFILE`, ...). Requests are
 * bounded as EC2's are (`http-handler.ts`: 10 s an attempt, body included, 1 MiB, no redirects, 2xx bodies that
 * are JSON objects), within the run's time limit, and their errors are told in imglint's words (`errors.ts`).
 */

/** The SDK exports imglint uses (type only: nothing is loaded by naming it). */
type SsmSdk = typeof import('./ssm-sdk.js');

/** `GetParameters` takes at most 10 names a call (`ParameterNameList`, max 10). */
export const SSM_NAMES_PER_CALL = 10;

/** Bytes of one `GetParameters` answer: 10 parameters of at most 8 KB (advanced tier) each, with room to spare. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

const REGION_HINT = 'pass --region, or set AWS_REGION (or a region in the AWS_PROFILE profile of the shared credentials or config file)';

let sdk: Promise<SsmSdk> | undefined;

function loadSsmSdk(): Promise<SsmSdk> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return (sdk ??= import('./ssm-sdk.js'));
}

/** A parameter's value, or why it gives none. */
export type SsmAnswer = { value: string } | { reason: string };

/** What an SSM client needs to offer: `send`, and its region (a real `SSMClient` fits). */
export interface SsmClientLike {
  send: SSMClient['send'];
  readonly config: { region: () => Promise<string> };
}

/** Options of {@link resolveSsmParameters}. */
export interface SsmOptions {
  /** The region to ask; undefined: the SDK's (`AWS_REGION`, profile). */
  region?: string;
  /** Ends every request when it aborts: the run's time limit (`--timeout`). Absent: `timeoutMs` from the first call. */
  signal?: AbortSignal;
  /** Milliseconds `signal` stands for, for messages (default 60,000). */
  timeoutMs?: number;
  /** Milliseconds per attempt (default 10,000); tests shorten it. */
  attemptTimeoutMs?: number;
  /** `--debug`: one redacted line per request and the SDK's warnings. */
  debug?: (line: string) => void;
  /** A client to use instead of creating one. */
  client?: SsmClientLike;
}

/**
 * Reads every parameter of `names` in one region: one `GetParameters` call per 10 names.
 *
 * @param names - parameter names, optionally with a `:version` or `:label` selector, as `resolve:ssm:` takes them.
 * @returns by name: the value; a reason when the parameter does not exist (or the credentials cannot see it: SSM
 *   does not tell them apart).
 * @throws UsageError `No AWS region is configured` when no region resolves. ProviderApiError when SSM cannot be
 *   asked or answers what is not an answer: `AuthFailure` (credentials, `ssm:GetParameters`), `Throttled`,
 *   `Network`, `Timeout` (the run's limit), `Redirect`, `MalformedResponse` (a body that is not a JSON object, or an
 *   answer without its `Parameters` list), `ServiceError`.
 */
export async function resolveSsmParameters(names: readonly string[], options: SsmOptions = {}): Promise<Map<string, SsmAnswer>> {
  const ssm = options.client ?? (await createSsmClient(options));
  const region = await regionOf(ssm, options.region);
  const { GetParametersCommand } = await loadSsmSdk();
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS;
  const signal = options.signal ?? AbortSignal.timeout(timeoutMs);
  const answers = new Map<string, SsmAnswer>();
  const unique = [...new Set(names)];
  for (let start = 0; start < unique.length; start += SSM_NAMES_PER_CALL) {
    const chunk = unique.slice(start, start + SSM_NAMES_PER_CALL);
    let output;
    try {
      output = await ssm.send(new GetParametersCommand({ Names: chunk }), { abortSignal: signal });
    } catch (error) {
      if (signal.aborted) {
        throw new ProviderApiError('Timeout', `SSM GetParameters in ${region} did not finish within ${timeoutMs / 1000} s, the time limit of this run`, {
          hint: 'raise it with --timeout <seconds>, or check the network and AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_SSM',
          cause: error,
        });
      }
      throw providerErrorFromAws(error, 'GetParameters', SSM_SERVICE);
    }
    // SSM always sends the list (empty when no name exists); an answer without it is not SSM's.
    if (!Array.isArray(output.Parameters)) {
      throw new ProviderApiError('MalformedResponse', `malformed response from SSM GetParameters in ${region}: the answer has no Parameters list`, {
        hint: 'check AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_SSM if you set one: the endpoint does not answer like SSM',
      });
    }
    for (const parameter of output.Parameters) {
      const asked = chunk.find((name) => name === parameter.Name || name === `${parameter.Name}${parameter.Selector ?? ''}`) ?? parameter.Name;
      if (asked === undefined || typeof parameter.Value !== 'string') continue;
      answers.set(asked, { value: parameter.Value });
    }
    for (const name of chunk) {
      if (!answers.has(name)) answers.set(name, { reason: `the SSM parameter ${name} does not exist in ${region}, or the credentials cannot read it` });
    }
  }
  return answers;
}

/**
 * An `SSMClient` configured as imglint's EC2 client is (`createEc2Client`): the same retries, credentials, silent
 * logger and bounded handler, with answers checked as AWS JSON.
 */
async function createSsmClient(options: SsmOptions, env: NodeJS.ProcessEnv = process.env): Promise<SSMClient> {
  const { SSMClient, NodeHttpHandler } = await loadSsmSdk();
  const logger = sdkLogger(options.debug);
  const inner = new NodeHttpHandler({ connectionTimeout: CONNECTION_TIMEOUT_MS, logger }) as unknown as InnerHttpHandler;
  const requestHandler = boundedHttpHandler(inner, {
    attemptTimeoutMs: options.attemptTimeoutMs ?? REQUEST_TIMEOUT_MS,
    maxResponseBytes: MAX_RESPONSE_BYTES,
    debug: options.debug,
    protocol: AWS_JSON,
  });
  const config: SSMClientConfig = { requestHandler: requestHandler as unknown as SSMClientConfig['requestHandler'], logger, ...sdkSettings(env) };
  if (options.region) config.region = options.region;
  return new SSMClient(config);
}

/** The region requests go to: the one given, else the SDK's; none is the user's to fix, as for EC2. */
async function regionOf(client: SsmClientLike, given: string | undefined): Promise<string> {
  if (given) return given;
  let found: string | undefined;
  try {
    found = await client.config.region();
  } catch (error) {
    throw new UsageError('No AWS region is configured', { hint: REGION_HINT, cause: error });
  }
  if (!found) throw new UsageError('No AWS region is configured', { hint: REGION_HINT });
  return found;
}
