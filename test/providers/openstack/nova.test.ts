/**
 * Nova reads on the real Rackspace captures: flavors (inline extra_specs), marker paging through
 * `*_links`, images through the Nova proxy, 404 → undefined, envelope errors.
 */
import { describe, expect, it } from 'vitest';
import { findNovaImagesByName, getNovaImage, listFlavors, type NovaSession } from '../../../providers/openstack/nova.js';
import { rejection } from '../../support/errors.js';
import { fastHttp, fixture, intercept, useOpenStackNock } from './openstack-nock.js';

const requests = useOpenStackNock();

const HOST = 'https://iad.servers.api.rackspacecloud.com';
const BASE = '/v2/123456';
const TOKEN = 'nova-test-token-0001';

/** A session on the IAD compute endpoint with a fixed token (the session itself is tested in session.test.ts). */
function novaSession(computeUrl = `${HOST}${BASE}`): NovaSession {
  const http = fastHttp();
  return {
    computeUrl: async () => computeUrl,
    getJson: (url, schema, options) => http.getJson(url, schema, { token: TOKEN, ...options }),
  };
}

type Flavor = { id: string } & Record<string, unknown>;
const flavors = fixture<{ flavors: Flavor[] }>('flavors_detail_iad_2015.json').flavors;

describe('listFlavors', () => {
  it('reads /flavors/detail in one request when there is no next link (38 flavors, extra_specs inline)', async () => {
    intercept(HOST).get(`${BASE}/flavors/detail`).reply(200, fixture('flavors_detail_iad_2015.json'));
    const listed = await listFlavors(novaSession());
    expect(requests.map((r) => r.url)).toEqual([`${HOST}${BASE}/flavors/detail`]);
    expect(listed).toHaveLength(38);
    expect(listed[0]).toEqual(flavors[0]);
    expect(listed.find((f) => f.id === 'compute1-4')?.['OS-FLV-WITH-EXT-SPECS:extra_specs']).toMatchObject({ class: 'compute1' });
  });

  it('follows flavors_links rel=next by marker on its own endpoint, even when the link names another host', async () => {
    const page = (from: number, to: number, next?: string) => ({
      flavors: flavors.slice(from, to),
      ...(next ? { flavors_links: [{ href: next, rel: 'next' }] } : {}),
    });
    const m1 = flavors[14]!.id;
    const m2 = flavors[29]!.id;
    intercept(HOST)
      .get(`${BASE}/flavors/detail`)
      .reply(200, page(0, 15, `http://nova-internal.example:8774/v2/123456/flavors/detail?limit=15&marker=${m1}`))
      .get(`${BASE}/flavors/detail`)
      .query({ limit: '15', marker: m1 })
      .reply(200, page(15, 30, `${HOST}${BASE}/flavors/detail?limit=15&marker=${m2}`))
      .get(`${BASE}/flavors/detail`)
      .query({ limit: '15', marker: m2 })
      .reply(200, page(30, 38));
    const listed = await listFlavors(novaSession());
    expect(listed.map((f) => f.id)).toEqual(flavors.map((f) => f.id));
    expect(requests.map((r) => r.url)).toEqual([
      `${HOST}${BASE}/flavors/detail`,
      `${HOST}${BASE}/flavors/detail?limit=15&marker=${m1}`,
      `${HOST}${BASE}/flavors/detail?limit=15&marker=${m2}`,
    ]);
  });

  it('stops with MalformedResponse when the next link does not advance', async () => {
    const next = `${HOST}${BASE}/flavors/detail?marker=3`;
    intercept(HOST)
      .get(`${BASE}/flavors/detail`)
      .reply(200, { flavors: flavors.slice(0, 2), flavors_links: [{ href: next, rel: 'next' }] })
      .get(`${BASE}/flavors/detail`)
      .query({ marker: '3' })
      .reply(200, { flavors: flavors.slice(2, 4), flavors_links: [{ href: next, rel: 'next' }] });
    const error = await rejection(listFlavors(novaSession()));
    expect(error).toMatchObject({ code: 'MalformedResponse', message: `paging does not advance at ${next}` });
  });

  it('rejects a body without the flavors envelope, naming the endpoint', async () => {
    intercept(HOST).get(`${BASE}/flavors/detail`).reply(200, { flavor: flavors[0] });
    const error = await rejection(listFlavors(novaSession()));
    expect(error.message).toBe(`unexpected response from ${HOST}${BASE}/flavors/detail: flavors: expected array`);
  });
});

describe('listFlavors on generic OpenStack: extra specs', () => {
  const m1 = { id: '1', name: 'm1.tiny', ram: 512, disk: 1, vcpus: 1 };
  const nfv = { id: 'c4.nfv', name: 'c4.nfv', ram: 4096, disk: 20, vcpus: 4 };

  it('asks for compute microversion 2.61, which lists extra_specs with the flavors', async () => {
    intercept(HOST)
      .get(`${BASE}/flavors/detail`)
      .reply(200, { flavors: [{ ...nfv, extra_specs: { 'hw:cpu_policy': 'dedicated' } }] });
    const listed = await listFlavors(novaSession(), 'openstack');
    expect(listed).toEqual([{ ...nfv, extra_specs: { 'hw:cpu_policy': 'dedicated' } }]);
    expect(requests[0]!.headers['openstack-api-version']).toBe('compute 2.61');
    expect(requests[0]!.headers['x-openstack-nova-api-version']).toBe('2.61');
  });

  it('on a cloud older than 2.61 (406), lists without it and reads each flavor\'s os-extra_specs', async () => {
    intercept(HOST)
      .get(`${BASE}/flavors/detail`)
      .matchHeader('openstack-api-version', 'compute 2.61')
      .reply(406, { computeFault: { code: 406, message: 'Version 2.61 is not supported by the API. Minimum is 2.1 and maximum is 2.60.' } })
      .get(`${BASE}/flavors/detail`)
      .reply(200, { flavors: [m1, nfv] })
      .get(`${BASE}/flavors/1/os-extra_specs`)
      .reply(200, { extra_specs: {} })
      .get(`${BASE}/flavors/c4.nfv/os-extra_specs`)
      .reply(200, { extra_specs: { 'hw:cpu_policy': 'dedicated' } });
    const listed = await listFlavors(novaSession(), 'openstack');
    expect(listed).toEqual([
      { ...m1, extra_specs: {} },
      { ...nfv, extra_specs: { 'hw:cpu_policy': 'dedicated' } },
    ]);
    expect(requests[1]!.headers['openstack-api-version']).toBeUndefined();
  });
});

describe('Nova images', () => {
  const images = fixture<{ images: ({ id: string; name: string } & Record<string, unknown>)[] }>('nova_images_detail_dfw_2015.json').images;
  const freebsd = images.find((i) => i.name === 'FreeBSD 10 (PVHVM)')!;

  it('gets an image by id from the {"image": ...} envelope', async () => {
    intercept(HOST).get(`${BASE}/images/${freebsd.id}`).reply(200, { image: freebsd });
    expect(await getNovaImage(novaSession(), freebsd.id)).toEqual(freebsd);
  });

  it('returns undefined for an unknown image', async () => {
    intercept(HOST).get(`${BASE}/images/00000000-0000-0000-0000-000000000000`).reply(404);
    expect(await getNovaImage(novaSession(), '00000000-0000-0000-0000-000000000000')).toBeUndefined();
  });

  it('finds images by exact name, keeping the name filter across pages', async () => {
    const name = 'FreeBSD 10 (PVHVM)';
    intercept(HOST)
      .get(`${BASE}/images/detail`)
      .query({ name })
      .reply(200, {
        images: [freebsd],
        images_links: [{ href: `${HOST}${BASE}/images/detail?limit=1&marker=${freebsd.id}`, rel: 'next' }],
      })
      .get(`${BASE}/images/detail`)
      .query({ name, limit: '1', marker: freebsd.id })
      .reply(200, { images: [] });
    expect(await findNovaImagesByName(novaSession(), name)).toEqual([freebsd]);
    expect(requests.map((r) => r.url)).toEqual([
      `${HOST}${BASE}/images/detail?name=FreeBSD+10+%28PVHVM%29`,
      `${HOST}${BASE}/images/detail?name=FreeBSD+10+%28PVHVM%29&limit=1&marker=${freebsd.id}`,
    ]);
  });
});
