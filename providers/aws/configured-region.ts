import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The AWS region the environment configures, read the way the AWS CLI and SDKs read it, without loading the SDK (the
 * offline path never loads it: start-up is most of a one-pair check):
 *
 * 1. `AWS_REGION`;
 * 2. `AWS_DEFAULT_REGION`;
 * 3. the `region` of the profile `AWS_PROFILE` names (default `default`) in the shared config file (`AWS_CONFIG_FILE`,
 *    default `~/.aws/config`): section `[profile NAME]`, or `[default]` for the default profile.
 *
 * Sources: AWS CLI User Guide, "Environment variables to configure the AWS CLI" and "Configuration and credential file
 * settings" (the config file's format and section names); the SDK's reader, `@smithy/shared-ini-file-loader`, for the
 * details kept here (`#` and `;` comments, also after a space inside a line; indented lines under a `key =` line are
 * that key's sub-settings, not the profile's; `[profile "name"]` quoted; a `[name]` section without `profile ` is
 * ignored in the config file).
 */

/** A configured region and where it was found, for messages. */
export interface ConfiguredRegion {
  region: string;
  /** `AWS_REGION`, `AWS_DEFAULT_REGION`, or `profile default in /home/me/.aws/config`. */
  from: string;
}

/** Where {@link configuredAwsRegion} looks, for the message when it finds nothing. */
export interface RegionSources {
  profile: string;
  configFile: string;
}

/** The profile and config file the environment names, with `~/` expanded as the SDK does. */
export function regionSources(env: NodeJS.ProcessEnv = process.env): RegionSources {
  const home = env.HOME || env.USERPROFILE || homedir();
  const named = env.AWS_CONFIG_FILE;
  const configFile = named ? (named.startsWith('~/') ? join(home, named.slice(2)) : named) : join(home, '.aws', 'config');
  return { profile: env.AWS_PROFILE || 'default', configFile };
}

/**
 * The configured region (see the module comment), or `undefined` when none of the three sources sets one. A config
 * file that is missing or cannot be read configures nothing, as for the SDK.
 */
export async function configuredAwsRegion(env: NodeJS.ProcessEnv = process.env): Promise<ConfiguredRegion | undefined> {
  if (env.AWS_REGION) return { region: env.AWS_REGION, from: 'AWS_REGION' };
  if (env.AWS_DEFAULT_REGION) return { region: env.AWS_DEFAULT_REGION, from: 'AWS_DEFAULT_REGION' };
  const { profile, configFile } = regionSources(env);
  let text: string;
  try {
    text = await readFile(configFile, 'utf8');
  } catch {
    return undefined;
  }
  const region = profileSetting(text, profile, 'region');
  return region ? { region, from: `profile ${profile} in ${configFile}` } : undefined;
}

/**
 * One top-level setting of one profile in a shared config file's text; the last one wins when a profile's sections or
 * keys repeat.
 */
export function profileSetting(text: string, profile: string, key: string): string | undefined {
  let inProfile = false;
  let inSubSection = false;
  let value: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.split(/(?:^|\s)[;#]/)[0]!.trimEnd();
    if (line.trim() === '') continue;
    const section = /^\s*\[(.*)\]$/.exec(line);
    if (section) {
      inProfile = profileOfSection(section[1]!.trim()) === profile;
      inSubSection = false;
      continue;
    }
    const setting = /^\s*([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (!setting) continue;
    // `s3 =` followed by indented lines: those are `s3`'s settings, up to the next line that is not indented.
    if (/^\s/.test(line) && inSubSection) continue;
    const [, name, setTo] = setting;
    inSubSection = setTo === '';
    if (inProfile && name === key && setTo !== '') value = setTo;
  }
  return value;
}

/** `default` -> `default`; `profile dev` / `profile "dev"` -> `dev`; any other section (`sso-session x`, `[dev]`) -> none. */
function profileOfSection(name: string): string | undefined {
  if (name === 'default') return 'default';
  const match = /^profile\s+(["']?)([\w\-@+.%:/]+)\1$/.exec(name);
  return match?.[2];
}
