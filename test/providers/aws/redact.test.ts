/** What the CLI prints is scrubbed of AWS credentials, by shape and by the values seen on the wire and in the env. */
import { describe, expect, it } from 'vitest';
import { rememberRequestSecrets, redactAwsSecrets } from '../../../providers/aws/redact.js';
import { describeError } from '../../../src/cli/exit-codes.js';
import { ProviderApiError } from '../../../src/errors.js';

const noEnv = {};

describe('redactAwsSecrets', () => {
  it.each([
    ['an access key ID', 'key AKIAIOSFODNN7EXAMPLE used', 'key [redacted] used'],
    ['a temporary key ID', 'ASIAY34FZKBOKMUTVV7A', '[redacted]'],
    ['a SigV4 scope', 'Credential=AKIDEXAMPLE/20260101/us-east-1/ec2/aws4_request', 'Credential=[redacted]/20260101/us-east-1/ec2/aws4_request'],
    ['a signature', 'SignedHeaders=host, Signature=0123abcd0123abcd', 'SignedHeaders=host, Signature=[redacted]'],
    ['a security token header', 'X-Amz-Security-Token: FwoGZXIvYXdzEJr//////////wEaDM', 'X-Amz-Security-Token: [redacted]'],
    ['a session token by shape', 'token IQoJb3JpZ2luX2VjEMn//////////wEaCXVzLWVhc3QtMSJH end', 'token [redacted] end'],
    ['JSON credentials', '{"SecretAccessKey":"abc/def+ghi","SessionToken":"zzz"}', '{"SecretAccessKey":"[redacted]","SessionToken":"[redacted]"}'],
    ['shared-config lines', 'aws_secret_access_key = wJalrXUtnFEMI', 'aws_secret_access_key = [redacted]'],
  ])('%s', (_what, text, expected) => {
    expect(redactAwsSecrets(text, noEnv)).toBe(expected);
  });

  it("scrubs the environment's values wherever they appear, and leaves ordinary text alone", () => {
    const env = { AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE' };
    expect(redactAwsSecrets('echo wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY and AKIDEXAMPLE', env)).toBe('echo [redacted] and [redacted]');
    expect(redactAwsSecrets('The request signature we calculated does not match', env)).toBe('The request signature we calculated does not match');
  });

  it('scrubs what a signed request carried, once seen', () => {
    rememberRequestSecrets({ Authorization: 'AWS4-HMAC-SHA256 Credential=LONGTERMKEYID123/x, Signature=feedface00' });
    expect(redactAwsSecrets('saw LONGTERMKEYID123 and feedface00', noEnv)).toBe('saw [redacted] and [redacted]');
  });
});

describe('describeError', () => {
  const secret = 'AKIAIOSFODNN7EXAMPLE';
  const error = new ProviderApiError('ServiceError', `EC2 failed: echo ${secret} ${'x'.repeat(5_000)}`, {
    hint: `hint with ${secret}`,
    cause: new Error(`inner ${secret}`),
  });

  it('redacts message, hint and, with --debug, both stacks; caps the message', () => {
    for (const debug of [false, true]) {
      const text = describeError(error, debug);
      expect(text).not.toContain(secret);
      expect(text.split('\n')[0]!.length).toBeLessThanOrEqual(1_000 + 'imglint: '.length);
    }
    expect(describeError(error, true)).toContain('caused by: Error: inner [redacted]');
  });
});
