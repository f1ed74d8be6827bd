/** The EC2 client factory: configuration that respects the SDK's environment, and lazy loading of the SDK. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import {
  CONNECTION_TIMEOUT_MS,
  DEFAULT_MAX_ATTEMPTS,
  MAX_RESPONSE_BYTES,
  REQUEST_TIMEOUT_MS,
  createEc2Client,
} from '../../../providers/aws/ec2-client.js';
import { createAwsProvider } from '../../../providers/aws/index.js';
import { describeImagesXml } from '../../fixtures/aws/ec2-xml.js';
import { jsonFixture, replyToEc2, useEc2Nock } from './ec2-nock.js';

const requests = useEc2Nock();
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** A value the SDK keeps either as is or behind a provider function. */
async function resolved<T>(value: T | (() => Promise<T>)): Promise<T> {
  return typeof value === 'function' ? (value as () => Promise<T>)() : value;
}

describe('createEc2Client', () => {
  it('defaults to 5 attempts in adaptive mode when AWS_MAX_ATTEMPTS and AWS_RETRY_MODE are unset', async () => {
    vi.stubEnv('AWS_MAX_ATTEMPTS', undefined);
    const client = await createEc2Client({ region: 'us-east-1' });
    expect(await client.config.maxAttempts()).toBe(DEFAULT_MAX_ATTEMPTS);
    expect(await resolved(client.config.retryMode)).toBe('adaptive');
    expect(await client.config.region()).toBe('us-east-1');
  });

  it('leaves AWS_MAX_ATTEMPTS and AWS_RETRY_MODE to the SDK when they are set', async () => {
    vi.stubEnv('AWS_MAX_ATTEMPTS', '2');
    vi.stubEnv('AWS_RETRY_MODE', 'standard');
    const client = await createEc2Client({ region: 'us-east-1' });
    expect(await client.config.maxAttempts()).toBe(2);
    expect(await resolved(client.config.retryMode)).toBe('standard');
  });

  it('passes no region unless given, so the SDK resolves AWS_REGION', async () => {
    vi.stubEnv('AWS_REGION', 'ap-northeast-1');
    expect(await (await createEc2Client()).config.region()).toBe('ap-northeast-1');
  });

  it('bounds every attempt end to end and every body, over a connection timeout', async () => {
    replyToEc2(requests, 'DescribeImages', 200, describeImagesXml(jsonFixture<{ Images: object[] }>('describe-images.json').Images, 'r1'));
    const client = await createEc2Client({ region: 'us-east-1' });
    await createAwsProvider({ client }).describeImages(['ami-0586cdd73a0e60fa5', 'ami-0f47531f8c49bd1c6', 'ami-0e972d2890378139a']);
    // The handler resolves its configuration on the first request; httpHandlerConfigs() is its public view of it.
    const handler = client.config.requestHandler as unknown as { httpHandlerConfigs(): Record<string, unknown> };
    expect(handler.httpHandlerConfigs()).toMatchObject({
      attemptTimeoutMs: REQUEST_TIMEOUT_MS,
      maxResponseBytes: MAX_RESPONSE_BYTES,
      connectionTimeout: CONNECTION_TIMEOUT_MS,
    });
  });

  it('takes static credentials from the environment without the chain, unless AWS_PROFILE names a profile', async () => {
    vi.stubEnv('AWS_SESSION_TOKEN', 'FwoGZXIvYXdzEXAMPLEtoken');
    const fromEnv = await (await createEc2Client({ region: 'us-east-1' })).config.credentials();
    expect(fromEnv).toMatchObject({ accessKeyId: 'AKIDEXAMPLE', sessionToken: 'FwoGZXIvYXdzEXAMPLEtoken' });
    // With AWS_PROFILE the SDK's chain skips the environment's keys: so does imglint (no static credentials).
    vi.stubEnv('AWS_PROFILE', 'nonexistent-imglint-test');
    const chained = await createEc2Client({ region: 'us-east-1' });
    await expect(chained.config.credentials()).rejects.toThrow();
  });
});

describe('lazy loading', () => {
  it('importing the provider modules and creating a provider does not load @aws-sdk/client-ec2', () => {
    // A fresh process: this test file itself has the SDK loaded. require.cache sees CJS loads from both `require`
    // and ESM `import` (from the sources, ec2-sdk.ts imports the package's CommonJS build), so a static import
    // anywhere in these modules would show up; loadEc2Sdk() is the control.
    const script = `
      import { createRequire } from 'node:module';
      const require = createRequire(import.meta.url);
      const loaded = () => Object.keys(require.cache).some((file) => file.includes('@aws-sdk/client-ec2'));
      const { createAwsProvider } = await import('./providers/aws/index.ts');
      await import('./providers/aws/image-file.ts');
      const provider = createAwsProvider({ region: 'us-east-1' });
      await provider.region();
      const source = provider.catalogSource.description;
      const before = loaded();
      const { loadEc2Sdk } = await import('./providers/aws/ec2-client.ts');
      await loadEc2Sdk();
      console.log(JSON.stringify({ before, after: loaded(), source,
        warning: process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED }));
    `;
    const env = { ...process.env };
    delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: repoRoot,
      env,
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual({ before: false, after: true, source: 'EC2 API (us-east-1)', warning: 'true' });
  });
});
