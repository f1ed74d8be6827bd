/**
 * Differential test: the offline region reader against the installed AWS SDK's own resolution, the SDK's
 * `loadConfig(NODE_REGION_CONFIG_OPTIONS, NODE_REGION_CONFIG_FILE_OPTIONS)` (what `EC2Client` and `SSMClient` call
 * when no region is given), over generated shared config / credentials files and environments. The live path passes
 * AWS_DEFAULT_REGION itself when AWS_REGION is unset (src/engine/resolve.ts), and an empty answer is no region for it
 * (the client rejects it), so the expected value is composed the same way here. AWS_EC2_METADATA_DISABLED keeps the
 * SDK's last source, the instance metadata service, from being asked: no network.
 *
 * The files are generated from lines in the shapes of the AWS CLI User Guide ("Configuration and credential file
 * settings"), with the quirks the SDK's parser handles (comments, sub-settings, quoted names, CRLF); the access keys
 * are AWS's documented example keys.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { NODE_REGION_CONFIG_FILE_OPTIONS, NODE_REGION_CONFIG_OPTIONS, loadConfig } from '@smithy/core/config';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { configuredAwsRegion, regionSources } from '../../../providers/aws/configured-region.js';
import { useTempDir } from '../../support/temp-dir.js';

const root = useTempDir('imglint-aws-region-sdk-');

/** One generated situation: the files' texts (`null`: no file; `'dir'`: a directory in its place) and the environment. */
interface Case {
  config: string | null | 'dir';
  credentials: string | null | 'dir';
  env: Record<string, string | undefined>;
}

const ENV_NAMES = ['HOME', 'USERPROFILE', 'HOMEPATH', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE'];

/** The region the live path would use: AWS_REGION, AWS_DEFAULT_REGION, else the SDK's answer; nothing when empty or failing. */
async function sdkRegion(): Promise<string | undefined> {
  const given = process.env.AWS_REGION ? undefined : process.env.AWS_DEFAULT_REGION || undefined;
  const found = given ?? (await loadConfig(NODE_REGION_CONFIG_OPTIONS, NODE_REGION_CONFIG_FILE_OPTIONS)().catch(() => undefined));
  return found || undefined;
}

/** Writes the case's files under a directory of its own (the SDK caches file texts by path), sets the environment. */
async function setUp(name: string, { config, credentials, env }: Case): Promise<NodeJS.ProcessEnv> {
  const dir = path.join(root(), name);
  const home = path.join(dir, 'home');
  await mkdir(path.join(home, '.aws'), { recursive: true });
  const resolved: Record<string, string | undefined> = { HOME: home, USERPROFILE: undefined, HOMEPATH: undefined, ...env };
  const place = async (text: string | null | 'dir', named: string | undefined, fallback: string) => {
    if (text === null) return;
    const file = named === undefined ? path.join(home, '.aws', fallback) : named.startsWith('~/') ? path.join(home, named.slice(2)) : path.join(dir, named);
    if (text === 'dir') await mkdir(file, { recursive: true });
    else await writeFile(file, text);
  };
  // Named files are given relative to the case's directory here; the environment gets them absolute (or ~/).
  for (const key of ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE']) {
    const named = env[key];
    if (named && !named.startsWith('~/')) resolved[key] = path.join(dir, named);
  }
  await place(config, env.AWS_CONFIG_FILE, 'config');
  await place(credentials, env.AWS_SHARED_CREDENTIALS_FILE, 'credentials');
  resolved.AWS_EC2_METADATA_DISABLED = 'true';
  for (const key of ENV_NAMES) vi.stubEnv(key, resolved[key]);
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  return { ...process.env };
}

/** A small deterministic generator (mulberry32), so a failing case can be found again by its number. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PROFILES = ['default', 'dev', 'ci'];
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'];
const KEYS = ['aws_access_key_id = AKIAIOSFODNN7EXAMPLE', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'];

function generate(next: () => number): Case {
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const body = () => {
    const region = pick(REGIONS);
    const lines = [
      `region = ${region}`, `region=${region}`, `  region = ${region}`, `region = ${region} ; comment`, `region = ${region}#x`,
      `# region = ${region}`, `Region = ${region}`, 'region =', 'output = json', 's3 =', '  max_concurrent_requests = 20',
      `  region = ${region}`, '', ...KEYS,
    ];
    return Array.from({ length: Math.floor(next() * 5) }, () => pick(lines));
  };
  const file = (headers: (profile: string) => string[]) => {
    const roll = next();
    if (roll < 0.15) return null;
    if (roll < 0.18) return 'dir' as const;
    const sections = Array.from({ length: Math.floor(next() * 5) }, () => [pick(headers(pick(PROFILES))), ...body()]);
    if (next() < 0.02) sections.push(['[__proto__]']);
    return sections.flat().join(next() < 0.2 ? '\r\n' : '\n') + '\n';
  };
  const config = file((profile) => [
    `[profile ${profile}]`, `[profile "${profile}"]`, `[profile '${profile}']`, `[${profile}]`, `[profile.${profile}]`,
    `[ profile ${profile} ]`, `[profile  ${profile}]`, `[sso-session ${profile}]`, `[services ${profile}]`, '[default]', '[default] # main',
  ]);
  const credentials = file((profile) => [`[${profile}]`, `[${profile}]`, `[profile ${profile}]`, `[ ${profile} ]`, `[${profile}] ; keys`]);
  const sometimes = <T,>(chance: number, value: () => T): T | undefined => (next() < chance ? value() : undefined);
  return {
    config,
    credentials,
    env: {
      AWS_PROFILE: sometimes(0.6, () => pick(['', ...PROFILES, 'missing'])),
      AWS_REGION: sometimes(0.15, () => pick(['', 'ap-south-1'])),
      AWS_DEFAULT_REGION: sometimes(0.15, () => pick(['', 'eu-north-1'])),
      AWS_CONFIG_FILE: sometimes(0.3, () => pick(['other-config', '~/cfg'])),
      AWS_SHARED_CREDENTIALS_FILE: sometimes(0.3, () => pick(['other-credentials', '~/creds'])),
    },
  };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('configuredAwsRegion against the SDK', () => {
  it('the reviewer\'s cases: the credentials file wins; alone it is enough; [profile default] beats [default]', async () => {
    const cases: [string, Case, string | undefined][] = [
      ['both', { config: '[default]\nregion=eu-west-1\n', credentials: '[default]\nregion=us-west-2\n', env: {} }, 'us-west-2'],
      ['credentials-only', { config: null, credentials: `[default]\n${KEYS.join('\n')}\nregion=us-west-2\n`, env: {} }, 'us-west-2'],
      ['profile-default-first', { config: '[profile default]\nregion=eu-south-1\n[default]\nregion=eu-west-1\n', credentials: null, env: {} }, 'eu-south-1'],
    ];
    for (const [name, situation, region] of cases) {
      const env = await setUp(name, situation);
      expect(await sdkRegion()).toBe(region);
      expect((await configuredAwsRegion(env))?.region).toBe(region);
    }
  });

  it('gives the SDK\'s region over 1000 generated files and environments', async () => {
    const next = random(20261204);
    const sources = { credentials: 0, config: 0, environment: 0, none: 0, bothDiffer: 0 };
    for (let index = 0; index < 1000; index++) {
      const situation = generate(next);
      const env = await setUp(`case-${index}`, situation);
      const expected = await sdkRegion();
      const ours = await configuredAwsRegion(env);
      expect({ index, region: ours?.region }).toEqual({ index, region: expected });
      if (ours === undefined) sources.none++;
      else if (ours.from.endsWith(` in ${regionSources(env).credentialsFile}`)) sources.credentials++;
      else if (ours.from.startsWith('profile ')) sources.config++;
      else sources.environment++;
      if (ours?.from.startsWith('profile ') && situation.config !== null && situation.credentials !== null) {
        // Where both files gave the profile a region and they differ, the credentials file's is the one.
        const configOnly = await configuredAwsRegion({ ...env, AWS_SHARED_CREDENTIALS_FILE: path.join(root(), 'nowhere') });
        if (configOnly !== undefined && configOnly.region !== ours.region) sources.bothDiffer++;
      }
    }
    // The generated cases reach every source, and the case the reviewer found, many times over.
    expect(sources.credentials).toBeGreaterThan(20);
    expect(sources.config).toBeGreaterThan(20);
    expect(sources.environment).toBeGreaterThan(20);
    expect(sources.none).toBeGreaterThan(20);
    expect(sources.bothDiffer).toBeGreaterThan(5);
  });
});
