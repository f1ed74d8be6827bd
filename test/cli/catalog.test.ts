/**
 * `imglint catalog pull | path | clear`, run in-process through `main()`. `pull` talks to the local EC2-compatible
 * endpoint of test/e2e/ec2-endpoint.ts (AWS_ENDPOINT_URL) with the real SDK: the unfiltered, paginated
 * DescribeInstanceTypes and DescribeInstanceTypeOfferings (region, zone names, zone IDs) that a pull sends.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { readSnapshot } from '../../src/catalog/snapshot.js';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import { startEc2Endpoint, type Ec2Endpoint } from '../e2e/ec2-endpoint.js';
import { readDataJson } from '../support/data.js';

type Json = Record<string, unknown>;

/** moto's instance types (1,373) and us-east-1 offerings, by region, zone name and zone ID. */
const instanceTypes: Json[] = Object.values(readDataJson<Record<string, Json>>('aws/instance_types.json'));
const offerings = (kind: string) => readDataJson<{ InstanceType: string; Location: string }[]>(`aws/instance_type_offerings/${kind}/us-east-1.json`);
const offered: string[] = offerings('region').map((o) => o.InstanceType);

/** Runs `imglint <argv>` in this process and collects its output. */
async function imglint(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    color: false,
    exitCode: 0,
  };
  const status = await main(argv, io);
  return { status, stdout, stderr };
}

let endpoint: Ec2Endpoint;
let dir: string;

beforeAll(async () => {
  endpoint = await startEc2Endpoint([]);
});
afterAll(() => endpoint.close());

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'imglint-catalog-cli-'));
  endpoint.requests.length = 0;
  for (const name of Object.keys(process.env)) if (name.startsWith('AWS_') || name.startsWith('OS_')) vi.stubEnv(name, undefined);
  vi.stubEnv('AWS_ENDPOINT_URL', endpoint.url);
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
  vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/imglint-test-config');
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/imglint-test-credentials');
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  vi.stubEnv('AWS_MAX_ATTEMPTS', '1');
  vi.stubEnv('AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', 'true');
  vi.stubEnv('IMGLINT_CACHE_DIR', path.join(dir, 'cache'));
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await rm(dir, { recursive: true, force: true });
});

describe('imglint catalog pull', () => {
  it('writes a snapshot of every type and offering, paging through both listings, and says so on stderr', async () => {
    const out = path.join(dir, 'aws-us-east-1.json');
    const run = await imglint('catalog', 'pull', '--provider', 'aws', '--region', 'us-east-1', '--out', out);

    expect(run.stdout).toBe('');
    const zoneOfferings = [...offerings('availability-zone'), ...offerings('availability-zone-id')];
    const zones = [...new Set(zoneOfferings.map((o) => o.Location))].sort();
    expect(run.stderr).toBe(
      `imglint: ${instanceTypes.length} instance types, ${new Set(offered).size} offered (in ${zones.length} zone names and IDs) in us-east-1 from EC2 API (us-east-1), written to ${out}\n`,
    );
    expect(run.status).toBe(0);

    const snapshot = await readSnapshot(out);
    expect(snapshot).toMatchObject({ imglintSnapshot: 1, provider: 'aws', region: 'us-east-1', source: 'EC2 API (us-east-1)' });
    expect(snapshot.machineTypes).toHaveLength(instanceTypes.length);
    expect(snapshot.offered).toEqual([...new Set(offered)].sort());
    expect(Object.keys(snapshot.zones!)).toEqual(zones);
    for (const zone of zones) {
      expect(snapshot.zones![zone], zone).toEqual(zoneOfferings.filter((o) => o.Location === zone).map((o) => o.InstanceType).sort());
    }

    const typePages = endpoint.requests.filter((r) => r.get('Action') === 'DescribeInstanceTypes');
    const offeringPages = endpoint.requests.filter((r) => r.get('Action') === 'DescribeInstanceTypeOfferings');
    expect(typePages).toHaveLength(Math.ceil(instanceTypes.length / 100));
    const pages = (kind: string) => offeringPages.filter((r) => r.get('LocationType') === kind);
    expect(pages('region')).toHaveLength(Math.ceil(offered.length / 1000));
    expect(pages('availability-zone')).toHaveLength(Math.ceil(offerings('availability-zone').length / 1000));
    expect(pages('availability-zone-id')).toHaveLength(Math.ceil(offerings('availability-zone-id').length / 1000));
    expect(offeringPages).toHaveLength(pages('region').length + pages('availability-zone').length + pages('availability-zone-id').length);
    expect(typePages.every((r) => r.get('MaxResults') === '100' && !r.has('InstanceType.1'))).toBe(true);
    expect(offeringPages.every((r) => r.get('MaxResults') === '1000' && !r.has('Filter.1.Name'))).toBe(true);
    // As its --help says: the snapshot is the only file a pull writes; the cache stays as it was.
    expect(existsSync(path.join(dir, 'cache'))).toBe(false);
  });

  it('exits 3 when the provider cannot be reached, and writes nothing', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL', 'http://127.0.0.1:9');
    const out = path.join(dir, 'never.json');
    const run = await imglint('catalog', 'pull', '--region', 'us-east-1', '--out', out);
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/^imglint: Cannot reach EC2 for DescribeInstanceType(s|Offerings): .*ECONNREFUSED/);
    expect(existsSync(out)).toBe(false);
  });

  it('exits 2 without --out, with an unknown provider, or when the file cannot be written', async () => {
    expect((await imglint('catalog', 'pull', '--region', 'us-east-1')).status).toBe(2);
    expect((await imglint('catalog', 'pull', '--provider', 'gcp', '--out', 'x.json')).status).toBe(2);
    await writeFile(path.join(dir, 'a-file'), '');
    const run = await imglint('catalog', 'pull', '--region', 'us-east-1', '--out', path.join(dir, 'a-file', 'snapshot.json'));
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`imglint: cannot write ${path.join(dir, 'a-file', 'snapshot.json')} (`);
  });
});

describe('imglint catalog path / clear', () => {
  it('path prints the cache directory (IMGLINT_CACHE_DIR)', async () => {
    expect(await imglint('catalog', 'path')).toEqual({ status: 0, stdout: `${path.join(dir, 'cache')}\n`, stderr: '' });
  });

  it('clear deletes the cached catalogs', async () => {
    const regionDir = path.join(dir, 'cache', 'aws', 'us-east-1');
    await mkdir(regionDir, { recursive: true });
    await writeFile(path.join(regionDir, 'instance-types.json'), '{}');
    await writeFile(path.join(regionDir, 'offerings.json'), '{}');
    const run = await imglint('catalog', 'clear');
    expect(run).toEqual({ status: 0, stdout: '', stderr: `imglint: removed 2 cached catalog files from ${path.join(dir, 'cache')}\n` });
    expect(await readdir(path.join(dir, 'cache'))).toEqual([]);
  });

  it('`imglint catalog` alone is a usage error that lists the subcommands', async () => {
    const run = await imglint('catalog');
    expect(run.status).toBe(2);
    expect(run.stdout + run.stderr).toMatch(/pull \[options\][\s\S]*path[\s\S]*clear/);
  });
});

describe('imglint catalog --help (and each subcommand\'s)', () => {
  /** The `$ imglint ...` lines of a help text's Examples, with a leading `VAR=value` as environment. */
  const examples = (help: string) =>
    help
      .slice(help.indexOf('\nExamples:\n'))
      .split('\n')
      .filter((line) => line.startsWith('  $ '))
      .map((line) => line.slice(4).replace(/\s{2,}\(.*\)$/, '').trim());

  it('says what each subcommand does, where its data goes (the cache directory in use), with examples', async () => {
    const help = await imglint('catalog', '--help');
    expect(help.status).toBe(0);
    for (const command of ['pull', 'path', 'clear']) expect(help.stdout).toMatch(new RegExp(`^  ${command} {2,}\\S`, 'm'));
    expect(help.stdout).toContain(`path    prints the cache directory: ${path.join(dir, 'cache')}`);
    expect(help.stdout).toContain('--out file (never to the cache)');
    for (const sub of ['pull', 'path', 'clear']) {
      const subHelp = await imglint('catalog', sub, '--help');
      expect(subHelp.status, sub).toBe(0);
      expect(examples(subHelp.stdout).length, sub).toBeGreaterThan(0);
      expect(examples(subHelp.stdout).some((line) => line.includes(`imglint catalog ${sub}`)), sub).toBe(true);
    }
    expect((await imglint('catalog', 'clear', '--help')).stdout).toContain(`Cache directory here: ${path.join(dir, 'cache')}`);
  });

  it('names the cache files clear deletes and path lists: the ones a live check writes', async () => {
    const pathHelp = (await imglint('catalog', 'path', '--help')).stdout;
    const clearHelp = (await imglint('catalog', 'clear', '--help')).stdout;
    // A live check of one pair writes its answers where the help says, under <dir>/aws/<region>/.
    const pv = JSON.parse(await readFile('examples/aws/ami-0e972d2890378139a.json', 'utf8')) as { Images: Json[] };
    const knowsTheAmi = await startEc2Endpoint(pv.Images);
    vi.stubEnv('AWS_ENDPOINT_URL', knowsTheAmi.url);
    const check = await imglint('check', '--image', 'ami-0e972d2890378139a', '--type', 't2.micro', '--region', 'us-east-1', '--format', 'json');
    await knowsTheAmi.close();
    expect(check.status, check.stderr).toBe(1);
    // The region's directory carries the endpoint's hash (AWS_ENDPOINT_URL), so an emulator never fills the real one's.
    const [regionDir] = await readdir(path.join(dir, 'cache', 'aws'));
    expect(regionDir).toMatch(/^us-east-1@[0-9a-f]+$/);
    const written = (await readdir(path.join(dir, 'cache', 'aws', regionDir!))).filter((name) => name.endsWith('.json'));
    expect(written.length).toBeGreaterThan(0);
    for (const name of written) {
      expect(pathHelp, name).toContain(name);
      expect(clearHelp, name).toContain(name);
    }
    expect((await imglint('catalog', 'clear')).stderr).toContain(`removed ${written.length} cached catalog file`);
  });

  it('runs the examples of path and clear as printed', async () => {
    const lines = [...examples((await imglint('catalog', 'path', '--help')).stdout), ...examples((await imglint('catalog', 'clear', '--help')).stdout)];
    const local = lines.filter((line) => /^(\w+=\S+ )*imglint catalog (path|clear)$/.test(line));
    expect(local.length).toBeGreaterThanOrEqual(3);
    for (const line of local) {
      const words = line.split(' ');
      const assignments = words.filter((word) => /^\w+=/.test(word));
      for (const assignment of assignments) vi.stubEnv(assignment.split('=')[0]!, path.join(dir, assignment.split('=')[1]!));
      const run = await imglint(...words.slice(assignments.length + 1));
      expect(run.status, line).toBe(0);
      vi.stubEnv('IMGLINT_CACHE_DIR', path.join(dir, 'cache'));
    }
  });
});
