import { constants } from 'node:fs';
import { close, fstat, open, readFile } from '../../src/fs-async.js';
import { homedir } from 'node:os';
import { join, sep } from 'node:path';

/**
 * The AWS region the environment configures, resolved as imglint's live path resolves it (the AWS SDK for
 * JavaScript v3, plus `AWS_DEFAULT_REGION`), without loading the SDK (the offline path never loads it: start-up is
 * most of a one-pair check):
 *
 * 1. `AWS_REGION`; set but empty, it configures no region (the SDK takes the empty value, which no client accepts);
 * 2. `AWS_DEFAULT_REGION` (the AWS CLI's; imglint's live path passes it to the SDK when `AWS_REGION` is unset);
 * 3. the `region` of the profile `AWS_PROFILE` names (default `default`) in the shared credentials file
 *    (`AWS_SHARED_CREDENTIALS_FILE`, default `~/.aws/credentials`; sections `[NAME]`);
 * 4. else in the shared config file (`AWS_CONFIG_FILE`, default `~/.aws/config`; sections `[profile NAME]`, and
 *    `[default]`, which a `[profile default]` section with any setting replaces wherever it stands).
 *
 * Sources, read from the installed SDK (`@smithy/core` 3.41, `config` submodule, which holds what were
 * `@smithy/node-config-provider`, `@smithy/shared-ini-file-loader` and the region resolver): `NODE_REGION_CONFIG_OPTIONS`
 * (`AWS_REGION`, then the profile's `region`) with `NODE_REGION_CONFIG_FILE_OPTIONS` (`preferredFile: 'credentials'`:
 * the credentials file's profile is spread over the config file's); `parseIni` for the line format (`#` and `;`
 * comments, also after a space inside a line; indented lines under a `key =` line are that key's sub-settings;
 * `[profile "name"]` quoted; a file with a `[__proto__]` section configures nothing); `getConfigData` for the config
 * file's section names; `getHomeDir` and `loadSharedConfigFiles` for the paths (`~/` expanded). The SDK's last
 * source, the instance metadata service, is a network call, so offline it is not one.
 *
 * Only `region` settings are kept: the credentials file's keys are read past, never stored.
 */

/** A configured region and where it was found, for messages. */
export interface ConfiguredRegion {
  region: string;
  /** `AWS_REGION`, `AWS_DEFAULT_REGION`, or `profile default in /home/me/.aws/credentials`. */
  from: string;
}

/** Where {@link configuredAwsRegion} looks, for the message when it finds nothing. */
export interface RegionSources {
  profile: string;
  /** The shared credentials file, read first. */
  credentialsFile: string;
  configFile: string;
}

/** The profile and shared files the environment names, with `~/` expanded and the home directory found as the SDK does. */
export function regionSources(env: NodeJS.ProcessEnv = process.env): RegionSources {
  const home = env.HOME || env.USERPROFILE || (env.HOMEPATH ? `${env.HOMEDRIVE ?? `C:${sep}`}${env.HOMEPATH}` : homedir());
  const path = (named: string | undefined, fallback: string) => {
    const file = named || join(home, '.aws', fallback);
    return file.startsWith('~/') ? join(home, file.slice(2)) : file;
  };
  return {
    profile: env.AWS_PROFILE || 'default',
    credentialsFile: path(env.AWS_SHARED_CREDENTIALS_FILE, 'credentials'),
    configFile: path(env.AWS_CONFIG_FILE, 'config'),
  };
}

/**
 * The configured region (see the module comment), or `undefined` when no source sets one. A shared file that is
 * missing, cannot be read, or has a `[__proto__]` section configures nothing, as for the SDK.
 */
export async function configuredAwsRegion(env: NodeJS.ProcessEnv = process.env): Promise<ConfiguredRegion | undefined> {
  if (env.AWS_REGION) return { region: env.AWS_REGION, from: 'AWS_REGION' };
  if (env.AWS_DEFAULT_REGION) return { region: env.AWS_DEFAULT_REGION, from: 'AWS_DEFAULT_REGION' };
  if (env.AWS_REGION === '') return undefined;
  const { profile, credentialsFile, configFile } = regionSources(env);
  const [credentials, config] = await Promise.all([readSections(credentialsFile), readSections(configFile)]);
  const fromCredentials = credentials.get(profile)?.region;
  if (fromCredentials !== undefined) return { region: fromCredentials, from: `profile ${profile} in ${credentialsFile}` };
  const fromConfig = configProfiles(config).get(profile)?.region;
  return fromConfig !== undefined ? { region: fromConfig, from: `profile ${profile} in ${configFile}` } : undefined;
}

/** What is kept of one section: whether it holds any setting (for `[profile default]`), and its top-level `region`. */
export interface SectionRegion {
  hasSettings: boolean;
  region?: string;
}

/**
 * The file's sections; none when it cannot be read, as in the SDK. Opened without blocking and read only when it is
 * a regular file: a FIFO at the path would otherwise hang every offline run.
 */
async function readSections(file: string): Promise<Map<string, SectionRegion>> {
  let fd: number | undefined;
  try {
    fd = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    if (!(await fstat(fd)).isFile()) return new Map();
    return sectionRegions(await readFile(fd));
  } catch {
    return new Map();
  } finally {
    if (fd !== undefined) await close(fd).catch(() => undefined);
  }
}

// The SDK's `prefixKeyRegex`: `profile dev`, `sso-session "x"`.
const PREFIXED_SECTION = /^([\w-]+)\s(["'])?([\w-@+.%:/]+)\2$/;
const SECTION_TYPES = ['profile', 'sso-session', 'services'];

/**
 * The sections of a shared config or credentials file's text, keyed as the SDK's `parseIni` keys them (`default`,
 * `dev`, `profile.dev` for `[profile dev]`, `sso-session.x`), each with its last top-level `region`. Sections that
 * repeat are one section; a section with no setting is absent, as in the SDK.
 *
 * @throws Error `Found invalid profile name` for a `[__proto__]` or `[profile __proto__]` section, as the SDK.
 */
export function sectionRegions(text: string): Map<string, SectionRegion> {
  const sections = new Map<string, SectionRegion>();
  let section: string | undefined;
  let subSection: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.split(/(^|\s)[;#]/)[0]!.trim();
    if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
      const name = trimmed.slice(1, -1);
      const prefixed = PREFIXED_SECTION.exec(name);
      section = prefixed ? (SECTION_TYPES.includes(prefixed[1]!) ? `${prefixed[1]}.${prefixed[3]}` : undefined) : name;
      subSection = undefined;
      if (name === '__proto__' || name === 'profile __proto__') throw new Error(`Found invalid profile name "${name}"`);
      continue;
    }
    if (!section) continue;
    const equals = trimmed.indexOf('=');
    if (equals <= 0) continue;
    const key = trimmed.slice(0, equals).trim();
    const value = trimmed.slice(equals + 1).trim();
    // `s3 =` opens `s3`'s sub-settings: the indented lines after it, up to the next setting that is not indented.
    if (value === '') {
      subSection = key;
      continue;
    }
    if (subSection !== undefined && line.trimStart() === line) subSection = undefined;
    const entry = sections.get(section) ?? { hasSettings: true };
    if (subSection === undefined && key === 'region') entry.region = value;
    sections.set(section, entry);
  }
  return sections;
}

/**
 * A config file's sections by profile name, as the SDK's `getConfigData` takes them: `[default]`, then each
 * `profile.NAME` as `NAME` (so `[profile default]` replaces `[default]`), `sso-session.*` and `services.*` as they
 * are; any other section (`[dev]`, a credentials-file name) is none.
 */
function configProfiles(sections: ReadonlyMap<string, SectionRegion>): Map<string, SectionRegion> {
  const profiles = new Map<string, SectionRegion>();
  const fallback = sections.get('default');
  if (fallback) profiles.set('default', fallback);
  for (const [key, entry] of sections) {
    const dot = key.indexOf('.');
    if (dot === -1 || !SECTION_TYPES.includes(key.slice(0, dot))) continue;
    profiles.set(key.startsWith('profile.') ? key.slice(dot + 1) : key, entry);
  }
  return profiles;
}
