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
    getJson: (url, schema) => http.getJson(url, schema, { token: TOKEN }),
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
