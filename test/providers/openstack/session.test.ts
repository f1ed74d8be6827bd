/**
 * The session: token reuse, expiry, re-authentication on 401, endpoint selection for Rackspace and Keystone, and
 * what a check costs in requests.
 */
import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { getGlanceImage } from '../../../providers/openstack/glance.js';
import { listFlavors } from '../../../providers/openstack/nova.js';
import { createOpenStackSession } from '../../../providers/openstack/session.js';
import { rejection } from '../../support/errors.js';
import {
  BEFORE_2015_EXPIRY,
  fastHttp,
  fixture,
  intercept,
  rackspaceConfig,
  RAX_IAD_COMPUTE,
  RAX_IAD_COMPUTE_PATH,
  RAX_IAD_IMAGES,
  RAX_IDENTITY,
  RAX_TOKEN_2015,
  replyWithRackspaceToken,
  useOpenStackNock,
} from './openstack-nock.js';

const requests = useOpenStackNock();

const FLAVORS_URL = `${RAX_IAD_COMPUTE}${RAX_IAD_COMPUTE_PATH}/flavors/detail`;
const Anything = z.looseObject({});
const authRequests = () => requests.filter((r) => r.url === `${RAX_IDENTITY}/v2.0/tokens`);

function session(clock: { now: Date } = { now: BEFORE_2015_EXPIRY }, config = rackspaceConfig()) {
  return createOpenStackSession(config, { http: fastHttp(), now: () => clock.now });
}

describe('token reuse', () => {
  it('authenticates once for two calls', async () => {
    replyWithRackspaceToken();
    intercept(RAX_IAD_COMPUTE).get(`${RAX_IAD_COMPUTE_PATH}/flavors/detail`).times(2).reply(200, { flavors: [] });
    const s = session();
    await s.getJson(FLAVORS_URL, Anything);
    await s.getJson(FLAVORS_URL, Anything);
    expect(authRequests()).toHaveLength(1);
    expect(requests.slice(1).map((r) => r.headers['x-auth-token'])).toEqual([RAX_TOKEN_2015, RAX_TOKEN_2015]);
  });

  it('shares one authentication between concurrent callers', async () => {
    replyWithRackspaceToken();
    const s = session();
    const urls = await Promise.all([s.computeUrl(), s.imageUrl(), s.token()]);
    expect(urls.slice(0, 2)).toEqual([`${RAX_IAD_COMPUTE}${RAX_IAD_COMPUTE_PATH}`, `${RAX_IAD_IMAGES}/v2`]);
    expect(authRequests()).toHaveLength(1);
  });

  it('authenticates again once the token is (about to be) expired', async () => {
    replyWithRackspaceToken(2);
    const clock = { now: BEFORE_2015_EXPIRY };
    const s = session(clock);
    await s.token();
    clock.now = new Date('2015-06-05T16:24:40Z'); // 17 s before expiry: inside the 30 s margin
    await s.token();
    expect(authRequests()).toHaveLength(2);
  });

  it('re-authenticates exactly once per expiry', async () => {
    const body = fixture<{ access: { token: { expires: string } } }>('token_response_apikey_docs_2015.json');
    const renewed = structuredClone(body);
    renewed.access.token.expires = '2015-06-06T16:24:57.637Z';
    intercept(RAX_IDENTITY).post('/v2.0/tokens').reply(200, body).post('/v2.0/tokens').reply(200, renewed);
    const clock = { now: BEFORE_2015_EXPIRY };
    const s = session(clock);
    expect((await s.token()).expiresAt.toISOString()).toBe('2015-06-05T16:24:57.637Z');
    clock.now = new Date('2015-06-05T17:00:00Z');
    expect((await s.token()).expiresAt.toISOString()).toBe('2015-06-06T16:24:57.637Z');
    expect((await s.token()).expiresAt.toISOString()).toBe('2015-06-06T16:24:57.637Z');
    expect(authRequests()).toHaveLength(2);
  });

  it('does not cache a failed authentication', async () => {
    intercept(RAX_IDENTITY).post('/v2.0/tokens').reply(401, { unauthorized: { code: 401, message: 'bad' } });
    replyWithRackspaceToken();
    const s = session();
    const error = await rejection(s.token());
    expect(error.message).toBe(`authentication failed (401) at ${RAX_IDENTITY}/v2.0/tokens`);
    expect((await s.token()).id).toBe(RAX_TOKEN_2015);
  });
});

describe('projectId', () => {
  it("is the cached token's tenant id: no second authentication", async () => {
    replyWithRackspaceToken();
    const s = session();
    expect(await Promise.all([s.projectId(), s.computeUrl()])).toEqual(['123456', `${RAX_IAD_COMPUTE}${RAX_IAD_COMPUTE_PATH}`]);
    expect(await s.projectId()).toBe('123456');
    expect(authRequests()).toHaveLength(1);
  });

  it('is undefined when the token names no tenant', async () => {
    const body = fixture<{ access: { token: Record<string, unknown> } }>('token_response_apikey_docs_2015.json');
    delete body.access.token.tenant;
    intercept(RAX_IDENTITY).post('/v2.0/tokens').reply(200, body);
    expect(await session().projectId()).toBeUndefined();
  });
});

describe('401 from a service', () => {
  it('re-authenticates once and retries the request with the new token', async () => {
    const second = fixture<{ access: { token: { id: string } } }>('token_response_apikey_docs_2015.json');
    second.access.token.id = 'second-token-0000';
    intercept(RAX_IDENTITY).post('/v2.0/tokens').reply(200, fixture('token_response_apikey_docs_2015.json')).post('/v2.0/tokens').reply(200, second);
    intercept(RAX_IAD_COMPUTE)
      .get(`${RAX_IAD_COMPUTE_PATH}/flavors/detail`)
      .reply(401, { unauthorized: { code: 401, message: 'token expired' } })
      .get(`${RAX_IAD_COMPUTE_PATH}/flavors/detail`)
      .reply(200, { flavors: [] });
    const s = session();
    expect(await s.getJson(FLAVORS_URL, Anything)).toEqual({ flavors: [] });
    expect(requests.map((r) => r.headers['x-auth-token'] ?? 'auth')).toEqual(['auth', RAX_TOKEN_2015, 'auth', 'second-token-0000']);
  });

  it('gives up after the second 401: AuthFailure', async () => {
    replyWithRackspaceToken(2);
    intercept(RAX_IAD_COMPUTE).get(`${RAX_IAD_COMPUTE_PATH}/flavors/detail`).times(2).reply(401);
    const error = await rejection(session().getJson(FLAVORS_URL, Anything));
    expect(error).toMatchObject({ kind: 'provider', code: 'AuthFailure', message: `token refused (401) at ${FLAVORS_URL}` });
    expect(authRequests()).toHaveLength(2);
  });

  it('does not re-authenticate on 403', async () => {
    replyWithRackspaceToken();
    intercept(RAX_IAD_COMPUTE).get(`${RAX_IAD_COMPUTE_PATH}/flavors/detail`).reply(403, { forbidden: { code: 403, message: 'Policy does not allow' } });
    const error = await rejection(session().getJson(FLAVORS_URL, Anything));
    expect(error.message).toBe(`access denied (403) at ${FLAVORS_URL}: Policy does not allow`);
    expect(authRequests()).toHaveLength(1);
  });
});

describe('endpoints', () => {
  it('uses cloudServersOpenStack and cloudImages on Rackspace', async () => {
    replyWithRackspaceToken();
    const s = session({ now: BEFORE_2015_EXPIRY }, rackspaceConfig({ region: 'SYD' }));
    expect(s.region).toBe('SYD');
    expect(s.provider).toBe('rackspace');
    expect(await s.computeUrl()).toBe('https://syd.servers.api.rackspacecloud.com/v2/123456');
    expect(await s.imageUrl()).toBe('https://syd.images.api.rackspacecloud.com/v2');
  });

  it('rejects a region the account does not have, listing the ones it has; no image endpoint there', async () => {
    replyWithRackspaceToken();
    const s = session({ now: BEFORE_2015_EXPIRY }, rackspaceConfig({ region: 'LON' }));
    const error = await rejection(s.computeUrl());
    expect(error).toMatchObject({ kind: 'usage' });
    expect(error.message).toBe('region LON is not in the service catalog for compute (cloudServersOpenStack); it has DFW, HKG, IAD, SYD');
    expect(await s.imageUrl()).toBeUndefined();
  });

  it('uses the Keystone v3 catalog on a generic cloud', async () => {
    intercept('https://keystone.example')
      .post('/v3/auth/tokens')
      .reply(201, fixture('keystone_v3_auth_password_project_scoped_response.json'), { 'X-Subject-Token': 'gAAAAAB-v3-token' });
    const s = createOpenStackSession(
      {
        provider: 'openstack',
        authUrl: 'https://keystone.example/v3',
        credentials: { method: 'password', username: 'admin', password: 'pw-123456', userDomainName: 'Default' },
        project: { name: 'admin', domainName: 'Default' },
        region: 'RegionOne',
        interface: 'public',
      },
      { http: fastHttp(), now: () => new Date('2015-11-07T02:00:00Z') },
    );
    expect(await s.computeUrl()).toBe('http://23.253.248.171:8774/v2.1/a6944d763bf64ee6a275f1263fae0352');
    expect(await s.imageUrl()).toBe('http://23.253.248.171:9292');
    expect((await s.token()).id).toBe('gAAAAAB-v3-token');
    expect(await s.projectId()).toBe('a6944d763bf64ee6a275f1263fae0352');
  });
});

describe('request budget', () => {
  it('after authentication, one flavor list and one Glance image cost exactly 2 requests', async () => {
    replyWithRackspaceToken();
    const image = fixture<{ id: string }>('glance_v2_image_centos7_pvhvm_2015.json');
    intercept(RAX_IAD_COMPUTE).get(`${RAX_IAD_COMPUTE_PATH}/flavors/detail`).reply(200, fixture('flavors_detail_iad_2015.json'));
    intercept(RAX_IAD_IMAGES).get(`/v2/images/${image.id}`).reply(200, image);
    const s = session();
    await s.token();
    const before = requests.length;

    const [flavors, glanceImage] = await Promise.all([listFlavors(s), getGlanceImage(s, image.id)]);

    expect(before).toBe(1);
    expect(requests.length - before).toBe(2);
    expect(flavors).toHaveLength(38);
    expect(glanceImage).toMatchObject({ id: image.id, name: 'CentOS 7 (PVHVM)', flavor_classes: '*,!onmetal' });
  });
});
