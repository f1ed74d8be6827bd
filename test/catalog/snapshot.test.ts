/**
 * Catalog snapshots: pull (from fakes built on the embedded catalogs, and from the real AWS provider over nock with
 * EC2's XML, two pages of each listing), the file, and the provider that answers from it.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAwsProvider } from '../../providers/aws/index.js';
import { readOpenStackImageFile } from '../../providers/openstack/image-file.js';
import { createOpenStackProvider } from '../../providers/openstack/index.js';
import type { OpenStackSession } from '../../providers/openstack/session.js';
import type { Provider } from '../../providers/provider.js';
import { createEmbeddedAwsProvider, loadAwsCatalog } from '../../src/catalog/aws-embedded.js';
import { loadAwsSelectionFacts } from '../../src/catalog/aws-selection.js';
import { createEmbeddedRackspaceProvider, loadRackspaceCatalog } from '../../src/catalog/rackspace-embedded.js';
import { createSnapshotProvider, parseSnapshot, pullCatalog, writeSnapshot, type CatalogSnapshot } from '../../src/catalog/snapshot.js';
import { checkTargets } from '../../src/engine/check-targets.js';
import { InputError, ProviderApiError, UsageError } from '../../src/errors.js';
import type { MachineTypeFacts, OpenStackImageFacts } from '../../src/model/index.js';
import { describeInstanceTypeOfferingsXml, describeInstanceTypesXml } from '../fixtures/aws/ec2-xml.js';
import nock from 'nock';
import { EC2_ENDPOINT, jsonFixture, replyToEc2, useEc2Nock } from '../providers/aws/ec2-nock.js';
import { exampleAl2023x86 } from '../rules/images.js';
import { clock } from '../support/clock.js';
import { rejection } from '../support/errors.js';
import { useTempDir } from '../support/temp-dir.js';

const requests = useEc2Nock();
const NOW = clock().now;

/** A live-looking AWS provider that lists the embedded catalog (as `catalog pull` would list EC2's). */
function listingAws(region = 'us-east-1'): Provider {
  const embedded = createEmbeddedAwsProvider({ region });
  return {
    ...embedded,
    catalogSource: { kind: 'live', description: `EC2 API (${region})` },
    listMachineTypes: async () => [...(await loadAwsCatalog()).types.values()].reverse(),
    listOfferings: async () => new Set((await loadAwsCatalog()).offeredIn(region)),
  };
}

/** The same for Rackspace: every IAD flavor, no offerings. */
function listingRackspace(): Provider {
  const embedded = createEmbeddedRackspaceProvider({ region: 'IAD' });
  return {
    ...embedded,
    catalogSource: { kind: 'live', description: 'Nova API (IAD)' },
    listMachineTypes: async () => [...(await loadRackspaceCatalog()).flavors.get('IAD')!],
  };
}

const dir = useTempDir('imglint-snapshot-');

describe('pull, write, load: the AWS round trip', () => {
  let file: string;
  let snapshot: CatalogSnapshot;
  beforeAll(async () => {
    file = path.join(dir(), 'aws-us-east-1.json');
    snapshot = await pullCatalog(listingAws(), { now: NOW });
    await writeSnapshot(file, snapshot);
  });

  it('pulls every type, sorted, and the offered list', async () => {
    const catalog = await loadAwsCatalog();
    expect(snapshot).toMatchObject({
      imglintSnapshot: 1,
      provider: 'aws',
      region: 'us-east-1',
      fetchedAt: '2026-11-29T08:00:00.000Z',
      source: 'EC2 API (us-east-1)',
    });
    expect(snapshot.machineTypes).toEqual([...catalog.types.values()]);
    expect(snapshot.offered).toEqual([...catalog.offeredIn('us-east-1')!].sort());
  });

  it('writes one machine type per line', async () => {
    const lines = (await readFile(file, 'utf8')).split('\n');
    expect(lines[0]).toBe('{');
    expect(lines[1]).toBe('  "imglintSnapshot": 1,');
    expect(lines.filter((line) => line.startsWith('    {"provider":"aws"'))).toHaveLength(snapshot.machineTypes.length);
    expect(JSON.parse(lines.join('\n'))).toEqual(snapshot);
  });

  it('the snapshot provider gives the same facts as the catalog it was pulled from', async () => {
    const types = ['t2.micro', 'c5.large', 'm6g.large', 'c3.large', 'p5e.48xlarge'];
    const provider = await createSnapshotProvider({ path: file });
    const original = await createEmbeddedAwsProvider({ region: 'us-east-1' }).describeMachineTypes(types);
    expect(await provider.describeMachineTypes(types)).toEqual(original);
    expect(await provider.offeredMachineTypes(types)).toEqual(await listingAws().offeredMachineTypes(types));
    expect(await provider.region()).toBe('us-east-1');
    const candidates = await provider.candidateTypes();
    expect([...candidates.types]).toHaveLength(1373);
    expect(candidates.offered).toEqual((await loadAwsCatalog()).offeredIn('us-east-1'));
    expect(provider.catalogSource).toEqual({
      kind: 'snapshot',
      description: file,
      dataAsOf: '2026-11-29',
      fetchedAt: '2026-11-29T08:00:00.000Z',
    });
    expect(candidates.source).toEqual(provider.catalogSource);
  });

  it('names unknown types as not in the snapshot of its date, with close names', async () => {
    const provider = await createSnapshotProvider({ path: file });
    const error = await rejection(provider.describeMachineTypes(['t3.micro', 'c5.larg', 'zz9.huge']));
    expect(error).toMatchObject({ kind: 'input', code: 'InstanceTypeNotFound' });
    expect(error.message).toBe(`Unknown instance types c5.larg, zz9.huge: not in the snapshot ${file} of 2026-11-29.`);
    expect(error.hint).toContain('c5.larg: did you mean c5.large');
    expect(error.hint).toContain('imglint catalog pull --provider aws --region us-east-1');
  });

  it('answers images only from --image-file', async () => {
    const image = exampleAl2023x86;
    const provider = await createSnapshotProvider({ path: file, images: [image] });
    expect((await provider.describeImages([image.id])).get(image.id)).toBe(image);
    const error = await rejection(provider.describeImages([image.id, 'ami-0123456789abcdef0']));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toContain('cannot look up ami-0123456789abcdef0');
  });

  it('refuses a snapshot of another provider or region than the one asked for', async () => {
    const region = await rejection(createSnapshotProvider({ path: file, region: 'eu-west-1' }));
    expect(region).toBeInstanceOf(UsageError);
    expect(region.message).toBe(`${file} is a catalog snapshot of region us-east-1, not eu-west-1`);
    expect(region.hint).toContain('--region eu-west-1 --out');
    const provider = await rejection(createSnapshotProvider({ path: file, provider: 'rackspace' }));
    expect(provider.message).toBe(`${file} is a catalog snapshot of provider aws, not rackspace`);
    await expect(createSnapshotProvider({ path: file, provider: 'aws', region: 'US-EAST-1' })).resolves.toBeDefined();
  });
});

describe('zone offerings of a snapshot', () => {
  /** A snapshot of `region` whose zones offer t3.micro: a zone by name and the same zone by ID. */
  async function zonesOf(region: string, name: string, id: string) {
    const file = path.join(dir(), `zones-${region}.json`);
    const snapshot = await pullCatalog(listingAws(region), { now: NOW });
    await writeSnapshot(file, { ...snapshot, zones: { [name]: ['t3.micro'], [id]: ['t3.micro'] } });
    const provider = await createSnapshotProvider({ path: file });
    return { file, zones: (await provider.zoneOfferings!(['t3.micro'], [name, id])).zones! };
  }

  it('judges zone names where AWS maps them alike in every account, and zone IDs everywhere', async () => {
    const { zones } = await zonesOf('eu-central-1', 'eu-central-1a', 'euc1-az2');
    expect([...zones.zones!].sort()).toEqual(['eu-central-1a', 'euc1-az2']);
    expect([...zones.offering('t3.micro')].sort()).toEqual(['eu-central-1a', 'euc1-az2']);
  });

  it("does not judge the pulling account's zone names where AWS maps them per account, and says why", async () => {
    const { file, zones } = await zonesOf('us-east-1', 'us-east-1a', 'use1-az1');
    expect([...zones.zones!]).toEqual(['use1-az1']);
    expect([...zones.offering('t3.micro')]).toEqual(['use1-az1']);
    expect(zones.notJudged!('us-east-1a')).toBe(
      `zone names in us-east-1 map to physical zones differently in each AWS account, and the snapshot ${file} holds the names of the account that pulled it, so only zone IDs are judged from it: pass the zone ID (aws ec2 describe-availability-zones --region us-east-1), or check live`,
    );
    expect(zones.notJudged!('use1-az9')).toBe(`the snapshot ${file} lists no offerings for use1-az9 (its zones: us-east-1a, use1-az1)`);
  });
});

describe('the Rackspace round trip', () => {
  it('keeps every flavor, finds them by id, name or either ignoring case, and has no offerings', async () => {
    const file = path.join(dir(), 'rackspace-iad.json');
    const snapshot = await pullCatalog(listingRackspace(), { now: NOW });
    expect(snapshot.offered).toBeUndefined();
    expect(snapshot.machineTypes).toHaveLength(38);
    await writeSnapshot(file, snapshot);

    const provider = await createSnapshotProvider({ path: file, provider: 'rackspace', region: 'iad' });
    const refs = ['general1-1', '1 GB General Purpose v1', 'COMPUTE1-4', 'onmetal-io1'];
    expect(await provider.describeMachineTypes(refs)).toEqual(await createEmbeddedRackspaceProvider({ region: 'IAD' }).describeMachineTypes(refs));
    expect(await provider.offeredMachineTypes(refs)).toBeUndefined();
    const error = await rejection(provider.describeMachineTypes(['general1-3']));
    expect(error).toMatchObject({ code: 'FlavorNotFound', message: `Unknown flavor general1-3: not in the snapshot ${file} of 2026-11-29.` });
  });

  it('matches file images by id or name, and refuses an ambiguous name', async () => {
    const file = path.join(dir(), 'rackspace-images.json');
    await writeSnapshot(file, await pullCatalog(listingRackspace(), { now: NOW }));
    const image = (id: string, name: string): OpenStackImageFacts =>
      ({ provider: 'rackspace', id, name, state: 'active' }) as OpenStackImageFacts;
    const a = image('0b1c2d3e-0000-4000-8000-000000000001', 'CentOS 7');
    const b = image('0b1c2d3e-0000-4000-8000-000000000002', 'Ubuntu');
    const c = image('0b1c2d3e-0000-4000-8000-000000000003', 'Ubuntu');
    const provider = await createSnapshotProvider({ path: file, images: [a, b, c] });
    expect([...(await provider.describeImages([a.id, 'CentOS 7'])).values()]).toEqual([a, a]);
    expect(await rejection(provider.describeImages(['Ubuntu']))).toMatchObject({ code: 'AmbiguousImageName' });
  });
});

describe('OpenStack listMachineTypes', () => {
  it('pulls every flavor of Nova /flavors/detail, the same facts the embedded catalog holds', async () => {
    const urls: string[] = [];
    const body = JSON.parse(await readFile(new URL('../fixtures/data/rackspace/compute/flavors_detail_iad_2015.json', import.meta.url), 'utf8')) as unknown;
    const session = {
      provider: 'rackspace',
      region: 'IAD',
      token: async () => ({ id: 'token', expiresAt: new Date('2100-01-01') }),
      computeUrl: async () => 'https://iad.servers.api.rackspacecloud.com/v2/123456',
      imageUrl: async () => undefined,
      getJson: async <T>(url: string, schema: { parse(value: unknown): T }) => (urls.push(url), schema.parse(body)),
    } as unknown as OpenStackSession;
    const snapshot = await pullCatalog(createOpenStackProvider({ provider: 'rackspace', region: 'IAD', session }), { now: NOW });

    expect(urls).toEqual(['https://iad.servers.api.rackspacecloud.com/v2/123456/flavors/detail']);
    expect(snapshot).toMatchObject({ provider: 'rackspace', region: 'IAD', source: 'Nova API (IAD)' });
    expect(snapshot.offered).toBeUndefined();
    expect(snapshot.machineTypes).toEqual((await pullCatalog(listingRackspace(), { now: NOW })).machineTypes);
  });
});

describe('generic OpenStack snapshots keep the extra specs', () => {
  it("pulls Nova's flavors with their extra_specs (compute 2.61), writes them, and a check against the file judges them", async () => {
    const body = JSON.parse(await readFile(new URL('../fixtures/openstack/nova_v2.61_flavors_detail_response.json', import.meta.url), 'utf8')) as unknown;
    const asked: (Record<string, string> | undefined)[] = [];
    const session = {
      provider: 'openstack',
      region: 'RegionOne',
      computeUrl: async () => 'https://nova.example.com/v2.1',
      imageUrl: async () => undefined,
      getJson: async <T>(_url: string, schema: { parse(value: unknown): T }, options?: { headers?: Record<string, string> }) => (asked.push(options?.headers), schema.parse(body)),
    } as unknown as OpenStackSession;
    const file = path.join(dir(), 'regionone.json');
    await writeSnapshot(file, await pullCatalog(createOpenStackProvider({ provider: 'openstack', region: 'RegionOne', session }), { now: NOW }));
    expect(asked).toEqual([{ 'openstack-api-version': 'compute 2.61', 'x-openstack-nova-api-version': '2.61' }]);

    const text = await readFile(file, 'utf8');
    expect(text).toContain('"extraSpecs":{"hw:mem_page_size":"2048","hw:cpu_policy":"dedicated"}');
    const provider = await createSnapshotProvider({ path: file, provider: 'openstack', region: 'RegionOne' });
    expect((await provider.describeMachineTypes(['m1.tiny.specs'])).get('m1.tiny.specs')).toMatchObject({
      provider: 'openstack',
      id: '6',
      extraSpecs: { 'hw:mem_page_size': '2048', 'hw:cpu_policy': 'dedicated' },
    });

    const image = (await readOpenStackImageFile(fileURLToPath(new URL('../fixtures/openstack/openstack_image_show_osc6.json', import.meta.url)), 'openstack'))[0]!;
    const report = await checkTargets([{ provider: 'openstack', region: 'RegionOne', image: image.id, type: 'm1.tiny.specs' }], {
      knownImages: [image],
      providerFor: (group) => createSnapshotProvider({ path: file, images: group.fileImages, provider: group.provider, region: group.region }),
    });
    expect(report.results[0]!.findings.map((finding) => [finding.ruleId, finding.providerError?.message])).toEqual([
      ['mem-page-size', "Page size large forbidden against '2048'"],
    ]);
  });
});

describe('invalid snapshot files', () => {
  const valid = async () => JSON.parse(JSON.stringify(await pullCatalog(listingRackspace(), { now: NOW }))) as Record<string, any>;

  it.each<[string, (s: Record<string, any>) => void, string]>([
    ['a missing format marker', (s) => delete s.imglintSnapshot, 'imglintSnapshot: missing (expected one of 1)'],
    ['an unknown format', (s) => (s.imglintSnapshot = 'v1'), 'imglintSnapshot: expected one of 1 (got "v1")'],
    ['an unknown provider', (s) => (s.provider = 'gcp'), 'provider: expected one of aws|rackspace|openstack (got "gcp")'],
    ['a bad fetchedAt', (s) => (s.fetchedAt = 'last tuesday'), 'fetchedAt: '],
    ['a bad machine type field', (s) => (s.machineTypes[2].memoryMiB = '1 GB'), 'machineTypes[2].memoryMiB: expected number (got "1 GB")'],
    ['no machine types', (s) => (s.machineTypes = []), 'machineTypes: expected at least 1 item(s)'],
    ['machine types of another provider', (s) => (s.machineTypes[5].provider = 'openstack'), 'machineTypes[5].provider: expected rackspace, the snapshot\'s provider (got "openstack")'],
    ['offerings on OpenStack', (s) => (s.offered = ['general1-1']), 'offered: only AWS snapshots list offerings'],
  ])('%s: InputError naming the file and the field', async (_name, spoil, detail) => {
    const snapshot = await valid();
    spoil(snapshot);
    const file = path.join(dir(), 'spoilt.json');
    await writeFile(file, JSON.stringify(snapshot));
    const error = await rejection(createSnapshotProvider({ path: file }));
    expect(error).toBeInstanceOf(InputError);
    expect(error.code).toBe('InvalidCatalogFile');
    expect(error.message).toContain(`${file}: not an imglint catalog snapshot: ${detail}`);
    expect(error.hint).toContain('imglint catalog pull');
  });

  it('a newer format: InvalidCatalogFile saying so', () => {
    expect(() => parseSnapshot(JSON.stringify({ imglintSnapshot: 2 }), 'snap.json')).toThrow(
      'snap.json: catalog snapshot format 2 is newer than this imglint reads (1)',
    );
  });

  it('not JSON: MalformedCatalogFile with line and column', () => {
    expect(() => parseSnapshot('{\n  "imglintSnapshot": 1,\n  oops\n}', 'snap.json')).toThrow(/^snap\.json: not valid JSON: .* at line 3, column 3$/);
  });

  it('a missing file: UnreadableCatalogFile', async () => {
    const error = await rejection(createSnapshotProvider({ path: path.join(dir(), 'nope.json') }));
    expect(error).toMatchObject({ kind: 'input', code: 'UnreadableCatalogFile' });
    expect(error.message).toContain('nope.json: cannot read the catalog snapshot (ENOENT)');
  });
});

describe('pullCatalog refuses what it cannot snapshot', () => {
  it('a provider that cannot list its types: UsageError', async () => {
    const error = await rejection(pullCatalog(createEmbeddedAwsProvider({ region: 'us-east-1' })));
    expect(error).toBeInstanceOf(UsageError);
  });

  it('an empty listing: ProviderApiError EmptyCatalog, not an empty snapshot', async () => {
    const empty: Provider = { ...listingAws(), listMachineTypes: async () => [] };
    const error = await rejection(pullCatalog(empty));
    expect(error).toBeInstanceOf(ProviderApiError);
    expect(error.code).toBe('EmptyCatalog');
  });
});

describe('AWS listMachineTypes / listOfferings: pagination over the wire (nock, EC2 XML)', () => {
  const records = jsonFixture<{ InstanceTypes: Record<string, unknown>[] }>('instance-types.json').InstanceTypes;
  const names = records.map((record) => record.InstanceType as string);
  const offering = (name: string) => ({ InstanceType: name, LocationType: 'region', Location: 'us-east-1' });

  it('DescribeInstanceTypes: no names, MaxResults 100, following NextToken', async () => {
    replyToEc2(requests, 'DescribeInstanceTypes', 200, describeInstanceTypesXml(records.slice(0, 2), 'req-1', 'page-2'));
    replyToEc2(requests, 'DescribeInstanceTypes', 200, describeInstanceTypesXml(records.slice(2), 'req-2'));
    const listed = await createAwsProvider({ region: 'us-east-1' }).listMachineTypes!();

    expect(requests).toEqual([
      { Action: 'DescribeInstanceTypes', Version: '2016-11-15', MaxResults: '100' },
      { Action: 'DescribeInstanceTypes', Version: '2016-11-15', MaxResults: '100', NextToken: 'page-2' },
    ]);
    expect(listed.map((facts: MachineTypeFacts) => (facts.provider === 'aws' ? facts.name : ''))).toEqual(names);
    const embedded = await createEmbeddedAwsProvider({ region: 'us-east-1' }).describeMachineTypes(names);
    // The listing carries the selection facts the wire answer holds: the same the embedded selection.json has.
    const selectionOf = await loadAwsSelectionFacts();
    expect(listed.map((facts) => ({ ...facts, selection: undefined }))).toEqual([...embedded.values()].map((facts) => ({ ...facts, selection: undefined })));
    expect(listed.map((facts) => (facts.provider === 'aws' ? facts.selection : undefined))).toEqual(names.map(selectionOf));
  });

  it('DescribeInstanceTypeOfferings: LocationType region, MaxResults 1000, no filter, following NextToken', async () => {
    replyToEc2(requests, 'DescribeInstanceTypeOfferings', 200, describeInstanceTypeOfferingsXml(names.slice(0, 3).map(offering), 'req-1', 'page-2'));
    replyToEc2(requests, 'DescribeInstanceTypeOfferings', 200, describeInstanceTypeOfferingsXml(names.slice(3).map(offering), 'req-2'));
    const offered = await createAwsProvider({ region: 'us-east-1' }).listOfferings!();

    expect(requests).toEqual([
      { Action: 'DescribeInstanceTypeOfferings', Version: '2016-11-15', LocationType: 'region', MaxResults: '1000' },
      { Action: 'DescribeInstanceTypeOfferings', Version: '2016-11-15', LocationType: 'region', MaxResults: '1000', NextToken: 'page-2' },
    ]);
    expect(offered).toEqual(new Set(names));
  });

  it('a malformed type in a listing is a MalformedResponse naming it', async () => {
    const broken = { ...records[1], ProcessorInfo: { SupportedArchitectures: ['sparc'] } };
    replyToEc2(requests, 'DescribeInstanceTypes', 200, describeInstanceTypesXml([records[0]!, broken], 'req-1'));
    const error = await rejection(createAwsProvider({ region: 'us-east-1' }).listMachineTypes!());
    expect(error).toMatchObject({ kind: 'provider', code: 'MalformedResponse' });
    expect(error.message).toContain(`for ${names[1]}: InstanceTypes[1].ProcessorInfo.SupportedArchitectures[0]`);
  });

  it('pullCatalog over the wire: two pages of types, two of region offerings, one of each zone kind, one snapshot', async () => {
    /** Answers the next DescribeInstanceTypeOfferings of `locationType` (the three listings run in parallel). */
    const offeringsOf = (locationType: string, body: string) =>
      nock(EC2_ENDPOINT)
        .post('/', (form: Record<string, string>) => form.Action === 'DescribeInstanceTypeOfferings' && form.LocationType === locationType)
        .reply(200, (_uri, form) => (requests.push(form as Record<string, string>), body), { 'content-type': 'text/xml;charset=UTF-8' });
    const at = (Location: string, LocationType: string) => (name: string) => ({ InstanceType: name, LocationType, Location });
    replyToEc2(requests, 'DescribeInstanceTypes', 200, describeInstanceTypesXml(records.slice(0, 2), 'req-1', 'types-2'));
    replyToEc2(requests, 'DescribeInstanceTypes', 200, describeInstanceTypesXml(records.slice(2), 'req-2'));
    offeringsOf('region', describeInstanceTypeOfferingsXml(names.slice(0, 1).map(offering), 'req-3', 'offerings-2'));
    offeringsOf('region', describeInstanceTypeOfferingsXml(names.slice(1, 3).map(offering), 'req-4'));
    const zoneNames = [...names.slice(0, 2).map(at('us-east-1a', 'availability-zone')), ...names.slice(0, 1).map(at('us-east-1b', 'availability-zone'))];
    offeringsOf('availability-zone', describeInstanceTypeOfferingsXml(zoneNames, 'req-5'));
    offeringsOf('availability-zone-id', describeInstanceTypeOfferingsXml(names.slice(1, 3).map(at('use1-az2', 'availability-zone-id')), 'req-6'));
    const snapshot = await pullCatalog(createAwsProvider({ region: 'us-east-1' }), { now: NOW });

    expect(requests).toHaveLength(6);
    expect(snapshot).toMatchObject({ provider: 'aws', region: 'us-east-1', source: 'EC2 API (us-east-1)' });
    expect(snapshot.machineTypes.map((facts) => (facts.provider === 'aws' ? facts.name : ''))).toEqual([...names].sort());
    expect(snapshot.offered).toEqual(names.slice(0, 3).sort());
    expect(snapshot.zones).toEqual({
      'us-east-1a': names.slice(0, 2).sort(),
      'us-east-1b': names.slice(0, 1),
      'use1-az2': names.slice(1, 3).sort(),
    });
  });
});
