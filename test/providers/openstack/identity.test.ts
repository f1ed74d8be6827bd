/**
 * Identity v2.0 (Rackspace API key, password) and Keystone v3 (password, application credential) against the real
 * Rackspace token captures and Keystone's API-reference samples.
 */
import { describe, expect, it } from 'vitest';
import type { OpenStackConfig } from '../../../providers/openstack/config.js';
import { authenticate, identityTarget } from '../../../providers/openstack/identity.js';
import { rejection } from '../../support/errors.js';
import {
  fastHttp,
  fixture,
  intercept,
  rackspaceConfig,
  RAX_IDENTITY,
  RAX_TOKEN_2015,
  replyWithRackspaceToken,
  SECRET_API_KEY,
  SECRET_PASSWORD,
  useOpenStackNock,
} from './openstack-nock.js';

const requests = useOpenStackNock();

const KEYSTONE = 'https://keystone.example.com:5000';
const V3_TOKEN = 'gAAAAABkExampleSubjectToken0123456789';

function keystoneConfig(overrides: Partial<OpenStackConfig> = {}): OpenStackConfig {
  return {
    provider: 'openstack',
    authUrl: `${KEYSTONE}/v3`,
    credentials: { method: 'password', username: 'admin', password: SECRET_PASSWORD, userDomainName: 'Default' },
    project: { name: 'admin', domainName: 'Default' },
    region: 'RegionOne',
    interface: 'public',
    ...overrides,
  };
}

describe('identityTarget', () => {
  const password = { method: 'password', username: 'u', password: 'p' } as const;
  it.each([
    ['https://identity.api.rackspacecloud.com/v2.0/', password, undefined, 'v2.0', 'https://identity.api.rackspacecloud.com/v2.0/tokens'],
    ['https://identity.api.rackspacecloud.com/v2.0', password, undefined, 'v2.0', 'https://identity.api.rackspacecloud.com/v2.0/tokens'],
    ['https://keystone.example.com:5000/v3/', password, undefined, 'v3', 'https://keystone.example.com:5000/v3/auth/tokens'],
    ['https://keystone.example.com/identity/v3', password, undefined, 'v3', 'https://keystone.example.com/identity/v3/auth/tokens'],
    ['https://keystone.example.com:5000', password, undefined, 'v2.0', 'https://keystone.example.com:5000/v2.0/tokens'],
    ['https://keystone.example.com:5000/', { ...password, userDomainName: 'Default' }, undefined, 'v3', 'https://keystone.example.com:5000/v3/auth/tokens'],
    ['https://keystone.example.com:5000', { method: 'application-credential', id: 'i', secret: 's' }, undefined, 'v3', 'https://keystone.example.com:5000/v3/auth/tokens'],
    ['https://keystone.example.com:5000', password, 'v3', 'v3', 'https://keystone.example.com:5000/v3/auth/tokens'],
    ['https://keystone.example.com:5000/v2.0', password, 'v3', 'v2.0', 'https://keystone.example.com:5000/v2.0/tokens'],
  ] as const)('%s (%o, identityApiVersion %s) → %s %s', (authUrl, credentials, identityApiVersion, version, tokensUrl) => {
    const config = keystoneConfig({ authUrl, credentials, project: undefined, ...(identityApiVersion ? { identityApiVersion } : {}) });
    expect(identityTarget(config)).toEqual({ version, tokensUrl });
  });

  it('treats a project domain as a v3 field', () => {
    const config = keystoneConfig({ authUrl: KEYSTONE, credentials: password, project: { name: 'p', domainId: 'default' } });
    expect(identityTarget(config).version).toBe('v3');
  });
});

describe('Identity v2.0', () => {
  it('authenticates with a Rackspace API key: the exact documented body, and the catalog normalised', async () => {
    replyWithRackspaceToken();
    const token = await authenticate(fastHttp(), rackspaceConfig());

    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ method: 'POST', url: `${RAX_IDENTITY}/v2.0/tokens` });
    expect(requests[0]!.headers['content-type']).toBe('application/json');
    expect(requests[0]!.body).toEqual(fixture('auth_request_apikey.json'));

    expect(token.id).toBe(RAX_TOKEN_2015);
    expect(token.expiresAt.toISOString()).toBe('2015-06-05T16:24:57.637Z');
    expect(token.catalog).toHaveLength(19);
    expect(token.catalog.find((s) => s.name === 'cloudServersOpenStack')).toEqual({
      type: 'compute',
      name: 'cloudServersOpenStack',
      endpoints: [
        { region: 'SYD', interface: 'public', url: 'https://syd.servers.api.rackspacecloud.com/v2/123456' },
        { region: 'DFW', interface: 'public', url: 'https://dfw.servers.api.rackspacecloud.com/v2/123456' },
        { region: 'IAD', interface: 'public', url: 'https://iad.servers.api.rackspacecloud.com/v2/123456' },
        { region: 'HKG', interface: 'public', url: 'https://hkg.servers.api.rackspacecloud.com/v2/123456' },
      ],
    });
    expect(token.catalog.find((s) => s.name === 'cloudServers')).toEqual({
      type: 'compute',
      name: 'cloudServers',
      endpoints: [{ interface: 'public', url: 'https://servers.api.rackspacecloud.com/v1.0/123456' }],
    });
  });

  it('turns publicURL and internalURL into one endpoint each (2016 capture, cloudFiles)', async () => {
    intercept(RAX_IDENTITY).post('/v2.0/tokens').reply(200, fixture('token_response_apikey_docs_2016.json'));
    const token = await authenticate(fastHttp(), rackspaceConfig());
    const files = token.catalog.find((s) => s.name === 'cloudFiles')!;
    expect(files.endpoints.filter((e) => e.region === 'IAD')).toEqual([
      { region: 'IAD', interface: 'public', url: 'https://storage101.iad3.clouddrive.com/v1/MossoCloudFS_929418' },
      { region: 'IAD', interface: 'internal', url: 'https://snet-storage101.iad3.clouddrive.com/v1/MossoCloudFS_929418' },
    ]);
  });

  it('takes the project id from access.token.tenant.id (2015 capture: 123456; 2016 capture: 929418)', async () => {
    replyWithRackspaceToken();
    expect((await authenticate(fastHttp(), rackspaceConfig())).projectId).toBe('123456');
    intercept(RAX_IDENTITY).post('/v2.0/tokens').reply(200, fixture('token_response_apikey_docs_2016.json'));
    expect((await authenticate(fastHttp(), rackspaceConfig())).projectId).toBe('929418');
  });

  it('leaves projectId unset when the token names no tenant (an unscoped v2.0 token)', async () => {
    const body = fixture<{ access: { token: Record<string, unknown> } }>('token_response_apikey_docs_2015.json');
    delete body.access.token.tenant;
    intercept(RAX_IDENTITY).post('/v2.0/tokens').reply(200, body);
    const token = await authenticate(fastHttp(), rackspaceConfig());
    expect(token.id).toBe(RAX_TOKEN_2015);
    expect(token).not.toHaveProperty('projectId');
  });

  it('sends tenantId when the project id is known, never tenantId and tenantName together', async () => {
    replyWithRackspaceToken();
    await authenticate(fastHttp(), rackspaceConfig({ project: { id: '123456', name: 'ignored' } }));
    expect(requests[0]!.body).toEqual({
      auth: { 'RAX-KSKEY:apiKeyCredentials': { username: 'yourUserName', apiKey: SECRET_API_KEY }, tenantId: '123456' },
    });
  });

  it('authenticates with passwordCredentials (+ tenantName)', async () => {
    intercept('https://identity.example').post('/v2.0/tokens').reply(200, fixture('token_response_apikey_docs_2015.json'));
    const config = keystoneConfig({
      authUrl: 'https://identity.example/v2.0',
      credentials: { method: 'password', username: 'demo', password: SECRET_PASSWORD },
      project: { name: 'demo-project' },
    });
    const token = await authenticate(fastHttp(), config);
    expect(requests[0]!.body).toEqual({
      auth: { passwordCredentials: { username: 'demo', password: SECRET_PASSWORD }, tenantName: 'demo-project' },
    });
    expect(token.id).toBe(RAX_TOKEN_2015);
  });

  it('reports bad credentials as AuthFailure with the exact message, without retrying', async () => {
    intercept('https://identity.example')
      .post('/v2.0/tokens')
      .reply(401, { unauthorized: { code: 401, message: 'Username or api key is invalid.' } });
    const error = await rejection(authenticate(fastHttp(), rackspaceConfig({ authUrl: 'https://identity.example/v2.0' })));
    expect(error).toMatchObject({ kind: 'provider', code: 'AuthFailure' });
    expect(error.message).toBe('authentication failed (401) at https://identity.example/v2.0/tokens');
    expect(error.hint).toContain('"Username or api key is invalid."');
    expect(requests).toHaveLength(1);
  });

  it('says which credentials were refused, when it knows where they came from', async () => {
    intercept('https://identity.example').post('/v2.0/tokens').reply(401, { unauthorized: { code: 401, message: 'Username or api key is invalid.' } });
    const config = { ...rackspaceConfig({ authUrl: 'https://identity.example/v2.0' }), credentialsFrom: 'RAX_USERNAME and RAX_API_KEY' };
    const error = await rejection(authenticate(fastHttp(), config));
    expect(error.message).toBe('authentication failed (401) at https://identity.example/v2.0/tokens');
    expect(error.hint).toMatch(/; imglint sent RAX_USERNAME and RAX_API_KEY$/);
  });

  it('reports a 403 (user disabled) as AuthFailure too', async () => {
    intercept('https://identity.example').post('/v2.0/tokens').reply(403, { forbidden: { code: 403, message: 'User disabled' } });
    const error = await rejection(authenticate(fastHttp(), rackspaceConfig({ authUrl: 'https://identity.example/v2.0/' })));
    expect(error.message).toBe('authentication failed (403) at https://identity.example/v2.0/tokens');
  });

  it('rejects a token response without an expiry: MalformedResponse naming the URL and the field', async () => {
    const body = fixture<{ access: { token: Record<string, unknown> } }>('token_response_apikey_docs_2015.json');
    delete body.access.token.expires;
    intercept(RAX_IDENTITY).post('/v2.0/tokens').reply(200, body);
    const error = await rejection(authenticate(fastHttp(), rackspaceConfig()));
    expect(error.code).toBe('MalformedResponse');
    expect(error.message).toBe(`unexpected response from ${RAX_IDENTITY}/v2.0/tokens: access.token.expires: expected string`);
  });

  it('refuses an application credential on a v2.0 URL before sending anything', async () => {
    const config = keystoneConfig({ authUrl: `${KEYSTONE}/v2.0`, credentials: { method: 'application-credential', id: 'i', secret: 's' } });
    const error = await rejection(authenticate(fastHttp(), config));
    expect(error).toMatchObject({ kind: 'usage' });
    expect(error.message).toBe(`application credentials need Keystone v3, but ${KEYSTONE}/v2.0 is Identity v2.0`);
  });
});

describe('Keystone v3', () => {
  it('authenticates with a password scoped to a project by name; the token comes from X-Subject-Token', async () => {
    intercept(KEYSTONE)
      .post('/v3/auth/tokens')
      .reply(201, fixture('keystone_v3_auth_password_project_scoped_response.json'), { 'X-Subject-Token': V3_TOKEN });
    const token = await authenticate(fastHttp(), keystoneConfig());

    expect(requests[0]!.body).toEqual({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: 'admin', domain: { name: 'Default' }, password: SECRET_PASSWORD } },
        },
        scope: { project: { name: 'admin', domain: { name: 'Default' } } },
      },
    });
    expect(token.id).toBe(V3_TOKEN);
    expect(token.expiresAt.toISOString()).toBe('2015-11-07T02:58:43.578Z');
    expect(token.catalog.find((s) => s.type === 'compute')).toEqual({
      type: 'compute',
      name: 'nova',
      endpoints: [
        { region: 'RegionOne', interface: 'admin', url: 'http://23.253.248.171:8774/v2.1/a6944d763bf64ee6a275f1263fae0352' },
        { region: 'RegionOne', interface: 'internal', url: 'http://23.253.248.171:8774/v2.1/a6944d763bf64ee6a275f1263fae0352' },
        { region: 'RegionOne', interface: 'public', url: 'http://23.253.248.171:8774/v2.1/a6944d763bf64ee6a275f1263fae0352' },
      ],
    });
  });

  it('takes the project id from token.project.id (password, project-scoped)', async () => {
    intercept(KEYSTONE)
      .post('/v3/auth/tokens')
      .reply(201, fixture('keystone_v3_auth_password_project_scoped_response.json'), { 'X-Subject-Token': V3_TOKEN });
    const token = await authenticate(fastHttp(), keystoneConfig());
    expect(token.projectId).toBe('a6944d763bf64ee6a275f1263fae0352');
  });

  it('leaves projectId unset for a token without a project (unscoped or domain-scoped)', async () => {
    const body = fixture<{ token: Record<string, unknown> }>('keystone_v3_auth_password_project_scoped_response.json');
    delete body.token.project;
    intercept(KEYSTONE).post('/v3/auth/tokens').reply(201, body, { 'X-Subject-Token': V3_TOKEN });
    const token = await authenticate(fastHttp(), keystoneConfig({ project: undefined }));
    expect(token.id).toBe(V3_TOKEN);
    expect(token).not.toHaveProperty('projectId');
  });

  it('scopes by project id, and defaults the user domain to the "default" domain id', async () => {
    intercept(KEYSTONE)
      .post('/v3/auth/tokens')
      .reply(201, fixture('keystone_v3_auth_password_project_scoped_response.json'), { 'X-Subject-Token': V3_TOKEN });
    await authenticate(
      fastHttp(),
      keystoneConfig({
        credentials: { method: 'password', username: 'admin', password: SECRET_PASSWORD },
        project: { id: 'a6944d763bf64ee6a275f1263fae0352', name: 'admin' },
      }),
    );
    expect(requests[0]!.body).toEqual({
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: SECRET_PASSWORD } } },
        scope: { project: { id: 'a6944d763bf64ee6a275f1263fae0352' } },
      },
    });
  });

  it('authenticates with an application credential (id + secret, no scope)', async () => {
    intercept(KEYSTONE)
      .post('/v3/auth/tokens')
      .reply(201, fixture('keystone_v3_auth_application_credential_response.json'), { 'X-Subject-Token': V3_TOKEN });
    const token = await authenticate(
      fastHttp(),
      keystoneConfig({
        credentials: { method: 'application-credential', id: 'e3e43f4c1ccd4b8b8c9a6e4b1d0f1a2b', secret: 'app-cred-secret-value' },
      }),
    );
    expect(requests[0]!.body).toEqual({
      auth: {
        identity: {
          methods: ['application_credential'],
          application_credential: { id: 'e3e43f4c1ccd4b8b8c9a6e4b1d0f1a2b', secret: 'app-cred-secret-value' },
        },
      },
    });
    expect(token).toMatchObject({
      id: V3_TOKEN,
      expiresAt: new Date('2018-01-15T22:14:05Z'),
      projectId: '231c62fb0fbd485b995e8b060c3f0d98',
    });
    expect(token.catalog).toEqual([
      {
        type: 'identity',
        name: 'keystone',
        endpoints: [
          { region: 'RegionOne', interface: 'admin', url: 'http://example.com/identity' },
          { region: 'RegionOne', interface: 'public', url: 'http://example.com/identity' },
        ],
      },
    ]);
  });

  it('reports a 401 with the exact message', async () => {
    intercept(KEYSTONE)
      .post('/v3/auth/tokens')
      .reply(401, { error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' } });
    const error = await rejection(authenticate(fastHttp(), keystoneConfig()));
    expect(error.message).toBe(`authentication failed (401) at ${KEYSTONE}/v3/auth/tokens`);
  });

  it('rejects a 201 without X-Subject-Token: MalformedResponse', async () => {
    intercept(KEYSTONE).post('/v3/auth/tokens').reply(201, fixture('keystone_v3_auth_password_project_scoped_response.json'));
    const error = await rejection(authenticate(fastHttp(), keystoneConfig()));
    expect(error.code).toBe('MalformedResponse');
    expect(error.message).toBe(`no X-Subject-Token header in the response from ${KEYSTONE}/v3/auth/tokens`);
  });

  it('refuses a Rackspace API key on a v3 URL before sending anything', async () => {
    const error = await rejection(authenticate(fastHttp(), rackspaceConfig({ authUrl: `${KEYSTONE}/v3` })));
    expect(error).toMatchObject({ kind: 'usage' });
    expect(error.message).toBe(`a Rackspace API key needs Identity v2.0, but ${KEYSTONE}/v3 is Keystone v3`);
  });
});
