/**
 * The region the environment configures, as imglint's live path resolves it (AWS_REGION, AWS_DEFAULT_REGION, the
 * profile's `region` in the shared credentials file, then in the config file), read with a temporary HOME,
 * AWS_CONFIG_FILE or AWS_SHARED_CREDENTIALS_FILE. The files are in the format of the AWS CLI User Guide's examples
 * ("Configuration and credential file settings"); the credentials files hold made-up keys (AWS's documented example).
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configuredAwsRegion, regionSources, sectionRegions } from '../../../providers/aws/configured-region.js';
import { useTempDir } from '../../support/temp-dir.js';

const home = useTempDir('imglint-aws-config-', { each: true });

/** A config file at HOME/.aws/config. */
async function config(text: string): Promise<NodeJS.ProcessEnv> {
  await mkdir(path.join(home(), '.aws'), { recursive: true });
  await writeFile(path.join(home(), '.aws', 'config'), text);
  return { HOME: home() };
}

/** A credentials file at HOME/.aws/credentials. */
async function credentials(text: string): Promise<NodeJS.ProcessEnv> {
  await mkdir(path.join(home(), '.aws'), { recursive: true });
  await writeFile(path.join(home(), '.aws', 'credentials'), text);
  return { HOME: home() };
}

const KEYS = 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n';

const CONFIG = `[default]
region = us-west-2
output = json

[profile user1]
role_arn = arn:aws:iam::123456789012:role/role-name
source_profile = default
region = eu-central-1 ; Frankfurt

[profile "quoted"]
s3 =
  region = ap-south-1
  max_concurrent_requests = 20
region=sa-east-1

[sso-session my-sso]
region = us-east-1

[user2]
region = ca-central-1
`;

describe('configuredAwsRegion', () => {
  it('AWS_REGION first, then AWS_DEFAULT_REGION, then the profile', async () => {
    const env = await config(CONFIG);
    expect(await configuredAwsRegion({ ...env, AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-2' })).toEqual({ region: 'eu-west-1', from: 'AWS_REGION' });
    expect(await configuredAwsRegion({ ...env, AWS_DEFAULT_REGION: 'eu-west-2' })).toEqual({ region: 'eu-west-2', from: 'AWS_DEFAULT_REGION' });
    expect(await configuredAwsRegion(env)).toEqual({ region: 'us-west-2', from: `profile default in ${path.join(home(), '.aws', 'config')}` });
  });

  it('[profile NAME] sections for AWS_PROFILE; comments and sub-settings are not the region', async () => {
    const env = await config(CONFIG);
    expect((await configuredAwsRegion({ ...env, AWS_PROFILE: 'user1' }))?.region).toBe('eu-central-1');
    expect((await configuredAwsRegion({ ...env, AWS_PROFILE: 'quoted' }))?.region).toBe('sa-east-1');
    // An sso-session's region, and a section without `profile ` (a credentials-file style name), are no profile's.
    expect(await configuredAwsRegion({ ...env, AWS_PROFILE: 'my-sso' })).toBeUndefined();
    expect(await configuredAwsRegion({ ...env, AWS_PROFILE: 'user2' })).toBeUndefined();
  });

  it('AWS_CONFIG_FILE instead of ~/.aws/config, with ~/ expanded', async () => {
    await writeFile(path.join(home(), 'other-config'), '[profile ci]\nregion = ap-northeast-1\n');
    const env = { HOME: home(), AWS_PROFILE: 'ci' };
    expect((await configuredAwsRegion({ ...env, AWS_CONFIG_FILE: path.join(home(), 'other-config') }))?.region).toBe('ap-northeast-1');
    expect((await configuredAwsRegion({ ...env, AWS_CONFIG_FILE: '~/other-config' }))?.region).toBe('ap-northeast-1');
    expect(regionSources({ ...env, AWS_CONFIG_FILE: '~/other-config' })).toEqual({
      profile: 'ci',
      credentialsFile: path.join(home(), '.aws', 'credentials'),
      configFile: path.join(home(), 'other-config'),
    });
  });

  it('nothing at all: no variable, no file, a profile without region, or a directory where the file should be', async () => {
    expect(await configuredAwsRegion({ HOME: home() })).toBeUndefined();
    expect(await configuredAwsRegion({ HOME: home(), AWS_CONFIG_FILE: home() })).toBeUndefined();
    const env = await config('[default]\noutput = json\n');
    expect(await configuredAwsRegion(env)).toBeUndefined();
  });
});

describe('configuredAwsRegion: the shared credentials file', () => {
  it('its profile region wins over the config file\'s, and alone it is enough', async () => {
    await config('[default]\nregion = eu-west-1\n');
    const env = await credentials(`[default]\n${KEYS}region = us-west-2\n`);
    expect(await configuredAwsRegion(env)).toEqual({ region: 'us-west-2', from: `profile default in ${path.join(home(), '.aws', 'credentials')}` });
    await config('[default]\noutput = json\n');
    expect((await configuredAwsRegion(env))?.region).toBe('us-west-2');
  });

  it('a credentials profile without region leaves the config file\'s; [profile NAME] there is no profile NAME', async () => {
    await config('[profile dev]\nregion = eu-west-1\n');
    const env = await credentials(`[dev]\n${KEYS}\n[profile dev]\nregion = ap-east-1\n`);
    expect(await configuredAwsRegion({ ...env, AWS_PROFILE: 'dev' })).toEqual({ region: 'eu-west-1', from: `profile dev in ${path.join(home(), '.aws', 'config')}` });
  });

  it('a FIFO at the credentials path is passed over without waiting for a writer; the config file still counts', async () => {
    const env = await config('[default]\nregion = eu-north-1\n');
    const fifo = path.join(home(), 'credentials.fifo');
    execFileSync('mkfifo', [fifo]);
    expect(await configuredAwsRegion({ ...env, AWS_SHARED_CREDENTIALS_FILE: fifo })).toEqual({
      region: 'eu-north-1',
      from: `profile default in ${path.join(home(), '.aws', 'config')}`,
    });
  });

  it('AWS_SHARED_CREDENTIALS_FILE instead of ~/.aws/credentials, with ~/ expanded', async () => {
    await writeFile(path.join(home(), 'creds'), `[ci]\n${KEYS}region = ca-central-1\n`);
    const env = { HOME: home(), AWS_PROFILE: 'ci' };
    expect((await configuredAwsRegion({ ...env, AWS_SHARED_CREDENTIALS_FILE: '~/creds' }))?.region).toBe('ca-central-1');
    expect((await configuredAwsRegion({ ...env, AWS_SHARED_CREDENTIALS_FILE: path.join(home(), 'creds') }))?.from).toBe(`profile ci in ${path.join(home(), 'creds')}`);
    expect(await configuredAwsRegion(env)).toBeUndefined();
  });

  it('AWS_REGION set but empty configures no region, as for the SDK; AWS_DEFAULT_REGION still does', async () => {
    const env = await credentials('[default]\nregion = us-west-2\n');
    expect(await configuredAwsRegion({ ...env, AWS_REGION: '' })).toBeUndefined();
    expect((await configuredAwsRegion({ ...env, AWS_REGION: '', AWS_DEFAULT_REGION: 'eu-west-3' }))?.region).toBe('eu-west-3');
    expect((await configuredAwsRegion({ ...env, AWS_DEFAULT_REGION: '' }))?.region).toBe('us-west-2');
  });

  it('keeps no credential value: only whether a section has settings, and its region', () => {
    const sections = sectionRegions(`[default]\n${KEYS}region = us-west-2\n[keys-only]\n${KEYS}`);
    expect([...sections]).toEqual([
      ['default', { hasSettings: true, region: 'us-west-2' }],
      ['keys-only', { hasSettings: true }],
    ]);
  });
});

describe('configuredAwsRegion: [default] and [profile default] in the config file', () => {
  it('[profile default] with any setting replaces [default], before or after it', async () => {
    for (const text of ['[default]\nregion = eu-west-1\n[profile default]\nregion = eu-south-1\n', '[profile default]\nregion = eu-south-1\n[default]\nregion = eu-west-1\n']) {
      expect((await configuredAwsRegion(await config(text)))?.region).toBe('eu-south-1');
    }
    // Replaced, not merged: [default]'s region goes with it.
    expect(await configuredAwsRegion(await config('[default]\nregion = eu-west-1\n[profile default]\noutput = json\n'))).toBeUndefined();
    // A [profile default] with no setting at all is no section.
    expect((await configuredAwsRegion(await config('[default]\nregion = eu-west-1\n[profile default]\n# none\n')))?.region).toBe('eu-west-1');
  });

  it('a file with a [__proto__] section configures nothing, as the SDK rejects it', async () => {
    expect(await configuredAwsRegion(await config('[default]\nregion = eu-west-1\n[__proto__]\n'))).toBeUndefined();
  });
});

describe('sectionRegions', () => {
  it('takes CRLF files, the last value of a repeated key or section, and the SDK\'s section keys', () => {
    expect(sectionRegions('[default]\r\nregion = us-east-2\r\n[default]\r\nregion = us-west-1\r\n').get('default')?.region).toBe('us-west-1');
    expect([...sectionRegions('[profile  "dev"]\nregion = a\n[profile "dev"]\nregion = b\n[x y]\nregion = c\n').keys()]).toEqual(['profile  "dev"', 'profile.dev']);
    expect(sectionRegions('# region = us-east-1\n[default]\n#region = us-east-1\n').size).toBe(0);
  });
});
