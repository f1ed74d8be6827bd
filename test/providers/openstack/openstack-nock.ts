/**
 * Wire-level harness for the OpenStack client: the real transport (got) against nock, real Rackspace captures
 * (`test/fixtures/data/rackspace/`) and Keystone samples (`test/fixtures/openstack/`). Net connect is disabled; every test must use every interceptor it sets
 * up. Requests made through {@link intercept} scopes are logged, so tests can count and inspect them.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type { OpenStackConfig } from '../../../providers/openstack/config.js';
import { createOpenStackHttp, type OpenStackHttpOptions } from '../../../providers/openstack/http.js';

const fixturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');
/** Where a fixture may be: the Keystone samples, then the Rackspace captures by API. */
const FIXTURE_DIRS = ['openstack', 'data/rackspace/identity', 'data/rackspace/compute', 'data/rackspace/images'].map((dir) => path.join(fixturesDir, dir));

/** A committed JSON fixture by file name (`token_response_apikey_docs_2015.json`), parsed (a fresh copy on every call). */
export function fixture<T = Record<string, unknown>>(name: string): T {
  const file = FIXTURE_DIRS.map((dir) => path.join(dir, name)).find((candidate) => existsSync(candidate));
  if (file === undefined) throw new Error(`no fixture ${name} in ${FIXTURE_DIRS.join(', ')}`);
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** Rackspace's US identity host, and the one of the token captures. */
export const RAX_IDENTITY = 'https://identity.api.rackspacecloud.com';
/** From `token_response_apikey_docs_2015.json`. */
export const RAX_TOKEN_2015 = 'd74f592f986e4d6e995853ccf0123456';
/** The 2015 capture's token expires 2015-06-05T16:24:57.637Z; this clock is a few hours before. */
export const BEFORE_2015_EXPIRY = new Date('2015-06-05T12:00:00Z');
/** `cloudServersOpenStack` IAD in the 2015 capture. */
export const RAX_IAD_COMPUTE = 'https://iad.servers.api.rackspacecloud.com';
export const RAX_IAD_COMPUTE_PATH = '/v2/123456';
/** `cloudImages` IAD in the 2015 capture (the catalog URL ends in `/v2`). */
export const RAX_IAD_IMAGES = 'https://iad.images.api.rackspacecloud.com';

/** Fake credentials: long enough to be recognisable if they ever leak into a message. */
export const SECRET_API_KEY = 'a4bbc55a951242c48b03e88e32123456';
export const SECRET_PASSWORD = 'correct-horse-battery-staple-42';

/** One request as nock saw it. */
export interface LoggedRequest {
  method: string;
  /** Absolute URL, query included. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, when there was one. */
  body: unknown;
}

const log: LoggedRequest[] = [];

/**
 * Installs the harness in the calling test file and returns the log of intercepted requests (emptied before each
 * test). After each test, unused interceptors fail it.
 */
export function useOpenStackNock(): LoggedRequest[] {
  beforeAll(() => {
    nock.disableNetConnect();
  });
  beforeEach(() => {
    log.length = 0;
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending, 'interceptors that were never called').toEqual([]);
  });
  afterAll(() => {
    nock.enableNetConnect();
  });
  return log;
}

/** `nock(base)` whose requests land in the log of {@link useOpenStackNock}. */
export function intercept(base: string): nock.Scope {
  return nock(base).on('request', (req: { method: string; path: string; headers: LoggedRequest['headers'] }, _i, body: string) => {
    log.push({
      method: req.method,
      url: `${base}${req.path}`,
      headers: req.headers,
      body: body ? (JSON.parse(body) as unknown) : undefined,
    });
  });
}

/** A transport with test-sized waits: 2 retries, 1 ms backoff, 20 ms cap, 300 ms timeouts. */
export function fastHttp(options: OpenStackHttpOptions = {}) {
  return createOpenStackHttp({
    timeout: { requestMs: 300, connectMs: 300 },
    retry: { limit: 2, baseDelayMs: 1, maxDelayMs: 20 },
    ...options,
  });
}

/** A resolved Rackspace configuration (API key, IAD, the US identity endpoint). */
export function rackspaceConfig(overrides: Partial<OpenStackConfig> = {}): OpenStackConfig {
  return {
    provider: 'rackspace',
    authUrl: `${RAX_IDENTITY}/v2.0/`,
    credentials: { method: 'rax-api-key', username: 'yourUserName', apiKey: SECRET_API_KEY },
    region: 'IAD',
    interface: 'public',
    ...overrides,
  };
}

/** Answers one Rackspace v2.0 token request with the 2015 capture (19 services, token `RAX_TOKEN_2015`). */
export function replyWithRackspaceToken(times = 1): nock.Scope {
  return intercept(RAX_IDENTITY).post('/v2.0/tokens').times(times).reply(200, fixture('token_response_apikey_docs_2015.json'));
}
