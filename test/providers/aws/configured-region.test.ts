/**
 * The region the environment configures, as the AWS CLI reads it (AWS_REGION, AWS_DEFAULT_REGION, the profile's
 * `region` in the shared config file), read with a temporary HOME or AWS_CONFIG_FILE. The config files are in the
 * format of the AWS CLI User Guide's examples ("Configuration and credential file settings").
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configuredAwsRegion, profileSetting, regionSources } from '../../../providers/aws/configured-region.js';
import { useTempDir } from '../../support/temp-dir.js';

const home = useTempDir('imglint-aws-config-', { each: true });

/** A config file at HOME/.aws/config. */
async function config(text: string): Promise<NodeJS.ProcessEnv> {
  await mkdir(path.join(home(), '.aws'));
  await writeFile(path.join(home(), '.aws', 'config'), text);
  return { HOME: home() };
}

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
    expect(regionSources({ ...env, AWS_CONFIG_FILE: '~/other-config' })).toEqual({ profile: 'ci', configFile: path.join(home(), 'other-config') });
  });

  it('nothing at all: no variable, no file, a profile without region, or a directory where the file should be', async () => {
    expect(await configuredAwsRegion({ HOME: home() })).toBeUndefined();
    expect(await configuredAwsRegion({ HOME: home(), AWS_CONFIG_FILE: home() })).toBeUndefined();
    const env = await config('[default]\noutput = json\n');
    expect(await configuredAwsRegion(env)).toBeUndefined();
    expect(await configuredAwsRegion({ ...env, AWS_REGION: '' })).toBeUndefined();
  });
});

describe('profileSetting', () => {
  it('takes CRLF files, the last value of a repeated key, and a [profile default] section', () => {
    expect(profileSetting('[default]\r\nregion = us-east-2\r\nregion = us-west-1\r\n', 'default', 'region')).toBe('us-west-1');
    expect(profileSetting('[profile default]\nregion = eu-north-1\n', 'default', 'region')).toBe('eu-north-1');
    expect(profileSetting('# region = us-east-1\n[default]\n#region = us-east-1\n', 'default', 'region')).toBeUndefined();
  });
});
