/**
 * Redirects: the OpenStack client follows a redirect only within the origin (scheme, host and port) it called, at
 * most 3 in a row; a redirect to another origin is refused before anything is sent there, so an API key, a password
 * or an X-Auth-Token never reaches it. Two HTTP servers on 127.0.0.1 play the API and the other origin.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from 'zod/mini';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOpenStackHttp } from '../../../providers/openstack/http.js';
import { hasStackTrace, runCliAsync } from '../../cli/run-cli.js';
import { rejection } from '../../support/errors.js';

interface Seen {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

type Route = (request: Seen) => { status: number; headers?: Record<string, string>; body?: unknown };

/** A server on 127.0.0.1 answering `route`, recording every request it gets. */
async function serve(route: () => Route): Promise<{ server: Server; url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const entry = { method: request.method ?? '', path: request.url ?? '', headers: request.headers, body };
      seen.push(entry);
      const answer = route()(entry);
      response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      response.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const SECRET_KEY = 'rax-api-key-0123456789';
const TOKEN = 'tok-abcdef0123456789';
const Anything = z.looseObject({});

let api: Awaited<ReturnType<typeof serve>>;
let other: Awaited<ReturnType<typeof serve>>;
let apiRoute: Route;

beforeAll(async () => {
  api = await serve(() => apiRoute);
  other = await serve(() => () => ({ status: 200, body: { access: { token: { id: 'stolen' } } } }));
});

afterAll(async () => {
  await Promise.all([api, other].map(({ server }) => new Promise((resolve) => server.close(resolve))));
});

beforeEach(() => {
  api.seen.length = 0;
  other.seen.length = 0;
});

const http = () => createOpenStackHttp({ retry: { limit: 0 } });

describe('redirects to another origin', () => {
  it('a 307 on POST /v2.0/tokens: the API key is not re-posted there; exit-3 error naming the target', async () => {
    apiRoute = () => ({ status: 307, headers: { location: `${other.url}/v2.0/tokens` } });
    const body = { auth: { 'RAX-KSKEY:apiKeyCredentials': { username: 'alice', apiKey: SECRET_KEY } } };
    const error = await rejection(http().postJson(`${api.url}/v2.0/tokens`, body, Anything, { purpose: 'identity' }));
    expect(other.seen).toEqual([]);
    expect(error).toMatchObject({ kind: 'provider', code: 'Redirect', status: 307 });
    expect(error.message).toBe(
      `POST ${api.url}/v2.0/tokens redirected (307) to ${other.url}/v2.0/tokens, another origin: not followed, so that no credential is sent there`,
    );
    expect(error.message).not.toContain(SECRET_KEY);
  });

  it('a 302 on GET with X-Auth-Token: nothing is sent there, the token never leaves', async () => {
    apiRoute = () => ({ status: 302, headers: { location: `${other.url}/v2/123/flavors/detail` } });
    const error = await rejection(http().getJson(`${api.url}/v2/123/flavors/detail`, Anything, { token: TOKEN }));
    expect(other.seen).toEqual([]);
    expect(error).toMatchObject({ code: 'Redirect', status: 302 });
    expect(error.message).toContain(`to ${other.url}/v2/123/flavors/detail, another origin`);
  });

  it('another host name for the same address is another origin (localhost vs 127.0.0.1)', async () => {
    const port = new URL(api.url).port;
    apiRoute = ({ path }) => (path === '/start' ? { status: 301, headers: { location: `http://localhost:${port}/end` } } : { status: 200, body: {} });
    const error = await rejection(http().getJson(`${api.url}/start`, Anything, { token: TOKEN }));
    expect(error).toMatchObject({ code: 'Redirect' });
    expect(api.seen.map((request) => request.path)).toEqual(['/start']);
  });

  it('a relative Location stays in the origin and is followed', async () => {
    apiRoute = ({ path }) => (path === '/v2/123/flavors' ? { status: 301, headers: { location: '/v2/123/flavors/detail' } } : { status: 200, body: { flavors: [] } });
    expect(await http().getJson(`${api.url}/v2/123/flavors`, Anything, { token: TOKEN })).toEqual({ flavors: [] });
    expect(api.seen.map((request) => [request.path, request.headers['x-auth-token']])).toEqual([
      ['/v2/123/flavors', TOKEN],
      ['/v2/123/flavors/detail', TOKEN],
    ]);
  });
});

describe('redirects within the origin', () => {
  it('a 307 on POST is followed with the same body (the server already has it)', async () => {
    apiRoute = ({ path }) => (path === '/v2.0/tokens' ? { status: 307, headers: { location: `${api.url}/identity/v2.0/tokens` } } : { status: 200, body: { access: {} } });
    const body = { auth: { passwordCredentials: { username: 'alice', password: 'pw-0123456789' } } };
    const { body: answer } = await http().postJson(`${api.url}/v2.0/tokens`, body, Anything, { purpose: 'identity' });
    expect(answer).toEqual({ access: {} });
    expect(api.seen.map((request) => [request.method, request.path, request.body])).toEqual([
      ['POST', '/v2.0/tokens', JSON.stringify(body)],
      ['POST', '/identity/v2.0/tokens', JSON.stringify(body)],
    ]);
  });

  it('stops after 3 redirects in a row', async () => {
    apiRoute = ({ path }) => ({ status: 302, headers: { location: `${path}x` } });
    const error = await rejection(http().getJson(`${api.url}/a`, Anything));
    expect(error).toMatchObject({ kind: 'provider', code: 'Redirect' });
    expect(error.message).toBe(`GET ${api.url}/a was redirected more than 3 times (last to ${api.url}/axxx)`);
    expect(api.seen).toHaveLength(4);
  });

  it('a 3xx without a Location is a malformed answer', async () => {
    apiRoute = () => ({ status: 302 });
    const error = await rejection(http().getJson(`${api.url}/a`, Anything));
    expect(error).toMatchObject({ code: 'Redirect', message: `GET ${api.url}/a answered 302 without a Location header` });
  });
});

describe('the CLI', () => {
  it('exits 3 with one line naming the target when the identity service redirects elsewhere', async () => {
    apiRoute = () => ({ status: 307, headers: { location: `${other.url}/v2.0/tokens` } });
    const run = await runCliAsync(['check', '--provider', 'rackspace', '--region', 'IAD', '--image', 'x', '--flavor', 'general1-1'], {
      OS_AUTH_URL: `${api.url}/v2.0`,
      OS_CLOUD: '',
      OS_USERNAME: '',
      OS_PASSWORD: '',
      OS_APPLICATION_CREDENTIAL_ID: '',
      OS_APPLICATION_CREDENTIAL_SECRET: '',
      RAX_USERNAME: 'alice',
      RAX_API_KEY: SECRET_KEY,
    });
    expect(run.status).toBe(3);
    expect(run.stderr).toContain(`redirected (307) to ${other.url}/v2.0/tokens, another origin`);
    expect(run.stderr).not.toContain(SECRET_KEY);
    expect(hasStackTrace(run.stderr)).toBe(false);
    expect(other.seen).toEqual([]);
  });
});
