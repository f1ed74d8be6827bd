import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMatrix, type TypeMatrixReport } from '../../src/report/matrix/index.js';
import { ImageMatrixDocument, MatrixDocument, TypeMatrixDocument } from '../../src/report/matrix/schema.js';
import { describeImagesXml, describeInstanceTypeOfferingsXml, describeInstanceTypesXml } from '../fixtures/aws/ec2-xml.js';
import { endpointEnv, startEc2Endpoint, type Ec2Endpoint } from '../e2e/ec2-endpoint.js';
import { readDataJson } from '../support/data.js';
import { hasStackTrace, repoRoot, runCli, runCliAsync } from './run-cli.js';

const PV_AMI = 'examples/aws/ami-0e972d2890378139a.json';
const AL2023_X86 = 'examples/aws/ami-0006118602dfc1c09.json';
const AL2023_ARM = 'examples/aws/ami-04fc404d256fd34a2.json';
const AMZN2 = 'examples/aws/ami-05448533fbe614dce.json';

/** RFC 4180 records: CRLF-terminated, fields optionally quoted with `""` for a quote inside. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"' && field === '') {
      i += 1;
      for (;;) {
        if (text[i] === '"' && text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (text[i] === '"') {
          i += 1;
          break;
        } else if (i >= text.length) {
          throw new Error('unterminated quoted field');
        } else {
          field += text[i++];
        }
      }
    } else if (text[i] === ',') {
      record.push(field);
      field = '';
      i += 1;
    } else if (text.startsWith('\r\n', i)) {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 2;
    } else if (text[i] === '\n' || text[i] === '\r' || text[i] === '"') {
      throw new Error(`bare ${JSON.stringify(text[i])} at ${i}`);
    } else {
      field += text[i++];
    }
  }
  if (field !== '' || record.length > 0) throw new Error('last record not terminated by CRLF');
  return records;
}

describe('imglint matrix --image (offline, embedded catalog)', () => {
  it('text: the summary sentence, a family x size table and the blocking rules, exit 0', () => {
    const run = runCli(['matrix', '--offline', '--region', 'us-east-1', '--image-file', PV_AMI]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(
      'paravirtual x86_64 AMI ami-0e972d2890378139a (amzn-ami-pv-2018.03.0.20231218.0-x86_64-ebs) in us-east-1: ' +
        '19 types can run it, in c1, c3, m1, m2, m3, t1; 1,354 cannot: virtualization-type 1,354, ena-support 1,299, ' +
        'architecture 405, instance-type-offering 19',
    );
    expect(run.stdout).toMatch(/^family +micro +small +medium +large +xlarge +2xl +4xl +8xl$/m);
    expect(lines.filter((line) => /^(c1|c3|m1|m2|m3|t1) /.test(line))).toHaveLength(6);
    expect(run.stdout).toMatch(/^t1 +●$/m);
    expect(run.stdout).toMatch(/^ {2}virtualization-type +1,354 {2}The image is paravirtual/m);
    expect(run.stdout).toContain('data as of 2026-08-02');
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('json: a document that matches the schema, with schemaVersion 1', () => {
    const run = runCli(['matrix', '--offline', '--region', 'us-east-1', '--image-file', PV_AMI, '--format', 'json']);
    expect(run.status).toBe(0);
    const document = ImageMatrixDocument.parse(JSON.parse(run.stdout));
    expect(document.schemaVersion).toBe(1);
    expect(document.kind).toBe('image-matrix');
    expect(document.catalog).toMatchObject({ kind: 'embedded', dataAsOf: '2026-08-02', offeringsKnown: true });
    expect(document.summary).toMatchObject({ types: 1373, compatible: 19, incompatible: 1354, families: ['c1', 'c3', 'm1', 'm2', 'm3', 't1'] });
    expect(document.compatible.flatMap((family) => family.types.map((type) => type.type))).toContain('t1.micro');
    expect(document.incompatible.find((type) => type.type === 'm6g.large')?.blockedBy).toEqual(['virtualization-type', 'architecture', 'ena-support']);
  });

  it('csv: RFC 4180, one row per type with its blocking rules', () => {
    const run = runCli(['matrix', '--offline', '--region', 'us-east-1', '--image-file', PV_AMI, '--format', 'csv']);
    expect(run.status).toBe(0);
    const [header, ...rows] = parseCsv(run.stdout);
    expect(header).toEqual(['type', 'family', 'vcpus', 'memory_gib', 'compatible', 'blocking_rules']);
    expect(rows).toHaveLength(1373);
    expect(rows.filter((row) => row[4] === 'true')).toHaveLength(19);
    expect(rows.find((row) => row[0] === 't1.micro')).toEqual(['t1.micro', 't1', '1', '0.612', 'true', '']);
    expect(rows.find((row) => row[0] === 't2.micro')).toEqual(['t2.micro', 't2', '1', '1', 'false', 'virtualization-type']);
  });

  it('markdown: a summary line and tables for a pull-request comment', () => {
    const run = runCli(['matrix', '--offline', '--region', 'us-east-1', '--image-file', PV_AMI, '--format', 'markdown']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^\*\*paravirtual x86\\_64 AMI ami-0e972d2890378139a .*19 types can run it/);
    expect(run.stdout).toContain('| family | sizes that can run it | sizes that cannot |\n|---|---|---|\n');
    expect(run.stdout).toContain('| `c3` | large, xlarge, 2xlarge, 4xlarge, 8xlarge |  |');
    expect(run.stdout).toMatch(/^\| \[`virtualization-type`\]\(https:\/\/\S+\/docs\/rules\/virtualization-type\.md\) \| 1,354 \|$/m);
  });

  it('filters narrow the set; none compatible exits 1', () => {
    const arm = runCli(['matrix', '--offline', '--region', 'us-east-1', '--image-file', AL2023_ARM, '--current-generation', '--min-vcpus', '4', '--min-memory', '16', '--family', 'm7g', '--format', 'csv']);
    expect(arm.status).toBe(0);
    const rows = parseCsv(arm.stdout).slice(1);
    expect(rows.map((row) => row[0])).toEqual(['m7g.xlarge', 'm7g.2xlarge', 'm7g.4xlarge', 'm7g.8xlarge', 'm7g.12xlarge', 'm7g.16xlarge', 'm7g.metal']);
    const pv = runCli(['matrix', '--offline', '--region', 'us-east-1', '--image-file', PV_AMI, '--current-generation']);
    expect(pv.status).toBe(1);
    expect(pv.stdout.split('\n')[0]).toMatch(/\(--current-generation\): no type can run it; 1,255 cannot: virtualization-type 1,255/);
    const empty = runCli(['matrix', '--offline', '--region', 'us-east-1', '--image-file', PV_AMI, '--family', 't1', '--current-generation']);
    expect(empty.status).toBe(1);
    expect(empty.stdout.split('\n')[0]).toMatch(/\(--family t1 --current-generation\): no type matches the filters$/);
  });

  it('uses the region offerings: eu-west-1 blocks types it does not offer', () => {
    const run = runCli(['matrix', '--offline', '--region', 'eu-west-1', '--image-file', AL2023_X86, '--format', 'json']);
    const document = ImageMatrixDocument.parse(JSON.parse(run.stdout));
    expect(document.region).toBe('eu-west-1');
    expect(document.summary.blockedBy).toContainEqual({ ruleId: 'instance-type-offering', count: 223 });
  });

  it('says when the catalog has no offerings for the region, in every format (csv: on stderr)', () => {
    const run = runCli(['matrix', '--offline', '--region', 'ap-southeast-7', '--image-file', PV_AMI]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('offerings: unknown for ap-southeast-7');
    expect(run.stderr).toBe('');
    for (const format of ['json', 'markdown']) {
      expect(runCli(['matrix', '--offline', '--region', 'ap-southeast-7', '--image-file', PV_AMI, '--format', format]).stdout).toContain('no offerings for ap-southeast-7: availability not judged');
    }
    const csv = runCli(['matrix', '--offline', '--region', 'ap-southeast-7', '--image-file', PV_AMI, '--format', 'csv']);
    expect(csv.stdout).not.toContain('judged');
    expect(csv.stderr).toMatch(/^imglint: note: ap-southeast-7 is an aws region the embedded offerings do not cover .*: whether instance types are offered there was not judged/);
  });

  it('has examples in --help', () => {
    const run = runCli(['matrix', '--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('$ imglint matrix --offline --region us-east-1 --image-file examples/aws/ami-0e972d2890378139a.json');
    expect(run.stdout).toContain('--owner self');
    expect(run.stdout).toMatch(/Exit codes: 0 at least one type/);
  });
});

describe('imglint matrix --provider rackspace (offline, embedded flavor catalog)', () => {
  it('groups flavors by class and names the rules that block the others', () => {
    const run = runCli(['matrix', '--provider', 'rackspace', '--offline', '--region', 'IAD', '--image-file', 'examples/rackspace/ubuntu-14.04-pv.json', '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const document = ImageMatrixDocument.parse(JSON.parse(run.stdout));
    expect(document.provider).toBe('rackspace');
    expect(document.summary.families).toContain('general1');
    expect(document.summary.families).not.toContain('compute1');
    const general = document.compatible.find((family) => family.family === 'general1')!;
    expect(general.types.map((type) => type.type)).toContain('general1-1');
    expect(document.summary.blockedBy.map((count) => count.ruleId)).toContain('flavor-class');
    expect(runCli(['matrix', '--provider', 'rackspace', '--offline', '--region', 'IAD', '--image-file', 'examples/rackspace/ubuntu-14.04-pv.json', '--current-generation']).status).toBe(2);
  });
});

describe('imglint matrix --type (reverse)', () => {
  it('judges several --image-file images against one type offline', () => {
    const run = runCli(['matrix', '--offline', '--region', 'us-east-1', '--type', 't2.micro', '--image-file', PV_AMI, '--image-file', AL2023_X86, '--image-file', AL2023_ARM, '--image-file', AMZN2]);
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe(
      't2.micro (1 vCPU, 1 GiB) in us-east-1: 2 of 4 images can run on it; 2 cannot: virtualization-type 1, architecture 1',
    );
    expect(run.stdout).toMatch(/^ {2}● ami-0006118602dfc1c09 {2}al2023-ami-2023\.12\.20260727\.0-kernel-6\.1-x86_64$/m);
    expect(run.stdout).toMatch(/^ {2}· ami-0e972d2890378139a {2}virtualization-type {2}amzn-ami-pv-/m);
  });

  it('json matches the schema; csv has one row per image; none compatible exits 1', () => {
    const args = ['matrix', '--offline', '--region', 'us-east-1', '--type', 'm6g.large', '--image-file', PV_AMI, '--image-file', AL2023_X86];
    const json = runCli([...args, '--format', 'json']);
    expect(json.status).toBe(1);
    const document = TypeMatrixDocument.parse(JSON.parse(json.stdout));
    expect(MatrixDocument.parse(document).kind).toBe('type-matrix');
    expect(document.summary).toEqual({
      images: 2,
      compatible: 0,
      incompatible: 2,
      blockedBy: [
        { ruleId: 'architecture', count: 2 },
        { ruleId: 'virtualization-type', count: 1 },
        { ruleId: 'ena-support', count: 1 },
      ],
    });
    const csv = parseCsv(runCli([...args, '--format', 'csv']).stdout);
    expect(csv).toEqual([
      ['image', 'name', 'type', 'compatible', 'blocking_rules'],
      ['ami-0006118602dfc1c09', 'al2023-ami-2023.12.20260727.0-kernel-6.1-x86_64', 'm6g.large', 'false', 'architecture'],
      ['ami-0e972d2890378139a', 'amzn-ami-pv-2018.03.0.20231218.0-x86_64-ebs', 'm6g.large', 'false', 'virtualization-type;architecture;ena-support'],
    ]);
    const markdown = runCli([...args, '--format', 'markdown']);
    expect(markdown.stdout).toContain('| image | name | can run it | blocking rules |\n|---|---|---|---|\n');
  });
});

describe('imglint matrix: usage and input errors exit 2 with a clear message and no stack trace', () => {
  const cases: [string, string[], RegExp][] = [
    ['no image', ['matrix', '--offline'], /no image given/],
    ['two images', ['matrix', '--offline', '--region', 'us-east-1', '--image-file', PV_AMI, '--image-file', AL2023_X86], /one image against every type; 2 images/],
    ['unknown family', ['matrix', '--offline', '--region', 'us-east-1', '--image-file', PV_AMI, '--family', 'm5x'], /unknown family m5x: not in the catalog\nhint: Did you mean m5, m5a or m5d\?/],
    ['bad --min-vcpus', ['matrix', '--offline', '--region', 'us-east-1', '--image-file', PV_AMI, '--min-vcpus', '0'], /--min-vcpus/],
    ['bad --min-memory', ['matrix', '--offline', '--region', 'us-east-1', '--image-file', PV_AMI, '--min-memory', 'lots'], /--min-memory/],
    ['bad --format', ['matrix', '--offline', '--region', 'us-east-1', '--image-file', PV_AMI, '--format', 'xml'], /--format/],
    ['--owner without --type', ['matrix', '--offline', '--region', 'us-east-1', '--owner', 'self'], /--owner lists images[\s\S]*--type/],
    ['--owner offline', ['matrix', '--offline', '--region', 'us-east-1', '--type', 't2.micro', '--owner', 'self'], /--offline cannot list images/],
    ['no images for --type', ['matrix', '--offline', '--region', 'us-east-1', '--type', 't2.micro'], /no images to judge against t2\.micro/],
    ['filters with --type', ['matrix', '--offline', '--region', 'us-east-1', '--type', 't2.micro', '--image-file', PV_AMI, '--min-vcpus', '2'], /filter the types an image is judged against/],
    ['unknown type', ['matrix', '--offline', '--region', 'us-east-1', '--type', 't2.mikro', '--image-file', PV_AMI], /t2\.mikro[\s\S]*t2\.micro/],
    ['AMI ID offline', ['matrix', '--offline', '--region', 'us-east-1', '--image', 'ami-0e972d2890378139a'], /--image-file/],
    ['missing file', ['matrix', '--offline', '--region', 'us-east-1', '--image-file', 'examples/aws/nope.json'], /examples\/aws\/nope\.json/],
  ];
  it.each(cases)('%s', (_name, args, message) => {
    const run = runCli(args);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(hasStackTrace(run.stderr)).toBe(false);
  });
});

describe('csv quoting (RFC 4180)', () => {
  it('quotes fields with commas, quotes or line breaks and doubles the quotes', () => {
    const image = (id: string, name: string) =>
      ({ provider: 'aws', id, name, state: 'available', virtualizationType: 'hvm', architecture: 'x86_64', enaSupport: true, tpmSupport: false, rootDeviceType: 'ebs' }) as const;
    const report: TypeMatrixReport = {
      kind: 'type',
      provider: 'aws',
      catalog: { kind: 'embedded', description: 'test' },
      offeringsKnown: true,
      imagesFrom: ['test'],
      matrix: {
        type: { ref: 't3.micro', family: 't3', size: 'micro', vcpus: 2, memoryGiB: 1, currentGeneration: true },
        region: 'us-east-1',
        images: [
          { image: image('ami-0000000000000000a', 'web, "blue"'), blockedBy: [], warnings: 0 },
          { image: image('ami-0000000000000000b', 'two\nlines'), blockedBy: ['architecture', 'ena-support'], warnings: 0 },
        ],
        compatible: 1,
        blockedBy: [],
      },
    };
    const csv = formatMatrix(report, 'csv', { color: false, width: 80 });
    expect(csv).toContain('ami-0000000000000000a,"web, ""blue""",t3.micro,true,\r\n');
    expect(parseCsv(csv)).toEqual([
      ['image', 'name', 'type', 'compatible', 'blocking_rules'],
      ['ami-0000000000000000a', 'web, "blue"', 't3.micro', 'true', ''],
      ['ami-0000000000000000b', 'two\nlines', 't3.micro', 'false', 'architecture;ena-support'],
    ]);
  });
});

describe('imglint matrix against a local EC2 endpoint (live path, AWS_ENDPOINT_URL)', () => {
  type Json = Record<string, unknown>;
  const fixture = (name: string) => JSON.parse(readFileSync(`${repoRoot}test/fixtures/aws/${name}`, 'utf8')) as Json;
  const images = fixture('describe-images.json').Images as Json[];
  const types = new Map((fixture('instance-types.json').InstanceTypes as Json[]).map((type) => [type.InstanceType as string, type]));
  const requests: URLSearchParams[] = [];
  let server: Server;
  let env: Record<string, string>;

  /** `Prefix.1`, `Prefix.2`, ... of a query-protocol form. */
  const list = (form: URLSearchParams, prefix: string) => {
    const values: string[] = [];
    for (let n = 1; form.has(`${prefix}.${n}`); n += 1) values.push(form.get(`${prefix}.${n}`)!);
    return values;
  };

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const form = new URLSearchParams(body);
        requests.push(form);
        const id = `req-${requests.length}`;
        let xml: string;
        switch (form.get('Action')) {
          case 'DescribeImages': {
            const ids = form.get('Filter.1.Name') === 'image-id' ? list(form, 'Filter.1.Value') : [];
            if (ids.length > 0) xml = describeImagesXml(images.filter((image) => ids.includes(image.ImageId as string)), id);
            // Owners: two pages, like EC2 with MaxResults.
            else xml = form.get('NextToken') === 'page-2' ? describeImagesXml(images.slice(2), id) : describeImagesXml(images.slice(0, 2), id, 'page-2');
            break;
          }
          case 'DescribeInstanceTypes':
            xml = describeInstanceTypesXml(list(form, 'Filter.1.Value').map((name) => types.get(name)!), id);
            break;
          default:
            xml = describeInstanceTypeOfferingsXml(list(form, 'Filter.1.Value').map((name) => ({ InstanceType: name, LocationType: 'region', Location: 'us-east-1' })), id);
        }
        response.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8' });
        response.end(xml);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    env = {
      AWS_ENDPOINT_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      AWS_REGION: 'us-east-1',
      AWS_MAX_ATTEMPTS: '1',
    };
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('--type --owner self: the type from EC2, then every page of DescribeImages Owners=self', async () => {
    requests.length = 0;
    const run = await runCliAsync(['matrix', '--type', 't2.micro', '--owner', 'self', '--format', 'json'], env);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const images = requests.filter((form) => form.get('Action') === 'DescribeImages');
    expect(images.map((form) => [form.get('Owner.1'), form.get('NextToken')])).toEqual([['self', null], ['self', 'page-2']]);
    const document = TypeMatrixDocument.parse(JSON.parse(run.stdout));
    expect(document.catalog).toMatchObject({ kind: 'live', description: 'EC2 API (us-east-1)', offeringsKnown: true });
    expect(document.compatible.map((entry) => entry.image)).toEqual(['ami-0586cdd73a0e60fa5']);
    expect(document.incompatible.map((entry) => [entry.image, entry.blockedBy])).toEqual([
      ['ami-0f47531f8c49bd1c6', ['architecture']],
      ['ami-0e972d2890378139a', ['virtualization-type']],
    ]);
    expect(document.imagesFrom).toEqual(['owner self: 3 images (EC2 API (us-east-1))']);
  });
});

describe('imglint matrix --image live: the region\'s own types, from a local EC2 endpoint', () => {
  const pv = (JSON.parse(readFileSync(`${repoRoot}${PV_AMI}`, 'utf8')) as { Images: Record<string, unknown>[] }).Images[0]!;
  // The endpoint's region: 150 of moto's us-east-1 offerings (two pages of DescribeInstanceTypes) and two types moto
  // lists but us-east-1 does not offer; the embedded catalog has 1,373 types.
  const usEast1 = readDataJson<{ InstanceType: string }[]>('aws/instance_type_offerings/region/us-east-1.json').map((o) => o.InstanceType).sort();
  const notOffered = Object.keys(readDataJson<Record<string, unknown>>('aws/instance_types.json')).filter((name) => !usEast1.includes(name)).slice(0, 2);
  const served = [...usEast1.filter((_, index) => index % 9 === 0).slice(0, 150), ...notOffered];
  let endpoint: Ec2Endpoint;
  let cacheDir: string;
  const env = () => ({ ...endpointEnv(endpoint), IMGLINT_CACHE_DIR: cacheDir });

  beforeAll(async () => {
    endpoint = await startEc2Endpoint([pv], { types: served });
    cacheDir = mkdtempSync(path.join(tmpdir(), 'imglint-matrix-cache-'));
  });
  afterAll(async () => {
    await endpoint.close();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('lists the endpoint\'s types and no others, in paged calls, then answers from the cache', async () => {
    const run = await runCliAsync(['matrix', '--image', 'ami-0e972d2890378139a', '--format', 'json'], env());
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(Object.fromEntries(endpoint.calls)).toEqual({ DescribeImages: 1, DescribeInstanceTypes: 2, DescribeInstanceTypeOfferings: 1 });
    const pages = endpoint.requests.filter((form) => form.get('Action') === 'DescribeInstanceTypes');
    expect(pages.map((form) => [form.get('MaxResults'), form.get('NextToken')])).toEqual([['100', null], ['100', '100']]);
    const offerings = endpoint.requests.find((form) => form.get('Action') === 'DescribeInstanceTypeOfferings')!;
    expect([offerings.get('LocationType'), offerings.has('Filter.1.Name')]).toEqual(['region', false]);

    const document = ImageMatrixDocument.parse(JSON.parse(run.stdout));
    const judged = [...document.compatible.flatMap((family) => family.types), ...document.incompatible].map((type) => type.type);
    expect(judged.sort()).toEqual([...served].sort());
    expect(document.catalog).toMatchObject({ kind: 'live', description: 'EC2 API (us-east-1)', offeringsKnown: true });
    for (const name of notOffered) {
      expect(document.incompatible.find((type) => type.type === name)!.blockedBy).toContain('instance-type-offering');
    }

    endpoint.calls.clear();
    const again = await runCliAsync(['matrix', '--image', 'ami-0e972d2890378139a', '--format', 'json'], env());
    expect(again.status).toBe(0);
    expect(Object.fromEntries(endpoint.calls)).toEqual({ DescribeImages: 1 });
    const cached = ImageMatrixDocument.parse(JSON.parse(again.stdout));
    expect(cached.summary).toEqual(document.summary);
    expect(cached.catalog).toMatchObject({ kind: 'cache', offeringsKnown: true });
  });

  it('a misspelt region exits 2 with a suggestion before any call', async () => {
    endpoint.calls.clear();
    const run = await runCliAsync(['matrix', '--image', 'ami-0e972d2890378139a', '--region', 'eu-wset-1'], env());
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^imglint: Unknown AWS region "eu-wset-1"/);
    expect(run.stderr).toContain('Did you mean eu-west-1');
    expect(endpoint.calls.size).toBe(0);
  });
});
