/** Unit tests of the SDK-error mapping, on error objects shaped exactly like the ones the SDK throws. */
import { describe, expect, it } from 'vitest';
import {
  awsErrorCode,
  imageNotFound,
  instanceTypeNotFound,
  providerErrorFromAws,
} from '../../../providers/aws/errors.js';
import { InputError, ProviderApiError } from '../../../src/errors.js';

/** An EC2 service error as `@aws-sdk/client-ec2` builds it from an error body. */
function serviceError(code: string, message: string, status: number, fault: 'client' | 'server' = 'client') {
  return Object.assign(new Error(message), {
    name: code,
    Code: code,
    $fault: fault,
    $metadata: { httpStatusCode: status, attempts: 1, totalRetryDelay: 0 },
  });
}

/** A Node socket error as the SDK passes it through (plain `Error` with `code`). */
function socketError(code: string, message: string) {
  return Object.assign(new Error(message), { code, $metadata: { attempts: 1, totalRetryDelay: 0 } });
}

describe('providerErrorFromAws', () => {
  it.each([
    ['AuthFailure', 401, 'AuthFailure'],
    ['UnauthorizedOperation', 403, 'AuthFailure'],
    ['InvalidClientTokenId', 403, 'AuthFailure'],
    ['SignatureDoesNotMatch', 403, 'AuthFailure'],
    ['ExpiredToken', 400, 'AuthFailure'],
    ['RequestExpired', 400, 'AuthFailure'],
    ['RequestLimitExceeded', 503, 'Throttled'],
    ['Throttling', 400, 'Throttled'],
    ['EC2ThrottledException', 400, 'Throttled'],
    ['InternalError', 500, 'ServiceError'],
    ['Unavailable', 503, 'ServiceError'],
    ['InvalidParameterValue', 400, 'ServiceError'],
  ])('%s (HTTP %i) -> %s', (code, status, expected) => {
    const cause = serviceError(code, 'text from EC2', status, status >= 500 ? 'server' : 'client');
    const error = providerErrorFromAws(cause, 'DescribeImages');
    expect(error).toBeInstanceOf(ProviderApiError);
    expect(error).toMatchObject({ kind: 'provider', code: expected, cause });
    expect(error.message).toContain('DescribeImages');
    expect(error.message).toContain(code);
    expect(error.message).not.toMatch(/\n/);
  });

  it.each([
    [socketError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:4566')],
    [socketError('ENOTFOUND', 'getaddrinfo ENOTFOUND ec2.nowhere-1.amazonaws.com')],
    [socketError('ECONNRESET', 'read ECONNRESET')],
    [Object.assign(new Error('socket hang up'), { $metadata: {} })],
    [Object.assign(new Error('a request has exceeded the configured 10000 ms requestTimeout.'), { name: 'TimeoutError', code: 'ETIMEDOUT' })],
  ])('network failure %# -> Network', (cause) => {
    const error = providerErrorFromAws(cause, 'DescribeInstanceTypes');
    expect(error).toMatchObject({ code: 'Network' });
    expect(error.message).toBe(`Cannot reach EC2 for DescribeInstanceTypes: ${cause.message}`);
    expect(error.hint).toContain('AWS_ENDPOINT_URL');
  });

  it('missing credentials (CredentialsProviderError) -> AuthFailure with the profile/sso hint', () => {
    const cause = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
      tryNextLink: false,
    });
    const error = providerErrorFromAws(cause, 'DescribeImages');
    expect(error).toMatchObject({ code: 'AuthFailure' });
    expect(error.hint).toBe('set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run `aws sso login`');
  });

  it('a body that is not EC2 XML -> MalformedResponse', () => {
    const cause = Object.assign(
      new Error('@aws-sdk XML parse error: unexpected content.\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.'),
      { $metadata: { httpStatusCode: 200 } },
    );
    expect(providerErrorFromAws(cause, 'DescribeImages')).toMatchObject({ code: 'MalformedResponse' });
  });

  it('a server fault gets a retry hint; a client error does not', () => {
    expect(providerErrorFromAws(serviceError('InternalError', 'x', 500, 'server'), 'X').hint).toContain('retry later');
    expect(providerErrorFromAws(serviceError('InvalidParameterValue', 'x', 400), 'X').hint).toBeUndefined();
  });

  it('long messages are cut to one line of at most 300 characters', () => {
    const error = providerErrorFromAws(serviceError('InvalidParameterValue', `a\n${'b'.repeat(1000)}`, 400), 'X');
    expect(error.message).not.toMatch(/\n/);
    expect(error.message.length).toBeLessThan(360);
  });

  it('an ImglintError passes through unchanged', () => {
    const input = new InputError('ImageNotFound', 'x');
    expect(providerErrorFromAws(input, 'X')).toBe(input);
  });
});

describe('awsErrorCode', () => {
  it('prefers the EC2 code, then the socket code, then the name', () => {
    expect(awsErrorCode(serviceError('InvalidAMIID.NotFound', 'x', 400))).toBe('InvalidAMIID.NotFound');
    expect(awsErrorCode(socketError('ECONNREFUSED', 'x'))).toBe('ECONNREFUSED');
    expect(awsErrorCode(Object.assign(new Error('x'), { name: 'TimeoutError', code: 'ETIMEDOUT' }))).toBe('TimeoutError');
    expect(awsErrorCode(new Error('x'))).toBe('Error');
    expect(awsErrorCode('nope')).toBeUndefined();
  });
});

describe('not-found errors', () => {
  it('say exactly what is missing and where', () => {
    expect(imageNotFound(['ami-x'], 'us-east-1').message).toBe('AMI ami-x not found in us-east-1 (or not visible to this account)');
    expect(imageNotFound(['ami-x', 'ami-y'], 'us-east-1').message).toBe(
      'AMIs ami-x, ami-y not found in us-east-1 (or not visible to this account)',
    );
    expect(instanceTypeNotFound(['i8ge.xlarge'], 'eu-west-1')).toMatchObject({
      kind: 'input',
      code: 'InstanceTypeNotFound',
      message: 'Instance type i8ge.xlarge not found in eu-west-1',
    });
    expect(instanceTypeNotFound(['a.b', 'c.d'], 'eu-west-1').message).toBe('Instance types a.b, c.d not found in eu-west-1');
  });
});
