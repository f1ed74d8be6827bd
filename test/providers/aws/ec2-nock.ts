/**
 * Wire-level test harness for the AWS provider: the real `@aws-sdk/client-ec2` (real signing, real XML parser)
 * against nock. Net connect is disabled; every test must use every interceptor it sets up, and nothing else.
 * Credentials and region are fake and come only from the environment, like a user's would.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, expect, vi } from 'vitest';

export const EC2_ENDPOINT = 'https://ec2.us-east-1.amazonaws.com';

const fixturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'aws');

/** A committed fixture from `test/fixtures/aws/`, as text. */
export function fixture(name: string): string {
  return readFileSync(path.join(fixturesDir, name), 'utf8');
}

/** A committed JSON fixture from `test/fixtures/aws/`, parsed. */
export function jsonFixture<T>(name: string): T {
  return JSON.parse(fixture(name)) as T;
}

/**
 * The environment every test starts from: fake static credentials, us-east-1, one attempt per request (tests that
 * exercise retries raise it), no shared config files, no IMDS, no endpoint override.
 */
export const FAKE_AWS_ENV: Readonly<Record<string, string | undefined>> = {
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_SESSION_TOKEN: undefined,
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: undefined,
  AWS_PROFILE: undefined,
  AWS_CONFIG_FILE: '/nonexistent/imglint-test/config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/imglint-test/credentials',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_ENDPOINT_URL: undefined,
  AWS_ENDPOINT_URL_EC2: undefined,
  AWS_MAX_ATTEMPTS: '1',
  AWS_RETRY_MODE: undefined,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/** One EC2 request as nock saw it: the form body (`Action`, `Version`, `ImageId.1`, `Filter.1.Name`, ...). */
export type Ec2Form = Record<string, string>;

/**
 * Installs the harness in the calling test file and returns the log of requests EC2 answered, in order
 * (emptied before each test; pass it to {@link replyToEc2}).
 */
export function useEc2Nock(): Ec2Form[] {
  const requests: Ec2Form[] = [];
  beforeAll(() => {
    nock.disableNetConnect();
  });
  beforeEach(() => {
    requests.length = 0;
    for (const [name, value] of Object.entries(FAKE_AWS_ENV)) vi.stubEnv(name, value);
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
    expect(pending, 'interceptors that were never called').toEqual([]);
  });
  afterAll(() => {
    nock.enableNetConnect();
  });
  return requests;
}

/**
 * Answers the next EC2 request whose `Action` is `action` with `status` and an XML `body`, and records the
 * request's form body in `requests`.
 *
 * @param requests - the log from {@link useEc2Nock}.
 * @param times - how many identical requests to answer (retries need one each).
 */
export function replyToEc2(
  requests: Ec2Form[],
  action: string,
  status: number,
  body: string,
  times = 1,
): nock.Scope {
  return nock(EC2_ENDPOINT)
    .post('/', (form: Ec2Form) => form.Action === action)
    .times(times)
    .reply(status, (_uri, form) => {
      requests.push(typeof form === 'string' ? Object.fromEntries(new URLSearchParams(form)) : (form as Ec2Form));
      return body;
    }, { 'content-type': 'text/xml;charset=UTF-8' });
}
