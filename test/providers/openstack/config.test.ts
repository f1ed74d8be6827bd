/**
 * Configuration resolution: env variables, clouds.yaml (+ secure.yaml) on the standard search path, precedence,
 * Rackspace defaults, and the errors a user sees. Every test passes its own env, cwd and home (temp dirs).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  RACKSPACE_IDENTITY_URL,
  resolveOpenStackConfig,
  type ResolveOpenStackConfigOptions,
} from '../../../providers/openstack/config.js';
import { thrown } from '../../support/errors.js';

let dir: string;
let cwd: string;
let home: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'imglint-openstack-config-'));
  cwd = path.join(dir, 'project');
  home = path.join(dir, 'home');
  mkdirSync(cwd);
  mkdirSync(home);
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(file: string, text: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

function resolve(options: Omit<ResolveOpenStackConfigOptions, 'cwd' | 'home'>) {
  return resolveOpenStackConfig({ cwd, home, ...options });
}

const CLOUDS_YAML = `
clouds:
  mycloud:
    auth:
      auth_url: https://keystone.example.com:5000/v3
      username: demo
      project_name: demo-project
      user_domain_name: Default
      project_domain_name: Default
    region_name: RegionOne
    interface: public
    identity_api_version: 3
  other:
    auth:
      auth_url: https://other.example.com/v3
      application_credential_id: 21dced0fd20347869b93710d2b98aae0
      application_credential_secret: app-secret-in-clouds-yaml
    region_name: RegionTwo
`;

describe('Rackspace', () => {
  it('uses RAX_USERNAME / RAX_API_KEY / RAX_REGION and the US identity endpoint by default', () => {
    const config = resolve({ provider: 'rackspace', env: { RAX_USERNAME: 'bob', RAX_API_KEY: 'key-123456', RAX_REGION: 'iad' } });
    expect(config).toEqual({
      provider: 'rackspace',
      authUrl: RACKSPACE_IDENTITY_URL,
      credentials: { method: 'rax-api-key', username: 'bob', apiKey: 'key-123456' },
      credentialsFrom: 'RAX_USERNAME and RAX_API_KEY',
      region: 'IAD',
      interface: 'public',
    });
    expect(RACKSPACE_IDENTITY_URL).toBe('https://identity.api.rackspacecloud.com/v2.0/');
  });

  it('uses a valid RAX_USERNAME / RAX_API_KEY despite a stray OS_APPLICATION_CREDENTIAL_SECRET, and says so', () => {
    const config = resolve({
      provider: 'rackspace',
      env: { RAX_USERNAME: 'bob', RAX_API_KEY: 'key-123456', RAX_REGION: 'IAD', OS_APPLICATION_CREDENTIAL_SECRET: 'stray-secret' },
    });
    expect(config.credentials).toEqual({ method: 'rax-api-key', username: 'bob', apiKey: 'key-123456' });
    expect(config.credentialsFrom).toBe('RAX_USERNAME and RAX_API_KEY (OS_APPLICATION_CREDENTIAL_SECRET set but not used)');
  });

  it('lets OS_AUTH_URL override the default (UK accounts: the LON endpoint)', () => {
    const config = resolve({
      provider: 'rackspace',
      env: { OS_AUTH_URL: 'https://lon.identity.api.rackspacecloud.com/v2.0/', RAX_USERNAME: 'bob', RAX_API_KEY: 'k', RAX_REGION: 'LON' },
    });
    expect(config).toMatchObject({ authUrl: 'https://lon.identity.api.rackspacecloud.com/v2.0/', region: 'LON' });
  });

  it('refuses an auth URL that carries credentials: every message names the URL', () => {
    expect(() =>
      resolve({ provider: 'openstack', env: { OS_AUTH_URL: 'https://bob:s3cret@keystone.example:5000/v3', OS_USERNAME: 'bob', OS_PASSWORD: 'x', OS_REGION_NAME: 'RegionOne' } }),
    ).toThrow(/auth URL carries a user name or password/);
  });

  it('prefers RAX_* over OS_*, an explicit region over both, and an API key over a password', () => {
    const env = {
      RAX_USERNAME: 'rax-user',
      OS_USERNAME: 'os-user',
      RAX_API_KEY: 'key-123456',
      OS_PASSWORD: 'pw-123456',
      RAX_REGION: 'DFW',
      OS_REGION_NAME: 'ORD',
    };
    expect(resolve({ provider: 'rackspace', env })).toMatchObject({
      credentials: { method: 'rax-api-key', username: 'rax-user' },
      region: 'DFW',
    });
    expect(resolve({ provider: 'rackspace', env, region: 'syd' }).region).toBe('SYD');
  });

  it('falls back to OS_USERNAME / OS_PASSWORD / OS_REGION_NAME', () => {
    const config = resolve({
      provider: 'rackspace',
      env: { OS_USERNAME: 'bob', OS_PASSWORD: 'pw-123456', OS_REGION_NAME: 'hkg', OS_TENANT_ID: '123456' },
    });
    expect(config).toMatchObject({
      credentials: { method: 'password', username: 'bob', password: 'pw-123456' },
      region: 'HKG',
      project: { id: '123456' },
    });
  });

  it('names the variables to set when credentials are missing', () => {
    const none = thrown(() => resolve({ provider: 'rackspace', env: { RAX_REGION: 'IAD' } }));
    // Exit 3, as for AWS: the run cannot reach the cloud.
    expect(none).toMatchObject({ kind: 'provider', code: 'NoCredentials', message: 'missing Rackspace credentials: RAX_USERNAME not set' });
    expect(none.hint).toContain('set RAX_USERNAME and RAX_API_KEY');
    const noKey = thrown(() => resolve({ provider: 'rackspace', env: { RAX_USERNAME: 'bob', RAX_REGION: 'IAD' } }));
    expect(noKey.message).toBe('missing Rackspace credentials: RAX_API_KEY not set');
  });

  it('asks for a region when none is set', () => {
    const error = thrown(() => resolve({ provider: 'rackspace', env: { RAX_USERNAME: 'bob', RAX_API_KEY: 'k' } }));
    expect(error).toMatchObject({ kind: 'usage', message: 'no Rackspace region' });
    expect(error.hint).toContain('RAX_REGION');
  });
});

describe('OpenStack environment', () => {
  const OPENRC = {
    OS_AUTH_URL: 'https://keystone.example.com:5000/v3',
    OS_USERNAME: 'demo',
    OS_PASSWORD: 'pw-123456',
    OS_PROJECT_NAME: 'demo-project',
    OS_USER_DOMAIN_NAME: 'Default',
    OS_PROJECT_DOMAIN_ID: 'default',
    OS_REGION_NAME: 'RegionOne',
    OS_INTERFACE: 'internal',
    OS_IDENTITY_API_VERSION: '3',
  };

  it('reads an openrc-style environment', () => {
    expect(resolve({ provider: 'openstack', env: OPENRC })).toEqual({
      provider: 'openstack',
      authUrl: 'https://keystone.example.com:5000/v3',
      identityApiVersion: 'v3',
      credentials: { method: 'password', username: 'demo', password: 'pw-123456', userDomainName: 'Default' },
      credentialsFrom: 'OS_USERNAME and OS_PASSWORD',
      project: { name: 'demo-project', domainId: 'default' },
      region: 'RegionOne',
      interface: 'internal',
    });
  });

  it('accepts the v2-era names OS_TENANT_NAME / OS_TENANT_ID and OS_ENDPOINT_TYPE=publicURL', () => {
    const config = resolve({
      provider: 'openstack',
      env: {
        OS_AUTH_URL: 'https://k.example/v2.0',
        OS_USERNAME: 'u',
        OS_PASSWORD: 'p',
        OS_TENANT_NAME: 't',
        OS_TENANT_ID: '42',
        OS_REGION_NAME: 'r',
        OS_ENDPOINT_TYPE: 'publicURL',
      },
    });
    expect(config).toMatchObject({ project: { id: '42', name: 't' }, interface: 'public' });
  });

  it('picks the auth type as openstacksdk does: a user name means a password unless OS_AUTH_TYPE says otherwise', () => {
    const both = { ...OPENRC, OS_APPLICATION_CREDENTIAL_ID: 'app-id', OS_APPLICATION_CREDENTIAL_SECRET: 'app-secret' };
    expect(resolve({ provider: 'openstack', env: both })).toMatchObject({
      credentials: { method: 'password', username: 'demo' },
      credentialsFrom: 'OS_USERNAME and OS_PASSWORD (OS_APPLICATION_CREDENTIAL_ID and OS_APPLICATION_CREDENTIAL_SECRET set but not used)',
    });
    expect(resolve({ provider: 'openstack', env: { ...both, OS_AUTH_TYPE: 'v3applicationcredential' } })).toMatchObject({
      credentials: { method: 'application-credential', id: 'app-id', secret: 'app-secret' },
      credentialsFrom: 'OS_APPLICATION_CREDENTIAL_ID and OS_APPLICATION_CREDENTIAL_SECRET (OS_USERNAME and OS_PASSWORD set but not used)',
    });
    // Without a user name, an application credential is the only thing that can be meant.
    const { OS_USERNAME: _user, OS_PASSWORD: _password, ...noUser } = both;
    expect(resolve({ provider: 'openstack', env: noUser }).credentials).toEqual({ method: 'application-credential', id: 'app-id', secret: 'app-secret' });
  });

  it('names the auth type when its credentials are missing, and refuses one it does not implement', () => {
    const missing = thrown(() => resolve({ provider: 'openstack', env: { ...OPENRC, OS_AUTH_TYPE: 'v3applicationcredential' } }));
    expect(missing).toMatchObject({ kind: 'provider', code: 'NoCredentials' });
    expect(missing.message).toBe('missing OpenStack credentials: OS_APPLICATION_CREDENTIAL_ID not set (OS_AUTH_TYPE is v3applicationcredential)');
    const unknown = thrown(() => resolve({ provider: 'openstack', env: { ...OPENRC, OS_AUTH_TYPE: 'v3oidcpassword' } }));
    expect(unknown).toMatchObject({ kind: 'usage', message: 'OS_AUTH_TYPE is v3oidcpassword, an auth type imglint does not implement' });
  });

  it('names exactly what is missing', () => {
    expect(thrown(() => resolve({ provider: 'openstack', env: {} })).message).toBe('missing OpenStack credentials: OS_AUTH_URL, OS_USERNAME not set');
    expect(thrown(() => resolve({ provider: 'openstack', env: { OS_AUTH_URL: 'https://k.example/v3', OS_USERNAME: 'u' } })).message).toBe(
      'missing OpenStack credentials: OS_PASSWORD not set',
    );
    const halfCredential = thrown(() =>
      resolve({ provider: 'openstack', env: { OS_AUTH_URL: 'https://k.example/v3', OS_APPLICATION_CREDENTIAL_ID: 'id' } }),
    );
    expect(halfCredential.message).toBe('missing OpenStack credentials: OS_APPLICATION_CREDENTIAL_SECRET not set');
    expect(halfCredential.hint).toContain('OS_CLOUD');
  });

  it('rejects an auth URL that is not http(s) and an unknown interface', () => {
    const badUrl = thrown(() => resolve({ provider: 'openstack', env: { ...OPENRC, OS_AUTH_URL: 'keystone.example.com:5000' } }));
    expect(badUrl).toMatchObject({ kind: 'usage' });
    expect(badUrl.message).toMatch(/^invalid OpenStack configuration: authUrl: /);
    expect(badUrl.hint).toMatch(/^OS_AUTH_URL must be an http\(s\) URL/);
    expect(thrown(() => resolve({ provider: 'openstack', env: { ...OPENRC, OS_INTERFACE: 'private' } })).message).toBe(
      'unknown endpoint interface "private"',
    );
  });
});

describe('clouds.yaml', () => {
  it('reads the cloud named by OS_CLOUD from ./clouds.yaml and merges secure.yaml over it', () => {
    const file = write(path.join(cwd, 'clouds.yaml'), CLOUDS_YAML);
    write(path.join(cwd, 'secure.yaml'), 'clouds:\n  mycloud:\n    auth:\n      password: pw-from-secure-yaml\n');
    expect(resolve({ provider: 'openstack', env: { OS_CLOUD: 'mycloud' } })).toEqual({
      provider: 'openstack',
      authUrl: 'https://keystone.example.com:5000/v3',
      identityApiVersion: 'v3',
      credentials: { method: 'password', username: 'demo', password: 'pw-from-secure-yaml', userDomainName: 'Default' },
      credentialsFrom: 'auth.username and auth.password of cloud "mycloud"',
      project: { name: 'demo-project', domainName: 'Default' },
      region: 'RegionOne',
      interface: 'public',
      cloud: { name: 'mycloud', file },
    });
  });

  it('lets the environment override clouds.yaml, and an explicit cloud override OS_CLOUD', () => {
    write(path.join(cwd, 'clouds.yaml'), CLOUDS_YAML);
    const config = resolve({
      provider: 'openstack',
      cloud: 'other',
      env: { OS_CLOUD: 'mycloud', OS_REGION_NAME: 'RegionFromEnv', OS_APPLICATION_CREDENTIAL_SECRET: 'secret-from-env' },
    });
    expect(config).toMatchObject({
      authUrl: 'https://other.example.com/v3',
      credentials: { method: 'application-credential', id: '21dced0fd20347869b93710d2b98aae0', secret: 'secret-from-env' },
      region: 'RegionFromEnv',
    });
    expect(resolve({ provider: 'openstack', cloud: 'other', region: 'Explicit', env: { OS_REGION_NAME: 'Env' } }).region).toBe('Explicit');
  });

  it('finds $XDG_CONFIG_HOME/openstack/clouds.yaml, then ~/.config/openstack/clouds.yaml', () => {
    const xdg = path.join(dir, 'xdg');
    const xdgFile = write(path.join(xdg, 'openstack', 'clouds.yaml'), CLOUDS_YAML);
    const homeFile = write(path.join(home, '.config', 'openstack', 'clouds.yaml'), CLOUDS_YAML.replace('RegionOne', 'HomeRegion'));
    write(path.join(home, '.config', 'openstack', 'secure.yaml'), 'clouds:\n  mycloud:\n    auth:\n      password: pw-home\n');
    expect(resolve({ provider: 'openstack', env: { OS_CLOUD: 'mycloud', XDG_CONFIG_HOME: xdg, OS_PASSWORD: 'pw' } }).cloud?.file).toBe(xdgFile);
    const fromHome = resolve({ provider: 'openstack', env: { OS_CLOUD: 'mycloud' } });
    expect(fromHome).toMatchObject({ region: 'HomeRegion', credentials: { password: 'pw-home' }, cloud: { file: homeFile } });
  });

  it('reads only OS_CLIENT_CONFIG_FILE when it is set', () => {
    write(path.join(cwd, 'clouds.yaml'), CLOUDS_YAML);
    const file = write(
      path.join(dir, 'elsewhere.yaml'),
      'clouds:\n  rax:\n    auth:\n      username: bob\n      api_key: key-from-yaml\n      project_id: 123456\n    region_name: iad\n',
    );
    const config = resolve({ provider: 'rackspace', env: { OS_CLOUD: 'rax', OS_CLIENT_CONFIG_FILE: file } });
    expect(config).toEqual({
      provider: 'rackspace',
      authUrl: RACKSPACE_IDENTITY_URL,
      credentials: { method: 'rax-api-key', username: 'bob', apiKey: 'key-from-yaml' },
      credentialsFrom: 'auth.username and auth.api_key of cloud "rax"',
      project: { id: '123456' },
      region: 'IAD',
      interface: 'public',
      cloud: { name: 'rax', file },
    });
    const missing = thrown(() =>
      resolve({ provider: 'rackspace', env: { OS_CLOUD: 'rax', OS_CLIENT_CONFIG_FILE: path.join(dir, 'nope.yaml') } }),
    );
    expect(missing.message).toBe(`OS_CLIENT_CONFIG_FILE names ${path.join(dir, 'nope.yaml')}, which does not exist`);
  });

  it('ignores clouds.yaml when no cloud is named', () => {
    write(path.join(cwd, 'clouds.yaml'), CLOUDS_YAML);
    expect(thrown(() => resolve({ provider: 'openstack', env: {} })).message).toBe('missing OpenStack credentials: OS_AUTH_URL, OS_USERNAME not set');
  });

  it('lists the clouds the file has when the named one is not there', () => {
    const file = write(path.join(cwd, 'clouds.yaml'), CLOUDS_YAML);
    const error = thrown(() => resolve({ provider: 'openstack', env: { OS_CLOUD: 'typo' } }));
    expect(error).toMatchObject({ kind: 'usage', message: `cloud "typo" is not in ${file}` });
    expect(error.hint).toBe('clouds there: mycloud, other (set OS_CLOUD to one of them)');
  });

  it('says which credential the named cloud lacks', () => {
    const file = write(path.join(cwd, 'clouds.yaml'), CLOUDS_YAML);
    const error = thrown(() => resolve({ provider: 'openstack', env: { OS_CLOUD: 'mycloud' } }));
    expect(error.message).toBe(`missing OpenStack credentials: OS_PASSWORD not set (nor in cloud "mycloud" of ${file})`);
  });

  it.skipIf(existsSync('/etc/openstack/clouds.yaml'))('says where it looked when there is no clouds.yaml', () => {
    const error = thrown(() => resolve({ provider: 'openstack', env: { OS_CLOUD: 'mycloud' } }));
    expect(error.message).toBe('cloud "mycloud" was asked for, but no clouds.yaml was found');
    expect(error.hint).toContain(path.join(cwd, 'clouds.yaml'));
    expect(error.hint).toContain(path.join(home, '.config', 'openstack', 'clouds.yaml'));
    expect(error.hint).toContain('/etc/openstack/clouds.yaml');
  });

  it('names the file and line of a YAML syntax error', () => {
    const file = write(path.join(cwd, 'clouds.yaml'), 'clouds:\n  mycloud:\n    auth: {auth_url: https://k.example/v3\n  other: 1\n');
    const error = thrown(() => resolve({ provider: 'openstack', env: { OS_CLOUD: 'mycloud' } }));
    expect(error).toMatchObject({ kind: 'usage' });
    expect(error.message).toMatch(new RegExp(`^cannot parse ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .* at line 4, column 3$`));
  });

  it('names the file and the field of a clouds.yaml of the wrong shape', () => {
    const file = write(path.join(cwd, 'clouds.yaml'), 'clouds:\n  mycloud:\n    auth:\n      username: [a, b]\n');
    const error = thrown(() => resolve({ provider: 'openstack', env: { OS_CLOUD: 'mycloud' } }));
    expect(error.message).toBe(`invalid ${file}: clouds.mycloud.auth.username: Invalid input`);
  });
});
