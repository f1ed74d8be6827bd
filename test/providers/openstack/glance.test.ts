/**
 * Glance v2 reads on the real Cloud Images captures: the API root whatever the catalog URL looks like, images by
 * id (404 → undefined) and by name with `next` paging relative to the root.
 */
import { describe, expect, it } from 'vitest';
import { findGlanceImagesByName, getGlanceImage, glanceRoot, type GlanceSession } from '../../../providers/openstack/glance.js';
import { rejection } from '../../support/errors.js';
import { fastHttp, fixture, intercept, useOpenStackNock } from './openstack-nock.js';

const requests = useOpenStackNock();

const IAD = 'https://iad.images.api.rackspacecloud.com';
type Image = { id: string; name: string } & Record<string, unknown>;
const centos7 = fixture<Image>('glance_v2_image_centos7_pvhvm_2015.json');
const listing = fixture<{ images: Image[]; schema: string; first: string }>('glance_v2_images_2015.json');

function glanceSession(imageUrl: string | undefined): GlanceSession {
  const http = fastHttp();
  return {
    region: 'IAD',
    imageUrl: async () => imageUrl,
    getJson: (url, schema) => http.getJson(url, schema, { token: 'glance-test-token-1' }),
  };
}

describe('glanceRoot', () => {
  it.each([
    ['https://iad.images.api.rackspacecloud.com/v2', 'https://iad.images.api.rackspacecloud.com'],
    ['https://iad.images.api.rackspacecloud.com/v2/', 'https://iad.images.api.rackspacecloud.com'],
    ['http://23.253.248.171:9292', 'http://23.253.248.171:9292'],
    ['http://23.253.248.171:9292/', 'http://23.253.248.171:9292'],
    ['http://203.0.113.5/image', 'http://203.0.113.5/image'],
    ['http://203.0.113.5/image/v2.1', 'http://203.0.113.5/image'],
    ['https://glance.example/v1', 'https://glance.example'],
  ])('%s → %s', (endpoint, root) => {
    expect(glanceRoot(endpoint)).toBe(root);
  });
});

describe('getGlanceImage', () => {
  it('gets /v2/images/{id} under a catalog URL that already ends in /v2', async () => {
    intercept(IAD).get(`/v2/images/${centos7.id}`).reply(200, centos7);
    expect(await getGlanceImage(glanceSession(`${IAD}/v2`), centos7.id)).toEqual(centos7);
    expect(requests[0]!.url).toBe(`${IAD}/v2/images/${centos7.id}`);
  });

  it('gets /v2/images/{id} under an unversioned catalog URL (Keystone sample: http://host:9292)', async () => {
    intercept('http://23.253.248.171:9292').get(`/v2/images/${centos7.id}`).reply(200, centos7);
    expect(await getGlanceImage(glanceSession('http://23.253.248.171:9292'), centos7.id)).toMatchObject({ name: 'CentOS 7 (PVHVM)' });
  });

  it('returns undefined on 404', async () => {
    intercept(IAD).get('/v2/images/11111111-2222-3333-4444-555555555555').reply(404, '404 Not Found\n\nNo image found with ID 11111111');
    expect(await getGlanceImage(glanceSession(`${IAD}/v2`), '11111111-2222-3333-4444-555555555555')).toBeUndefined();
  });

  it('rejects an image without an id: MalformedResponse naming the endpoint', async () => {
    intercept(IAD).get(`/v2/images/${centos7.id}`).reply(200, { images: [centos7] });
    const error = await rejection(getGlanceImage(glanceSession(`${IAD}/v2`), centos7.id));
    expect(error.message).toBe(`unexpected response from ${IAD}/v2/images/${centos7.id}: id: expected string`);
  });

  it('says so when the region has no image endpoint', async () => {
    const error = await rejection(getGlanceImage(glanceSession(undefined), centos7.id));
    expect(error).toMatchObject({ kind: 'provider', code: 'ServiceNotFound', message: 'the service catalog has no image (Glance) endpoint in IAD' });
  });
});

describe('findGlanceImagesByName', () => {
  it('reads the real listing envelope ({images, schema, first})', async () => {
    const name = listing.images[3]!.name;
    intercept(IAD).get('/v2/images').query({ name }).reply(200, { ...listing, images: [listing.images[3]] });
    expect(await findGlanceImagesByName(glanceSession(`${IAD}/v2`), name)).toEqual([listing.images[3]]);
  });

  it('follows next links relative to the API root, not to the /v2 catalog URL', async () => {
    const name = 'Ubuntu';
    const [a, b, c] = listing.images;
    intercept(IAD)
      .get('/v2/images')
      .query({ name })
      .reply(200, { images: [a], next: `/v2/images?name=${name}&marker=${a!.id}`, schema: '/v2/schemas/images', first: `/v2/images?name=${name}` })
      .get('/v2/images')
      .query({ name, marker: a!.id })
      .reply(200, { images: [b, c], next: `/v2/images?name=${name}&marker=${c!.id}` })
      .get('/v2/images')
      .query({ name, marker: c!.id })
      .reply(200, { images: [] });
    const found = await findGlanceImagesByName(glanceSession(`${IAD}/v2`), name);
    expect(found.map((i) => i.id)).toEqual([a!.id, b!.id, c!.id]);
    expect(requests.map((r) => r.url)).toEqual([
      `${IAD}/v2/images?name=Ubuntu`,
      `${IAD}/v2/images?name=Ubuntu&marker=${a!.id}`,
      `${IAD}/v2/images?name=Ubuntu&marker=${c!.id}`,
    ]);
  });

  it('keeps a path prefix of the endpoint (devstack: http://host/image)', async () => {
    intercept('http://203.0.113.5')
      .get('/image/v2/images')
      .query({ name: 'cirros' })
      .reply(200, { images: [centos7], next: `/v2/images?name=cirros&marker=${centos7.id}` })
      .get('/image/v2/images')
      .query({ name: 'cirros', marker: centos7.id })
      .reply(200, { images: [] });
    expect(await findGlanceImagesByName(glanceSession('http://203.0.113.5/image'), 'cirros')).toHaveLength(1);
  });

  it('returns an empty list when no image has the name', async () => {
    intercept(IAD).get('/v2/images').query({ name: 'nope' }).reply(200, { images: [], first: '/v2/images?name=nope', schema: '/v2/schemas/images' });
    expect(await findGlanceImagesByName(glanceSession(`${IAD}/v2`), 'nope')).toEqual([]);
  });

  it('stops with MalformedResponse when next repeats', async () => {
    intercept(IAD)
      .get('/v2/images')
      .query({ name: 'x' })
      .reply(200, { images: [centos7], next: '/v2/images?name=x' });
    const error = await rejection(findGlanceImagesByName(glanceSession(`${IAD}/v2`), 'x'));
    expect(error).toMatchObject({ code: 'MalformedResponse', message: `paging does not advance at ${IAD}/v2/images?name=x` });
  });
});
