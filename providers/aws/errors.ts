import { ImglintError, InputError, ProviderApiError } from '../../src/errors.js';
import { AwsTransportError } from './http-handler.js';
import { redactAwsSecrets } from './redact.js';

/**
 * Maps what `@aws-sdk/client-ec2` (and `@aws-sdk/client-ssm`) throws to imglint's typed errors, once, here:
 * unknown AMIs and instance types are the user's to fix (`InputError`, exit 2); credentials, throttling after the
 * SDK's retries, the network, 5xx and answers that are not EC2's are the provider's (`ProviderApiError`, exit 3).
 * Messages are one line in imglint's words (what failed, where, what to do), never the SDK's internals, and never
 * include credentials (see `redact.ts`); the SDK's error stays available as `cause`.
 */

/** Missing credentials: thrown by the SDK's credential chain before any request is sent. */
const MISSING_CREDENTIALS_NAMES = new Set(['CredentialsProviderError', 'TokenProviderError']);

/** EC2 and STS codes for credentials that are wrong or expired (a missing permission: `AwsService.permissionCode`). */
const AUTH_HINTS: ReadonlyMap<string, string> = new Map([
  ['AuthFailure', 'check the credentials (AWS_PROFILE, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)'],
  ['InvalidClientTokenId', 'check the credentials (AWS_PROFILE, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)'],
  ['SignatureDoesNotMatch', 'check AWS_SECRET_ACCESS_KEY (or the profile in AWS_PROFILE) and the system clock'],
  ['ExpiredToken', 'refresh the credentials (e.g. `aws sso login`) and try again'],
  ['RequestExpired', 'check the system clock, then refresh the credentials (e.g. `aws sso login`)'],
]);

const MISSING_CREDENTIALS_HINT = 'set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run `aws sso login`';

/** Codes the SDK treats as throttling; reaching us means its retries ran out. */
const THROTTLING_CODES = new Set([
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'EC2ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
]);

/** Node socket error codes that mean the endpoint could not be reached or stopped answering. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

const MAX_MESSAGE_CHARS = 300;

interface AwsErrorShape {
  name?: unknown;
  Code?: unknown;
  code?: unknown;
  message?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

/**
 * The error code of something the SDK threw: the EC2 error code for service errors (the SDK puts it in `name`),
 * else the Node socket code (`ECONNREFUSED`), else the error's `name`.
 *
 * @param error - anything caught around `client.send`.
 * @returns the code, or `undefined` for non-errors.
 */
export function awsErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as AwsErrorShape;
  if (typeof e.Code === 'string') return e.Code;
  if (typeof e.name === 'string' && e.name !== 'Error') return e.name;
  if (typeof e.code === 'string') return e.code;
  return typeof e.name === 'string' ? e.name : undefined;
}

/** The AWS service a call went to, for messages and hints: EC2, or SSM (Parameter Store). */
export interface AwsService {
  /** `EC2`, `SSM`. */
  name: string;
  /** The service's own endpoint variable (`AWS_ENDPOINT_URL_EC2`), beside `AWS_ENDPOINT_URL`. */
  endpointVariable: string;
  /** The service's code for credentials that lack a permission. */
  permissionCode: string;
  /** What a caller lacking a permission must be allowed. */
  permissions: string;
  /** What the service's answers are, for messages (`XML`). */
  format: string;
  /** What the SDK says of an answer it could not parse. */
  malformed: RegExp;
}

/** EC2 (the Query protocol, XML answers). */
export const EC2_SERVICE: AwsService = {
  name: 'EC2',
  endpointVariable: 'AWS_ENDPOINT_URL_EC2',
  permissionCode: 'UnauthorizedOperation',
  permissions: 'ec2:DescribeImages, ec2:DescribeInstanceTypes and ec2:DescribeInstanceTypeOfferings',
  format: 'XML',
  malformed: /Deserialization error|XML parse error/i,
};

/** SSM Parameter Store (AWS JSON 1.1). */
export const SSM_SERVICE: AwsService = {
  name: 'SSM',
  endpointVariable: 'AWS_ENDPOINT_URL_SSM',
  permissionCode: 'AccessDeniedException',
  permissions: 'ssm:GetParameters',
  format: 'JSON',
  malformed: /Deserialization error|is not valid JSON|Unexpected (?:token|end of JSON)/i,
};

const endpointHint = (service: AwsService) =>
  `check AWS_ENDPOINT_URL / ${service.endpointVariable} if you set one: the endpoint does not answer like ${service.name}`;
const networkHint = (service: AwsService) => `check the network, proxy and region; AWS_ENDPOINT_URL / ${service.endpointVariable} if you set one`;

/**
 * Turns an error thrown by an EC2 (or SSM) call into a `ProviderApiError`, classified as
 * `AuthFailure` (missing, wrong or expired credentials, or a missing IAM permission), `Throttled` (after the
 * SDK's retries), `Network` (refused, DNS, reset, connection and attempt timeouts, `socket hang up`),
 * `MalformedResponse` (a body that is not the service's answer: empty, HTML, not XML (JSON for SSM), cut short,
 * or too large), `Redirect` (AWS APIs never redirect; imglint does not follow redirects of signed requests) or
 * `ServiceError` (5xx and any other error code). An `ImglintError` passes through unchanged.
 *
 * @param error - what `client.send` rejected with.
 * @param operation - the action, for the message (`DescribeImages`, `GetParameters`).
 * @param service - the service called (default EC2).
 * @returns the typed error to throw; its `cause` is `error`.
 */
export function providerErrorFromAws(error: unknown, operation: string, service: AwsService = EC2_SERVICE): ImglintError {
  if (ImglintError.is(error)) return error;
  if (AwsTransportError.is(error)) return transportError(error, operation, service);
  const e = (typeof error === 'object' && error !== null ? error : {}) as AwsErrorShape;
  const code = awsErrorCode(error) ?? 'Unknown';
  const text = oneLine(typeof e.message === 'string' ? e.message : String(error));
  const status = e.$metadata?.httpStatusCode;
  const attempts = e.$metadata?.attempts;
  const tries = attempts && attempts > 1 ? ` after ${attempts} attempts` : '';
  const call = `${service.name} ${operation}`;

  if (MISSING_CREDENTIALS_NAMES.has(code) || text.includes('Could not load credentials')) {
    return new ProviderApiError('AuthFailure', `No AWS credentials for ${call}: ${text}`, {
      hint: MISSING_CREDENTIALS_HINT,
      cause: error,
    });
  }
  const authHint = code === service.permissionCode ? `allow ${service.permissions} for these credentials` : AUTH_HINTS.get(code);
  if (authHint) {
    return new ProviderApiError('AuthFailure', `${call} was refused: ${code}: ${text}`, {
      hint: authHint,
      cause: error,
    });
  }
  if (THROTTLING_CODES.has(code)) {
    return new ProviderApiError('Throttled', `${call} was throttled${tries}: ${code}: ${text}`, {
      hint: 'retry later, or raise AWS_MAX_ATTEMPTS',
      cause: error,
    });
  }
  const socketCode = typeof e.code === 'string' ? e.code : undefined;
  if ((socketCode && NETWORK_CODES.has(socketCode)) || code === 'TimeoutError' || /socket hang up/i.test(text)) {
    return new ProviderApiError('Network', `Cannot reach ${service.name} for ${operation}${tries}: ${text}`, {
      hint: networkHint(service),
      cause: error,
    });
  }
  if (service.malformed.test(text)) {
    const detail = /XML parse error: ([^.]*)/i.exec(text)?.[1];
    const where = status ? `the HTTP ${status} body` : 'the body';
    return new ProviderApiError('MalformedResponse', `malformed response from ${call}: ${where} is not well-formed ${service.format}${detail ? ` (${detail})` : ''}`, {
      hint: endpointHint(service),
      cause: error,
    });
  }
  const where = status ? ` (HTTP ${status})` : '';
  const serverSide = e.$fault === 'server' || (status !== undefined && status >= 500);
  if (code === 'Unknown' || code === 'UnknownError' || /^Unknown(Error)?$/.test(text)) {
    // The SDK's name for an error answer that carries no error document (a proxy's page, an empty body).
    return new ProviderApiError('ServiceError', `${call} failed${where}${tries}: the answer is not an ${service.name} error document`, {
      hint: serverSide ? `retry later; ${endpointHint(service)}` : endpointHint(service),
      cause: error,
    });
  }
  return new ProviderApiError('ServiceError', `${call} failed${where}${tries}: ${code}: ${text}`, {
    hint: serverSide ? `${service.name} had a server-side problem; retry later` : undefined,
    cause: error,
  });
}

/** The transport's own failures (`http-handler.ts`), which name the endpoint. */
function transportError(error: AwsTransportError, operation: string, service: AwsService): ProviderApiError {
  const at = `${service.name} ${operation} at ${redactAwsSecrets(error.endpoint)}`;
  switch (error.failure) {
    case 'AttemptTimeout': {
      const attempts = (error as { $metadata?: { attempts?: number } }).$metadata?.attempts;
      const tries = attempts && attempts > 1 ? ` (${attempts} attempts)` : '';
      return new ProviderApiError('Network', `Cannot reach ${at}: ${error.message}${tries}`, {
        hint: networkHint(service),
        cause: error,
      });
    }
    case 'Redirect':
      return new ProviderApiError('Redirect', `${at} was not answered: ${error.message}, which imglint does not follow with signed requests`, {
        hint: `set AWS_ENDPOINT_URL (or ${service.endpointVariable}) to the address that answers ${service.name} requests itself`,
        cause: error,
      });
    case 'ResponseTooLarge':
    case 'MalformedResponse':
      return new ProviderApiError('MalformedResponse', `malformed response from ${at}: ${error.message}`, {
        hint: endpointHint(service),
        cause: error,
      });
  }
}

/**
 * `InputError` `ImageNotFound`: `AMI ami-x not found in us-east-1 (or not visible to this account)`, or
 * `AMIs ami-a, ami-b not found in ...` for several.
 *
 * @param ids - the AMI IDs EC2 did not return (at least one).
 * @param region - the region that was asked.
 */
export function imageNotFound(ids: readonly string[], region: string): InputError {
  const what = ids.length === 1 ? `AMI ${ids[0]}` : `AMIs ${ids.join(', ')}`;
  return new InputError('ImageNotFound', `${what} not found in ${region} (or not visible to this account)`, {
    hint: 'check the region (--region), and that the AMI is public or shared with this account',
  });
}

/**
 * `InputError` `MalformedImageId`: `ami-xyz is not an AMI ID`. Such an ID can never launch (EC2 answers
 * `InvalidAMIID.Malformed`), so unlike an unknown AMI it is an error, not "cannot tell".
 *
 * @param ids - the malformed IDs (at least one).
 */
export function malformedImageId(ids: readonly string[]): InputError {
  const what = ids.length === 1 ? `${JSON.stringify(ids[0])} is not an AMI ID` : `${ids.map((id) => JSON.stringify(id)).join(', ')} are not AMI IDs`;
  return new InputError('MalformedImageId', what, { hint: 'AMI IDs look like ami-0123456789abcdef0 (ami- and 8 or 17 hex digits)' });
}

/**
 * `InputError` `InstanceTypeNotFound`: `Instance type i8ge.xlarge not found in us-east-1`.
 *
 * @param names - the instance types EC2 did not know (at least one).
 * @param region - the region that was asked.
 */
export function instanceTypeNotFound(names: readonly string[], region: string): InputError {
  const what = names.length === 1 ? `Instance type ${names[0]}` : `Instance types ${names.join(', ')}`;
  return new InputError('InstanceTypeNotFound', `${what} not found in ${region}`, {
    hint: 'check the spelling (e.g. c5.large) and the region: not every type exists in every region',
  });
}

function oneLine(text: string): string {
  // EC2's UnauthorizedOperation carries a long encoded policy-evaluation blob: useless on a terminal.
  const cut = text.split(/\s*Encoded authorization failure message:/)[0] ?? text;
  // The SDK's pointer to a hidden field, its module prefixes: internals, not news to the user.
  const plain = cut
    .replace(/\s*Deserialization error: to see the raw response, inspect the hidden field \{error\}\.\$response on this object\.?/g, '')
    .replace(/@smithy\/[\w-]+ - (?:\[(?:ERROR|WARN)\] )?/g, '')
    .replace(/@aws-sdk /g, '');
  const flat = redactAwsSecrets(plain.replace(/\s+/g, ' ').trim());
  return flat.length > MAX_MESSAGE_CHARS ? `${flat.slice(0, MAX_MESSAGE_CHARS - 1)}…` : flat;
}
