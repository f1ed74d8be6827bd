/**
 * The built CLI against an OpenStack endpoint that answers badly (the local Rackspace-compatible endpoint of
 * `./openstack-endpoint.ts` on 127.0.0.1, with one request hijacked): silence, a body trickled at 1 byte/s, a body
 * larger than imglint reads. `--timeout` bounds the whole run's provider time, token request and retries included,
 * and a body over 32 MiB is cut off: every case ends with exit 3 and a message in imglint's words, without a stack
 * trace or a credential.
 */
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hasStackTrace, runCliAsync, type CliRun } from '../cli/run-cli.js';
import { writeOversizeBody } from '../support/oversize-body.js';
import type { OpenStackEndpoint } from './openstack-endpoint.js';

let endpoint: OpenStackEndpoint;
let fx: typeof import('./openstack-endpoint.js');

const BLANK_OPENSTACK = Object.fromEntries(
  ['OS_CLOUD', 'OS_CLIENT_CONFIG_FILE', 'OS_USERNAME', 'OS_PASSWORD', 'OS_PROJECT_NAME', 'OS_PROJECT_ID', 'OS_REGION_NAME',
    'OS_APPLICATION_CREDENTIAL_ID', 'OS_APPLICATION_CREDENTIAL_SECRET', 'OS_AUTH_TYPE', 'RAX_REGION'].map((name) => [name, '']),
);
const FLAVORS = /\/flavors\/detail/;
const TOKENS = /^\/v2\.0\/tokens/;

function check(extra: readonly string[] = []): Promise<CliRun> {
  return runCliAsync(['check', '--provider', 'rackspace', '--region', 'IAD', '--image', fx.IMAGES.centos7, '--flavor', 'general1-1', ...extra], {
    ...BLANK_OPENSTACK,
    OS_AUTH_URL: endpoint.authUrl,
    RAX_USERNAME: fx.USERNAME,
    RAX_API_KEY: fx.API_KEY,
  });
}

function expectClean(run: CliRun): void {
  expect(hasStackTrace(run.stderr)).toBe(false);
  expect(run.stderr).not.toContain(fx.API_KEY);
  expect(run.stderr).not.toContain(endpoint.tokenId());
}

/** Sends headers, then one byte a second for as long as the client listens. */
function trickle(response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.write('{');
  const timer = setInterval(() => response.write(' '), 1_000);
  response.on('close', () => clearInterval(timer));
}

beforeAll(async () => {
  fx = await import('./openstack-endpoint.js');
  endpoint = await fx.startOpenStackEndpoint();
});
afterAll(() => endpoint?.close());
beforeEach(() => endpoint.reset());

describe('bounded in time and size (OpenStack)', () => {
  it('a token request that is never answered ends at --timeout with exit 3, retries included', async () => {
    endpoint.hijackNext(10, TOKENS, () => undefined);
    const run = await check(['--timeout', '2']);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain(`imglint: POST ${endpoint.authUrl}/tokens did not finish within 2 s, the time limit of this run`);
    expect(run.stderr).toContain('hint: raise it with --timeout <seconds>');
    expectClean(run);
  });

  it('a flavor list trickled at 1 byte/s ends at --timeout with exit 3: the limit is the whole run, after authentication', async () => {
    endpoint.hijackNext(10, FLAVORS, trickle);
    const run = await check(['--timeout', '3']);
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/imglint: GET \S+\/flavors\/detail\S* did not finish within 3 s, the time limit of this run/);
    expect(endpoint.log.filter((request) => TOKENS.test(request.path))).toHaveLength(1);
    expectClean(run);
  });

  it('a body larger than 32 MiB is cut off: exit 3, malformed response', async () => {
    endpoint.hijackNext(10, FLAVORS, (response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"flavors": [');
      writeOversizeBody(response, ' ');
    });
    const run = await check();
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/imglint: malformed response from \S+\/flavors\/detail\S*: the answer is larger than 32 MiB/);
    expectClean(run);
  });

  it('a Content-Length over the limit is refused before the body is read', async () => {
    endpoint.hijackNext(10, FLAVORS, (response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(300 * 1024 * 1024) });
      response.write('{"flavors": [');
    });
    const run = await check();
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('the answer is larger than 32 MiB');
    expectClean(run);
  });
});
