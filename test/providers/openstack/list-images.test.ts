/**
 * createOpenStackProvider().listImages (`imglint matrix --owner`) against nock: `self` is Glance `owner=<the token's
 * project>` (so shared and community images the project owns are listed too), with `visibility=private` only for a
 * token without a project; `public` is `visibility=public`; anything else is `owner=<value>`.
 */
import { describe, expect, it } from 'vitest';
import { createOpenStackProvider } from '../../../providers/openstack/index.js';
import { createOpenStackSession } from '../../../providers/openstack/session.js';
import {
  BEFORE_2015_EXPIRY,
  fastHttp,
  fixture,
  intercept,
  rackspaceConfig,
  RAX_IAD_IMAGES,
  RAX_IDENTITY,
  replyWithRackspaceToken,
  useOpenStackNock,
} from './openstack-nock.js';

const requests = useOpenStackNock();

type Json = Record<string, unknown>;

function provider() {
  const session = createOpenStackSession(rackspaceConfig(), { http: fastHttp(), now: () => BEFORE_2015_EXPIRY });
  return createOpenStackProvider({ provider: 'rackspace', session });
}

/** The Cloud Images docs' CentOS 7 image, recast as one of account 123456's own, with the given visibility. */
function ownImage(id: string, visibility: string): Json {
  const image = fixture('glance_v2_image_centos7_pvhvm_2015.json');
  return { ...image, id, name: `own ${visibility}`, owner: '123456', visibility, self: `/v2/images/${id}`, file: `/v2/images/${id}/file` };
}

const glanceListings = () => requests.filter((r) => r.url.startsWith(`${RAX_IAD_IMAGES}/v2/images?`)).map((r) => r.url.slice(RAX_IAD_IMAGES.length));

describe('listImages', () => {
  it("self: owner=<the token's tenant id>, listing private, shared and community images alike", async () => {
    replyWithRackspaceToken();
    const images = [
      ownImage('00000000-0000-4000-8000-000000000001', 'private'),
      ownImage('00000000-0000-4000-8000-000000000002', 'shared'),
      ownImage('00000000-0000-4000-8000-000000000003', 'community'),
    ];
    intercept(RAX_IAD_IMAGES).get('/v2/images').query({ owner: '123456' }).reply(200, { images, schema: '/v2/schemas/images', first: '/v2/images?owner=123456' });
    const listed = await provider().listImages!('self');
    expect(listed.map((image) => image.id)).toEqual(images.map((image) => image.id));
    expect(glanceListings()).toEqual(['/v2/images?owner=123456']);
  });

  it('self with a token that names no tenant: falls back to visibility=private', async () => {
    const body = fixture<{ access: { token: Json } }>('token_response_apikey_docs_2015.json');
    delete body.access.token.tenant;
    intercept(RAX_IDENTITY).post('/v2.0/tokens').reply(200, body);
    intercept(RAX_IAD_IMAGES).get('/v2/images').query({ visibility: 'private' }).reply(200, { images: [] });
    expect(await provider().listImages!('self')).toEqual([]);
    expect(glanceListings()).toEqual(['/v2/images?visibility=private']);
  });

  it.each([
    ['public', '/v2/images?visibility=public'],
    ['657197', '/v2/images?owner=657197'],
  ])('%s → %s', async (owner, listing) => {
    replyWithRackspaceToken();
    intercept(RAX_IAD_IMAGES).get(listing).reply(200, { images: [] });
    expect(await provider().listImages!(owner)).toEqual([]);
    expect(glanceListings()).toEqual([listing]);
  });
});
