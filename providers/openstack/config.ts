import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import * as z from 'zod/mini';
import { ProviderApiError, UsageError } from '../../src/errors.js';
import { formatZodError } from '../../src/model/zod-issues.js';

/**
 * Where the OpenStack client's settings come from, resolved the way the OpenStack tools do (openstacksdk /
 * python-openstackclient): `OS_*` environment variables, `OS_CLOUD` + `clouds.yaml` (+ `secure.yaml`), and for
 * Rackspace also `RAX_USERNAME` / `RAX_API_KEY` / `RAX_REGION` and the US identity endpoint by default.
 * Precedence, field by field: explicit options (CLI flags) > environment > clouds.yaml > defaults.
 *
 * Sources: openstacksdk "Configuring OpenStack SDK Applications" (docs.openstack.org/openstacksdk/latest/user/
 * config/configuration.html: search path, `OS_CLIENT_CONFIG_FILE`, `secure.yaml`, `auth`/`region_name`/`interface`
 * keys); python-openstackclient "Authentication" (the `OS_*` variables); Rackspace Identity v2.0 docs
 * (`https://identity.api.rackspacecloud.com/v2.0/`; UK accounts `https://lon.identity.api.rackspacecloud.com/v2.0/`).
 */

/** Which flavour of OpenStack: Rackspace (Identity v2.0 + API key, `cloudServersOpenStack`) or any other cloud. */
export type OpenStackProviderId = 'rackspace' | 'openstack';

/** A service catalog endpoint interface (`OS_INTERFACE`). */
export type EndpointInterface = 'public' | 'internal' | 'admin';

/**
 * How to authenticate. `rax-api-key`: Rackspace `RAX-KSKEY:apiKeyCredentials` (Identity v2.0 only).
 * `password`: v2.0 `passwordCredentials` or v3 `password` (user by name in a domain).
 * `application-credential`: Keystone v3 application credential (id + secret; already scoped to a project).
 */
export type OpenStackCredentials =
  | { method: 'rax-api-key'; username: string; apiKey: string }
  | { method: 'password'; username: string; password: string; userDomainName?: string; userDomainId?: string }
  | { method: 'application-credential'; id: string; secret: string };

/** The project (v2.0: tenant) to scope the token to. v2.0 sends `tenantId` when known, else `tenantName`. */
export interface ProjectScope {
  id?: string;
  name?: string;
  domainName?: string;
  domainId?: string;
}

/** A validated configuration for `createOpenStackSession`. */
export interface OpenStackConfig {
  provider: OpenStackProviderId;
  /** Identity endpoint, with or without a trailing `/v2.0` or `/v3` (see `identity.ts` for version detection). */
  authUrl: string;
  /** `OS_IDENTITY_API_VERSION` / `identity_api_version`, when set: decides the version if `authUrl` does not. */
  identityApiVersion?: 'v2.0' | 'v3';
  credentials: OpenStackCredentials;
  /**
   * Where the credentials came from, for messages: `RAX_USERNAME and RAX_API_KEY`, `auth.username and auth.password
   * of cloud "mycloud"`, and the credential variables that were set but not used (see {@link resolveOpenStackConfig}).
   */
  credentialsFrom?: string;
  project?: ProjectScope;
  /** Region name as in the service catalog (Rackspace: upper case, e.g. `IAD`). */
  region: string;
  /** Endpoint interface to use from the catalog (default `public`). */
  interface: EndpointInterface;
  /** The clouds.yaml entry that contributed settings, and its file, when one did. */
  cloud?: { name: string; file: string };
}

/** Options of {@link resolveOpenStackConfig}. Everything but `provider` defaults to the process's own. */
export interface ResolveOpenStackConfigOptions {
  provider: OpenStackProviderId;
  /** Explicit region (a CLI flag): beats `RAX_REGION`, `OS_REGION_NAME` and clouds.yaml `region_name`. */
  region?: string;
  /** Explicit clouds.yaml entry (a CLI flag): beats `OS_CLOUD`. */
  cloud?: string;
  /** Environment to read (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Directory searched first for clouds.yaml / secure.yaml (default `process.cwd()`). */
  cwd?: string;
  /** Home directory for `~/.config/openstack` when `XDG_CONFIG_HOME` is unset (default `os.homedir()`). */
  home?: string;
}

/**
 * Rackspace's identity endpoint for US accounts (DFW, ORD, IAD, HKG, SYD). UK accounts (LON) must set
 * `OS_AUTH_URL=https://lon.identity.api.rackspacecloud.com/v2.0/`.
 */
export const RACKSPACE_IDENTITY_URL = 'https://identity.api.rackspacecloud.com/v2.0/';

/** A clouds.yaml scalar: YAML reads `project_id: 123456` as a number; OpenStack means a string. */
const YamlText = z.union([z.string(), z.number()]);

/** The clouds.yaml keys imglint reads (openstacksdk names); other keys are allowed and ignored. */
const CloudEntry = z.looseObject({
  auth: z.optional(
    z.looseObject({
      auth_url: z.optional(YamlText),
      username: z.optional(YamlText),
      password: z.optional(YamlText),
      api_key: z.optional(YamlText),
      project_id: z.optional(YamlText),
      project_name: z.optional(YamlText),
      tenant_id: z.optional(YamlText),
      tenant_name: z.optional(YamlText),
      user_domain_name: z.optional(YamlText),
      user_domain_id: z.optional(YamlText),
      project_domain_name: z.optional(YamlText),
      project_domain_id: z.optional(YamlText),
      application_credential_id: z.optional(YamlText),
      application_credential_secret: z.optional(YamlText),
    }),
  ),
  region_name: z.optional(YamlText),
  interface: z.optional(z.string()),
  identity_api_version: z.optional(YamlText),
  auth_type: z.optional(z.string()),
});
type CloudEntry = z.infer<typeof CloudEntry>;

const CloudsFile = z.looseObject({ clouds: z.optional(z.record(z.string(), CloudEntry)) });

/** The final shape check: anything that got this far but is still unusable is the user's to fix. */
const ValidConfig = z.object({
  // Not httpUrl(): it refuses IP addresses and single-label hosts (devstack, `http://keystone:5000/v3`).
  authUrl: z.url({ protocol: /^https?$/ }),
  region: z.string().check(z.minLength(1)),
});

const INTERFACES: readonly EndpointInterface[] = ['public', 'internal', 'admin'];

/**
 * Resolves the OpenStack configuration from explicit options, the environment and clouds.yaml.
 *
 * Read: `OS_AUTH_URL`, `OS_USERNAME`, `OS_PASSWORD`, `OS_PROJECT_NAME` (or `OS_TENANT_NAME`), `OS_PROJECT_ID`
 * (or `OS_TENANT_ID`), `OS_USER_DOMAIN_NAME`/`_ID`, `OS_PROJECT_DOMAIN_NAME`/`_ID`, `OS_REGION_NAME`,
 * `OS_INTERFACE`, `OS_IDENTITY_API_VERSION`, `OS_APPLICATION_CREDENTIAL_ID`/`_SECRET`, `OS_CLOUD`,
 * `OS_CLIENT_CONFIG_FILE`, `OS_CLIENT_SECURE_FILE`, `XDG_CONFIG_HOME`; with `provider: 'rackspace'` also
 * `RAX_USERNAME`, `RAX_API_KEY`, `RAX_REGION` (these win over their `OS_*` counterparts) and clouds.yaml
 * `auth.api_key`. clouds.yaml is read only when a cloud is named (`cloud` or `OS_CLOUD`): the first of
 * `OS_CLIENT_CONFIG_FILE`, else `./clouds.yaml`, `$XDG_CONFIG_HOME/openstack/clouds.yaml` (default
 * `~/.config/openstack`), `/etc/openstack/clouds.yaml`; a `secure.yaml` from the same places is merged over it.
 *
 * Credentials, as openstacksdk and python-openstackclient pick them (openstacksdk `config/defaults.json`
 * `auth_type: password`; osc-lib `ClientConfig._auth_select_default_plugin`): the auth type is the one named by
 * `OS_AUTH_TYPE` or clouds.yaml `auth_type` (`password`, `v2password`, `v3password`, `v3applicationcredential`;
 * on Rackspace also rackspaceauth's `rackspace_apikey`); without one, a user name means a password (on Rackspace an
 * API key when one is set, else a password), and only without a user name does an application credential (id and
 * secret) stand in, as it must be named explicitly in the OpenStack tools. Credential variables the chosen method
 * does not use are ignored, and named in {@link OpenStackConfig.credentialsFrom}.
 *
 * @param options - provider, explicit region/cloud, and the environment, cwd and home to read (for tests).
 * @returns the validated configuration.
 * @throws UsageError (exit 2) for missing credentials, auth URL or region (naming the variables to set), an unknown
 *   cloud name, an unreadable or invalid clouds.yaml / secure.yaml (naming the file, and the line for YAML syntax
 *   errors), a malformed `OS_AUTH_URL` or an unknown `OS_INTERFACE`.
 */
export function resolveOpenStackConfig(options: ResolveOpenStackConfigOptions): OpenStackConfig {
  const env = options.env ?? process.env;
  const rackspace = options.provider === 'rackspace';
  const setIn = (names: readonly string[]): string | undefined => names.find((name) => env[name] !== undefined && env[name] !== '');
  const fromEnv = (...names: string[]): string | undefined => {
    const name = setIn(names);
    return name === undefined ? undefined : env[name];
  };

  const cloudName = options.cloud ?? fromEnv('OS_CLOUD');
  const cloud = cloudName === undefined ? undefined : loadCloud(cloudName, options, env);
  const auth = cloud?.entry.auth ?? {};
  const fromCloud = (value: string | number | undefined): string | undefined =>
    value === undefined || value === '' ? undefined : String(value);

  const authUrl = fromEnv('OS_AUTH_URL') ?? fromCloud(auth.auth_url) ?? (rackspace ? RACKSPACE_IDENTITY_URL : undefined);
  const username = fromEnv(...(rackspace ? ['RAX_USERNAME'] : []), 'OS_USERNAME') ?? fromCloud(auth.username);
  const password = fromEnv('OS_PASSWORD') ?? fromCloud(auth.password);
  const apiKey = rackspace ? (fromEnv('RAX_API_KEY') ?? fromCloud(auth.api_key)) : undefined;
  const appCredentialId = fromEnv('OS_APPLICATION_CREDENTIAL_ID') ?? fromCloud(auth.application_credential_id);
  const appCredentialSecret =
    fromEnv('OS_APPLICATION_CREDENTIAL_SECRET') ?? fromCloud(auth.application_credential_secret);
  const regionName =
    options.region ??
    fromEnv(...(rackspace ? ['RAX_REGION'] : []), 'OS_REGION_NAME') ??
    fromCloud(cloud?.entry.region_name);

  const inCloud = cloud ? ` (nor in cloud "${cloud.name}" of ${cloud.file})` : '';
  /** Where a credential came from: the variable that was set, else the clouds.yaml key; the variable to set. */
  const source = (names: readonly string[], key: string): Source => {
    const variable = setIn(names);
    const inYaml = cloud !== undefined && fromCloud((auth as Record<string, string | number | undefined>)[key]) !== undefined;
    return { variable: names[0]!, from: variable ?? (inYaml ? `auth.${key}` : undefined) };
  };
  const sources: CredentialSources = {
    username: source(rackspace ? ['RAX_USERNAME', 'OS_USERNAME'] : ['OS_USERNAME'], 'username'),
    password: source(['OS_PASSWORD'], 'password'),
    apiKey: source(rackspace ? ['RAX_API_KEY'] : [], 'api_key'),
    appCredentialId: source(['OS_APPLICATION_CREDENTIAL_ID'], 'application_credential_id'),
    appCredentialSecret: source(['OS_APPLICATION_CREDENTIAL_SECRET'], 'application_credential_secret'),
  };
  const authType = fromEnv('OS_AUTH_TYPE') ?? cloud?.entry.auth_type;
  const authTypeFrom = fromEnv('OS_AUTH_TYPE') !== undefined ? 'OS_AUTH_TYPE' : `auth_type of cloud "${cloud?.name}"`;
  const credentials = pickCredentials(
    { rackspace, username, password, apiKey, appCredentialId, appCredentialSecret },
    sources,
    cloud?.name,
    authType === undefined ? undefined : { name: authType.toLowerCase(), from: authTypeFrom },
  );
  const missing = [
    ...(authUrl === undefined ? ['OS_AUTH_URL'] : []),
    ...(typeof credentials === 'string' ? [credentials] : []),
  ];
  const forAuthType = authType !== undefined && typeof credentials === 'string' ? ` (${authTypeFrom} is ${authType})` : '';
  if (missing.length > 0) {
    // Missing credentials exit 3 like the AWS SDK's credential chain does: the run cannot reach the cloud.
    throw new ProviderApiError(
      'NoCredentials',
      `missing ${rackspace ? 'Rackspace' : 'OpenStack'} credentials: ${missing.join(', ')} not set${forAuthType}${inCloud}`,
      {
        hint: rackspace
          ? 'set RAX_USERNAME and RAX_API_KEY (or OS_USERNAME and OS_PASSWORD), or OS_CLOUD naming a clouds.yaml entry'
          : 'set OS_AUTH_URL, OS_USERNAME and OS_PASSWORD (with OS_PROJECT_NAME and OS_USER_DOMAIN_NAME for Keystone v3), ' +
            'or OS_APPLICATION_CREDENTIAL_ID and OS_APPLICATION_CREDENTIAL_SECRET, or OS_CLOUD naming a clouds.yaml entry',
      },
    );
  }
  if (regionName === undefined) {
    throw new UsageError(`no ${rackspace ? 'Rackspace' : 'OpenStack'} region${inCloud}`, {
      hint: rackspace
        ? 'pass --region or set RAX_REGION (or OS_REGION_NAME), e.g. IAD, DFW, ORD, HKG, SYD (LON for UK accounts)'
        : 'pass --region or set OS_REGION_NAME (or region_name in clouds.yaml)',
    });
  }

  const interfaceName = fromEnv('OS_INTERFACE', 'OS_ENDPOINT_TYPE') ?? cloud?.entry.interface ?? 'public';
  const endpointInterface = interfaceName.replace(/URL$/, '') as EndpointInterface;
  if (!INTERFACES.includes(endpointInterface)) {
    throw new UsageError(`unknown endpoint interface "${interfaceName}"`, {
      hint: 'set OS_INTERFACE to public, internal or admin',
    });
  }

  const versionText = fromEnv('OS_IDENTITY_API_VERSION') ?? fromCloud(cloud?.entry.identity_api_version);
  const project: ProjectScope = {
    id: fromEnv('OS_PROJECT_ID', 'OS_TENANT_ID') ?? fromCloud(auth.project_id ?? auth.tenant_id),
    name: fromEnv('OS_PROJECT_NAME', 'OS_TENANT_NAME') ?? fromCloud(auth.project_name ?? auth.tenant_name),
    domainName: fromEnv('OS_PROJECT_DOMAIN_NAME') ?? fromCloud(auth.project_domain_name),
    domainId: fromEnv('OS_PROJECT_DOMAIN_ID') ?? fromCloud(auth.project_domain_id),
  };
  const config: OpenStackConfig = {
    provider: options.provider,
    authUrl: authUrl!,
    ...(versionText === undefined ? {} : { identityApiVersion: /^v?2/i.test(versionText) ? 'v2.0' : 'v3' }),
    credentials: withUserDomain((credentials as PickedCredentials).credentials, {
      name: fromEnv('OS_USER_DOMAIN_NAME') ?? fromCloud(auth.user_domain_name),
      id: fromEnv('OS_USER_DOMAIN_ID') ?? fromCloud(auth.user_domain_id),
    }),
    credentialsFrom: (credentials as PickedCredentials).from,
    ...(Object.values(project).some((value) => value !== undefined) ? { project: dropUndefined(project) } : {}),
    region: rackspace ? regionName.toUpperCase() : regionName,
    interface: endpointInterface,
    ...(cloud ? { cloud: { name: cloud.name, file: cloud.file } } : {}),
  };

  const checked = ValidConfig.safeParse({ authUrl: config.authUrl, region: config.region });
  if (!checked.success) {
    const where = fromEnv('OS_AUTH_URL') !== undefined ? 'OS_AUTH_URL' : cloud ? `auth_url in ${cloud.file}` : 'the auth URL';
    throw new UsageError(`invalid OpenStack configuration: ${formatZodError(checked.error)}`, {
      hint: `${where} must be an http(s) URL such as https://keystone.example.com:5000/v3`,
    });
  }
  // Every message names the identity URL: credentials inside it would be printed with it.
  const url = new URL(config.authUrl);
  if (url.username !== '' || url.password !== '') {
    throw new UsageError('the OpenStack auth URL carries a user name or password', {
      hint: 'remove them from the URL and set OS_USERNAME / OS_PASSWORD (or RAX_USERNAME / RAX_API_KEY) instead',
    });
  }
  return config;
}

/** The variable that sets one credential, and where its value came from (a variable, a clouds.yaml key, nowhere). */
interface Source {
  variable: string;
  from: string | undefined;
}

interface CredentialSources {
  username: Source;
  password: Source;
  apiKey: Source;
  appCredentialId: Source;
  appCredentialSecret: Source;
}

interface PickedCredentials {
  credentials: OpenStackCredentials;
  from: string;
}

const AUTH_TYPES = ['password', 'v2password', 'v3password', 'v3applicationcredential'] as const;

/**
 * The credentials to use (and where they came from, naming what was set but not used), or the name of the first
 * variable still missing. `authType` is the explicit auth type, lower-cased, when one is set.
 *
 * @throws UsageError for an auth type imglint does not implement.
 */
function pickCredentials(
  found: {
    rackspace: boolean;
    username: string | undefined;
    password: string | undefined;
    apiKey: string | undefined;
    appCredentialId: string | undefined;
    appCredentialSecret: string | undefined;
  },
  sources: CredentialSources,
  cloudName: string | undefined,
  authType: { name: string; from: string } | undefined,
): PickedCredentials | string {
  const { rackspace, username, password, apiKey, appCredentialId, appCredentialSecret } = found;
  /** `RAX_USERNAME and RAX_API_KEY`; `auth.username and auth.password of cloud "x"`. */
  const names = (keys: (keyof CredentialSources)[]) => {
    const from = keys.map((key) => sources[key].from!);
    const variables = from.filter((name) => !name.startsWith('auth.'));
    const yaml = from.filter((name) => name.startsWith('auth.'));
    return [...variables, ...(yaml.length > 0 ? [`${yaml.join(' and ')} of cloud "${cloudName}"`] : [])].join(' and ');
  };
  const described = (credentials: OpenStackCredentials, used: (keyof CredentialSources)[]): PickedCredentials => {
    const unused = (Object.keys(sources) as (keyof CredentialSources)[]).filter((key) => !used.includes(key) && sources[key].from !== undefined);
    return { credentials, from: names(used) + (unused.length > 0 ? ` (${names(unused)} set but not used)` : '') };
  };
  const applicationCredential = (): PickedCredentials | string => {
    if (appCredentialId === undefined) return sources.appCredentialId.variable;
    if (appCredentialSecret === undefined) return sources.appCredentialSecret.variable;
    return described({ method: 'application-credential', id: appCredentialId, secret: appCredentialSecret }, ['appCredentialId', 'appCredentialSecret']);
  };
  const passwordCredential = (): PickedCredentials | string => {
    if (username === undefined) return sources.username.variable;
    if (password === undefined) return rackspace && authType === undefined ? sources.apiKey.variable : sources.password.variable;
    return described({ method: 'password', username, password }, ['username', 'password']);
  };
  const apiKeyCredential = (): PickedCredentials | string => {
    if (username === undefined) return sources.username.variable;
    if (apiKey === undefined) return sources.apiKey.variable;
    return described({ method: 'rax-api-key', username, apiKey }, ['username', 'apiKey']);
  };
  if (authType !== undefined) {
    if (authType.name === 'v3applicationcredential') return applicationCredential();
    if (rackspace && authType.name === 'rackspace_apikey') return apiKeyCredential();
    if ((AUTH_TYPES as readonly string[]).includes(authType.name)) return passwordCredential();
    throw new UsageError(`${authType.from} is ${authType.name}, an auth type imglint does not implement`, {
      hint: `use one of ${[...AUTH_TYPES, ...(rackspace ? ['rackspace_apikey'] : [])].join(', ')}, or unset it`,
    });
  }
  if (username !== undefined) return rackspace && apiKey !== undefined ? apiKeyCredential() : passwordCredential();
  if (appCredentialId !== undefined || appCredentialSecret !== undefined) return applicationCredential();
  return sources.username.variable;
}

function withUserDomain(
  credentials: OpenStackCredentials,
  domain: { name: string | undefined; id: string | undefined },
): OpenStackCredentials {
  if (credentials.method !== 'password') return credentials;
  return dropUndefined({ ...credentials, userDomainName: domain.name, userDomainId: domain.id });
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, inner]) => inner !== undefined)) as T;
}

/** Reads the named cloud from the first clouds.yaml on the search path, with secure.yaml merged over it. */
function loadCloud(
  name: string,
  options: ResolveOpenStackConfigOptions,
  env: Readonly<Record<string, string | undefined>>,
): { name: string; file: string; entry: CloudEntry } {
  const configDirs = [
    options.cwd ?? process.cwd(),
    path.join(env.XDG_CONFIG_HOME || path.join(options.home ?? os.homedir(), '.config'), 'openstack'),
    '/etc/openstack',
  ];
  const cloudsFile = findConfigFile('clouds.yaml', env.OS_CLIENT_CONFIG_FILE, 'OS_CLIENT_CONFIG_FILE', configDirs);
  if (cloudsFile === undefined) {
    throw new UsageError(`cloud "${name}" was asked for, but no clouds.yaml was found`, {
      hint:
        `looked in ${configDirs.map((dir) => path.join(dir, 'clouds.yaml')).join(', ')}; ` +
        'set OS_CLIENT_CONFIG_FILE to its path',
    });
  }
  const clouds = readCloudsFile(cloudsFile);
  const secureFile = findConfigFile('secure.yaml', env.OS_CLIENT_SECURE_FILE, 'OS_CLIENT_SECURE_FILE', configDirs);
  const secure = secureFile === undefined ? {} : readCloudsFile(secureFile);
  const entry = clouds[name];
  if (entry === undefined) {
    const known = Object.keys(clouds);
    throw new UsageError(`cloud "${name}" is not in ${cloudsFile}`, {
      hint: known.length > 0 ? `clouds there: ${known.join(', ')} (set OS_CLOUD to one of them)` : 'the file defines no clouds',
    });
  }
  const secret = secure[name];
  const merged: CloudEntry = secret ? { ...entry, ...secret, auth: { ...entry.auth, ...secret.auth } } : entry;
  return { name, file: cloudsFile, entry: merged };
}

function findConfigFile(
  base: string,
  override: string | undefined,
  overrideVariable: string,
  dirs: readonly string[],
): string | undefined {
  if (override) {
    if (!existsSync(override)) {
      throw new UsageError(`${overrideVariable} names ${override}, which does not exist`, {
        hint: `fix or unset ${overrideVariable}`,
      });
    }
    return override;
  }
  return dirs.map((dir) => path.join(dir, base)).find((file) => existsSync(file));
}

function readCloudsFile(file: string): Record<string, CloudEntry> {
  let document: unknown;
  try {
    document = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const line = error.message.split('\n')[0]?.replace(/:$/, '') ?? error.code;
      throw new UsageError(`cannot parse ${file}: ${line}`, { hint: 'fix the YAML syntax at that line' });
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`cannot read ${file}: ${reason}`);
  }
  const result = CloudsFile.safeParse(document ?? {});
  if (!result.success) {
    throw new UsageError(`invalid ${file}: ${formatZodError(result.error)}`, {
      hint: 'see https://docs.openstack.org/openstacksdk/latest/user/config/configuration.html for the format',
    });
  }
  return result.data.clouds ?? {};
}
