/**
 * The transport: JSON + zod, timeouts, bounded retries honouring Retry-After, error mapping, redaction.
 */
import { inspect } from 'node:util';
import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { createOpenStackHttp, isNotFound, OpenStackHttpError, redact } from '../../../providers/openstack/http.js';
import { rejection } from '../../support/errors.js';
import { fastHttp, fixture, intercept, SECRET_API_KEY, SECRET_PASSWORD, useOpenStackNock } from './openstack-nock.js';

const requests = useOpenStackNock();

const HOST = 'https://iad.servers.api.rackspacecloud.com';
const URL_ = `${HOST}/v2/123456/flavors/detail`;
const FlavorList = z.object({ flavors: z.array(z.looseObject({ id: z.string() })) });
const TOKEN = 'tok-0123456789abcdef';

describe('getJson', () => {
  it('sends the token and Accept header and returns the validated body', async () => {
    intercept(HOST).get('/v2/123456/flavors/detail').reply(200, fixture('flavors_detail_iad_2015.json'));
    const body = await fastHttp().getJson(URL_, FlavorList, { token: TOKEN });
    expect(body.flavors).toHaveLength(38);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.headers['x-auth-token']).toBe(TOKEN);
    expect(requests[0]!.headers.accept).toBe('application/json');
  });

  it('answers 404 with a NotFound error the caller can recognise', async () => {
    intercept(HOST).get('/v2/123456/flavors/nope').reply(404, { itemNotFound: { message: 'The resource could not be found.', code: 404 } });
    const error = await rejection(fastHttp().getJson(`${HOST}/v2/123456/flavors/nope`, FlavorList));
    expect(isNotFound(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'provider', code: 'NotFound', status: 404 });
    expect(error.message).toBe(`not found (404) at ${HOST}/v2/123456/flavors/nope: The resource could not be found.`);
  });

  it('maps a service 401 to AuthFailure with the status, so a session can re-authenticate', async () => {
    intercept(HOST).get('/v2/123456/flavors/detail').reply(401, { unauthorized: { code: 401, message: 'Authentication required' } });
    const error = await rejection(fastHttp().getJson(URL_, FlavorList, { token: TOKEN }));
    expect(error).toBeInstanceOf(OpenStackHttpError);
    expect(error).toMatchObject({ code: 'AuthFailure', status: 401 });
    expect(error.message).toBe(`token refused (401) at ${URL_}: Authentication required`);
  });

  it('maps a 500 to ServiceError at once (500 is not retried)', async () => {
    intercept(HOST).get('/v2/123456/flavors/detail').reply(500, { computeFault: { code: 500, message: 'oops' } });
    const error = await rejection(fastHttp().getJson(URL_, FlavorList));
    expect(error).toMatchObject({ code: 'ServiceError', status: 500, message: `service error (500) at ${URL_}: oops` });
    expect(requests).toHaveLength(1);
  });

  it('maps other 4xx to ServiceError naming the status and what the server said', async () => {
    intercept(HOST).get('/v2/123456/flavors/detail').reply(400, { badRequest: { code: 400, message: 'Invalid marker' } });
    const error = await rejection(fastHttp().getJson(URL_, FlavorList));
    expect(error.message).toBe(`request rejected (400) at ${URL_}: Invalid marker`);
  });
});

describe('retries', () => {
  it('retries a 503 that says Retry-After: 0, then succeeds', async () => {
    intercept(HOST)
      .get('/v2/123456/flavors/detail')
      .reply(503, 'busy', { 'retry-after': '0' })
      .get('/v2/123456/flavors/detail')
      .reply(200, { flavors: [] });
    const started = Date.now();
    expect(await fastHttp().getJson(URL_, FlavorList)).toEqual({ flavors: [] });
    expect(requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('retries after a Retry-After HTTP date in the past at once', async () => {
    intercept(HOST)
      .get('/v2/123456/flavors/detail')
      .reply(503, 'busy', { 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' })
      .get('/v2/123456/flavors/detail')
      .reply(200, { flavors: [] });
    await fastHttp().getJson(URL_, FlavorList);
    expect(requests).toHaveLength(2);
  });

  it('waits as long as Retry-After says (1 s) when that is under the cap', async () => {
    intercept(HOST)
      .get('/v2/123456/flavors/detail')
      .reply(429, 'slow down', { 'retry-after': '1' })
      .get('/v2/123456/flavors/detail')
      .reply(200, { flavors: [] });
    const started = Date.now();
    await fastHttp({ retry: { limit: 1, maxDelayMs: 5_000 } }).getJson(URL_, FlavorList);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('retries 502 and 504 too', async () => {
    intercept(HOST)
      .get('/v2/123456/flavors/detail')
      .reply(502)
      .get('/v2/123456/flavors/detail')
      .reply(504)
      .get('/v2/123456/flavors/detail')
      .reply(200, { flavors: [] });
    await fastHttp().getJson(URL_, FlavorList);
    expect(requests).toHaveLength(3);
  });

  it('gives up on a 429 after limit + 1 attempts: Throttled', async () => {
    intercept(HOST)
      .get('/v2/123456/flavors/detail')
      .times(3)
      .reply(429, { overLimit: { code: 429, message: 'Over limit' } }, { 'retry-after': '0' });
    const error = await rejection(fastHttp().getJson(URL_, FlavorList));
    expect(error).toMatchObject({ kind: 'provider', code: 'Throttled', status: 429 });
    expect(error.message).toBe(`throttled (429) at ${URL_} after 3 attempts`);
    expect(requests).toHaveLength(3);
  });

  it('does not wait for a Retry-After beyond the cap, and says how long the server asked for', async () => {
    intercept(HOST).get('/v2/123456/flavors/detail').reply(429, 'slow down', { 'retry-after': '120' });
    const started = Date.now();
    const error = await rejection(fastHttp().getJson(URL_, FlavorList));
    expect(error.message).toBe(`throttled (429) at ${URL_}; the server asks to wait 120 s`);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('gives up on 503 after the retries: ServiceError naming the attempts', async () => {
    intercept(HOST).get('/v2/123456/flavors/detail').times(3).reply(503);
    const error = await rejection(fastHttp().getJson(URL_, FlavorList));
    expect(error).toMatchObject({ code: 'ServiceError', message: `service error (503) at ${URL_} after 3 attempts` });
  });
});

describe('timeouts, network, malformed bodies', () => {
  it('times out a slow answer: Timeout', async () => {
    intercept(HOST).get('/v2/123456/flavors/detail').delay(500).reply(200, { flavors: [] });
    const http = createOpenStackHttp({ timeout: { requestMs: 50 }, retry: { limit: 0 } });
    const error = await rejection(http.getJson(URL_, FlavorList));
    expect(error).toMatchObject({ kind: 'provider', code: 'Timeout' });
    expect(error.message).toBe(`no answer within 50 ms from ${URL_}`);
  });

  it('retries timeouts within the limit', async () => {
    intercept(HOST)
      .get('/v2/123456/flavors/detail')
      .delay(500)
      .reply(200, { flavors: [] })
      .get('/v2/123456/flavors/detail')
      .reply(200, { flavors: [{ id: '2' }] });
    const http = createOpenStackHttp({ timeout: { requestMs: 50 }, retry: { limit: 1, baseDelayMs: 1 } });
    expect((await http.getJson(URL_, FlavorList)).flavors).toEqual([{ id: '2' }]);
  });

  it('maps an unreachable host to Network', async () => {
    const error = await rejection(fastHttp({ retry: { limit: 0 } }).getJson('https://unreachable.example/v2/x', FlavorList));
    expect(error).toMatchObject({ code: 'Network' });
    expect(error.message).toMatch(/^cannot reach https:\/\/unreachable\.example\/v2\/x: /);
  });

  it('rejects a body that is not JSON: MalformedResponse naming the endpoint', async () => {
    intercept(HOST).get('/v2/123456/flavors/detail').reply(200, '<html>Service Unavailable</html>', { 'content-type': 'text/html' });
    const error = await rejection(fastHttp().getJson(URL_, FlavorList));
    expect(error).toMatchObject({ kind: 'provider', code: 'MalformedResponse', message: `the response from ${URL_} is not JSON` });
    expect(error.message).not.toMatch(/\n|at .*\.js/);
  });

  it('rejects JSON of the wrong shape: MalformedResponse naming the endpoint and the field path', async () => {
    intercept(HOST).get('/v2/123456/flavors/detail').reply(200, { flavors: [{ id: '2' }, { name: 'no id' }] });
    const error = await rejection(fastHttp().getJson(URL_, FlavorList));
    expect(error.code).toBe('MalformedResponse');
    expect(error.message).toBe(`unexpected response from ${URL_}: flavors[1].id: expected string`);
  });
});

describe('redaction', () => {
  it('masks secret keys in objects and key/value forms in text', () => {
    expect(redact({ 'X-Auth-Token': 'abc123456', nested: { apiKey: 'k1234567', username: 'bob' } })).toBe(
      '{"X-Auth-Token":"[redacted]","nested":{"apiKey":"[redacted]","username":"bob"}}',
    );
    expect(redact('{"password": "hunter2222", "user": "x"}')).toBe('{"password": "[redacted]", "user": "x"}');
    expect(redact('X-Subject-Token: gAAAAABk; password=p4ssw0rd&x=1')).toBe('X-Subject-Token: [redacted]; password=[redacted]&x=1');
    expect(redact('https://bob:s3cret@identity.example/v3')).toBe('https://[redacted]@identity.example/v3');
    expect(redact('token tok-0123456789 was refused', ['tok-0123456789'])).toBe('token [redacted] was refused');
    expect(redact({ auth: { application_credential: { id: 'app-id', secret: 'app-secret-1' } } })).toBe(
      '{"auth":{"application_credential":{"id":"app-id","secret":"[redacted]"}}}',
    );
  });

  it('never puts a password, API key or token in debug lines or errors', async () => {
    const lines: string[] = [];
    const http = fastHttp({ debug: (line) => lines.push(line) });
    // The server echoes the credentials back in its fault message (it happens): the message must not.
    intercept('https://identity.example')
      .post('/v2.0/tokens')
      .reply(401, { unauthorized: { code: 401, message: `bad key ${SECRET_API_KEY} or password ${SECRET_PASSWORD}` } });
    const authError = await rejection(
      http.postJson(
        'https://identity.example/v2.0/tokens',
        {
          auth: {
            passwordCredentials: { username: 'u', password: SECRET_PASSWORD },
            'RAX-KSKEY:apiKeyCredentials': { apiKey: SECRET_API_KEY },
          },
        },
        z.object({}),
        { purpose: 'identity' },
      ),
    );
    intercept(HOST)
      .get('/v2/123456/flavors/detail')
      .reply(503, { serviceUnavailable: { message: `token ${TOKEN} is fine` } })
      .get('/v2/123456/flavors/detail')
      .reply(500, { computeFault: { message: `X-Auth-Token: ${TOKEN}` } });
    const serviceError = await rejection(http.getJson(URL_, FlavorList, { token: TOKEN }));

    expect(requests[0]!.body).toMatchObject({ auth: { passwordCredentials: { password: SECRET_PASSWORD } } });
    expect(lines.length).toBeGreaterThanOrEqual(5);
    const everything = [
      ...lines,
      authError.message,
      authError.hint ?? '',
      serviceError.message,
      inspect(authError, { depth: 10 }),
      inspect(serviceError, { depth: 10 }),
    ].join('\n');
    for (const secret of [SECRET_PASSWORD, SECRET_API_KEY, TOKEN]) expect(everything).not.toContain(secret);
    expect(lines[0]).toContain('"password":"[redacted]"');
    expect(lines.some((line) => line.includes('"x-auth-token":"[redacted]"'))).toBe(true);
  });
});
