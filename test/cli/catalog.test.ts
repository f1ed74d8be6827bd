/**
 * `imglint catalog pull | path | clear`, run in-process through `main()`. `pull` talks to a local EC2-compatible
 * endpoint (AWS_ENDPOINT_URL) with the real SDK: a copy of test/e2e/ec2-endpoint.ts extended with the unfiltered,
 * paginated DescribeInstanceTypes and DescribeInstanceTypeOfferings that a pull sends.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { readSnapshot } from '../../src/catalog/snapshot.js';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import { readDataJson } from '../support/data.js';
import { describeInstanceTypeOfferingsXml, describeInstanceTypesXml, errorXml } from '../fixtures/aws/ec2-xml.js';

type Json = Record<string, unknown>;

/** moto's instance types (1,373) and us-east-1 offerings. */
const instanceTypes: Json[] = Object.values(readDataJson<Record<string, Json>>('aws/instance_types.json'));
const offered: string[] = readDataJson<{ InstanceType: string }[]>('aws/instance_type_offerings/region/us-east-1.json').map((o) => o.InstanceType);

interface ListingEndpoint {
  url: string;
  /** Every request's form parameters, in order. */
  requests: URLSearchParams[];
  close(): Promise<void>;
}

/** Pages of `items`: `MaxResults` per page (the API's default when absent), `NextToken` = the next offset. */
function page<T>(items: readonly T[], params: URLSearchParams, defaultSize: number): { items: T[]; nextToken: string | undefined } {
  const size = Number(params.get('MaxResults') ?? defaultSize);
  const start = Number(params.get('NextToken') ?? 0);
  const end = start + size;
  return { items: items.slice(start, end), nextToken: end < items.length ? String(end) : undefined };
}

async function startListingEndpoint(): Promise<ListingEndpoint> {
  const requests: URLSearchParams[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const params = new URLSearchParams(body);
      requests.push(params);
      const requestId = `req-${requests.length}`;
      const reply = (status: number, xml: string) => {
        response.writeHead(status, { 'content-type': 'text/xml;charset=UTF-8' });
        response.end(xml);
      };
      const action = params.get('Action');
      if (action === 'DescribeInstanceTypes' && !params.has('InstanceType.1')) {
        const { items, nextToken } = page(instanceTypes, params, 100);
        return reply(200, describeInstanceTypesXml(items, requestId, nextToken));
      }
      if (action === 'DescribeInstanceTypeOfferings' && !params.has('Filter.1.Name')) {
        const all = offered.map((name) => ({ InstanceType: name, LocationType: 'region', Location: 'us-east-1' }));
        const { items, nextToken } = page(all, params, 1000);
        return reply(200, describeInstanceTypeOfferingsXml(items, requestId, nextToken));
      }
      return reply(400, errorXml('InvalidAction', `The action ${action} is not valid for this web service.`, requestId));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

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

let endpoint: ListingEndpoint;
let dir: string;

beforeAll(async () => {
  endpoint = await startListingEndpoint();
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
    expect(run.stderr).toBe(
      `imglint: ${instanceTypes.length} instance types, ${new Set(offered).size} offered in us-east-1 from EC2 API (us-east-1), written to ${out}\n`,
    );
    expect(run.status).toBe(0);

    const snapshot = await readSnapshot(out);
    expect(snapshot).toMatchObject({ imglintSnapshot: 1, provider: 'aws', region: 'us-east-1', source: 'EC2 API (us-east-1)' });
    expect(snapshot.machineTypes).toHaveLength(instanceTypes.length);
    expect(snapshot.offered).toEqual([...new Set(offered)].sort());

    const typePages = endpoint.requests.filter((r) => r.get('Action') === 'DescribeInstanceTypes');
    const offeringPages = endpoint.requests.filter((r) => r.get('Action') === 'DescribeInstanceTypeOfferings');
    expect(typePages).toHaveLength(Math.ceil(instanceTypes.length / 100));
    expect(offeringPages).toHaveLength(Math.ceil(offered.length / 1000));
    expect(typePages.every((r) => r.get('MaxResults') === '100' && !r.has('InstanceType.1'))).toBe(true);
    expect(offeringPages.every((r) => r.get('MaxResults') === '1000' && r.get('LocationType') === 'region' && !r.has('Filter.1.Name'))).toBe(true);
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
