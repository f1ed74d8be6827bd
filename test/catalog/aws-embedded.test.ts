import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { machineTypeFactsFromEc2 } from '../../providers/aws/normalize.js';
import { Ec2InstanceTypeInfo } from '../../providers/aws/instance-type-schema.js';
import { createEmbeddedAwsProvider, loadAwsCatalog } from '../../src/catalog/aws-embedded.js';
import { InputError, UsageError } from '../../src/errors.js';
import type { InstanceTypeFacts } from '../../src/model/index.js';
import { images } from '../rules/images.js';
import { dataFolder, readDataJson, repoRoot } from '../support/data.js';

const SAMPLE_TYPES = ['c3.large', 't1.micro', 'm1.small', 't2.micro', 'c5.large', 'm6g.large'];

describe('loadAwsCatalog', () => {
  it('loads once and holds 1,373 types sorted by name', async () => {
    const catalog = await loadAwsCatalog();
    expect(await loadAwsCatalog()).toBe(catalog);
    expect(catalog.types.size).toBe(1373);
    const names = [...catalog.types.keys()];
    expect(names).toEqual([...names].sort());
    for (const [name, facts] of catalog.types) expect(facts.name).toBe(name);
  });

  it('says where the data comes from', async () => {
    expect((await loadAwsCatalog()).source).toEqual({
      kind: 'embedded',
      description: 'imglint embedded catalog: moto instance_types.json @0af643a5',
      dataAsOf: '2026-08-02',
    });
  });

  // The sample table of the project's AWS reference notes (aws.md section 1.1), read off moto's instance_types.json.
  it.each<[string, Partial<InstanceTypeFacts>]>([
    ['c3.large', { virtualizationTypes: ['hvm', 'paravirtual'], architectures: ['i386', 'x86_64'], enaSupport: 'unsupported', bootModes: ['legacy-bios'], nvmeSupport: 'unsupported', rootDeviceTypes: ['ebs', 'instance-store'], hypervisor: 'xen', bareMetal: false, nitroTpm: false }],
    ['t1.micro', { virtualizationTypes: ['hvm', 'paravirtual'], architectures: ['i386', 'x86_64'], enaSupport: 'unsupported', bootModes: ['legacy-bios'], nvmeSupport: 'unsupported', rootDeviceTypes: ['ebs'], hypervisor: 'xen', bareMetal: false, nitroTpm: false }],
    ['m1.small', { virtualizationTypes: ['hvm', 'paravirtual'], architectures: ['i386', 'x86_64'], enaSupport: 'unsupported', bootModes: ['legacy-bios'], nvmeSupport: 'unsupported', rootDeviceTypes: ['ebs', 'instance-store'], hypervisor: 'xen', bareMetal: false, nitroTpm: false }],
    ['t2.micro', { virtualizationTypes: ['hvm'], architectures: ['i386', 'x86_64'], enaSupport: 'unsupported', bootModes: ['legacy-bios'], nvmeSupport: 'unsupported', rootDeviceTypes: ['ebs'], hypervisor: 'xen', bareMetal: false, nitroTpm: false, vcpus: 1, memoryMiB: 1024 }],
    ['c5.large', { virtualizationTypes: ['hvm'], architectures: ['x86_64'], enaSupport: 'required', bootModes: ['legacy-bios', 'uefi'], nvmeSupport: 'required', rootDeviceTypes: ['ebs'], hypervisor: 'nitro', bareMetal: false, nitroTpm: true, currentGeneration: false }],
    ['m6g.large', { virtualizationTypes: ['hvm'], architectures: ['arm64'], enaSupport: 'required', bootModes: ['uefi'], nvmeSupport: 'required', rootDeviceTypes: ['ebs'], hypervisor: 'nitro', bareMetal: false, nitroTpm: true }],
  ])('%s has the documented facts', async (name, expected) => {
    expect((await loadAwsCatalog()).types.get(name)).toMatchObject({ provider: 'aws', name, ...expected });
  });

  it('leaves hypervisor out on bare metal, as EC2 does', async () => {
    const metal = [...(await loadAwsCatalog()).types.values()].filter((facts) => facts.bareMetal);
    expect(metal).toHaveLength(152);
    expect(metal.every((facts) => facts.hypervisor === undefined)).toBe(true);
  });

  // Derived counts of the same reference notes.
  it('matches the derived counts of the reference', async () => {
    const all = [...(await loadAwsCatalog()).types.values()];
    const names = (keep: (facts: InstanceTypeFacts) => boolean) => all.filter(keep).map((facts) => facts.name);
    const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((item, i) => item === b[i]);

    const paravirtual = names((facts) => facts.virtualizationTypes.includes('paravirtual'));
    expect(paravirtual).toHaveLength(19);
    expect(new Set(paravirtual.map((name) => name.split('.')[0]))).toEqual(new Set(['c1', 'c3', 'm1', 'm2', 'm3', 't1']));
    expect(names((facts) => !facts.virtualizationTypes.includes('hvm'))).toEqual([]);

    const enaRequired = names((facts) => facts.enaSupport === 'required');
    expect(enaRequired).toHaveLength(1299);
    expect(names((facts) => facts.nvmeSupport === 'required')).toEqual(enaRequired);

    const arm64Only = names((facts) => same(facts.architectures, ['arm64']));
    expect(arm64Only).toHaveLength(396);
    expect(names((facts) => same(facts.bootModes, ['uefi']))).toEqual(arm64Only);
    expect(names((facts) => same(facts.bootModes, ['legacy-bios']))).toHaveLength(192);

    expect(names((facts) => facts.architectures.includes('i386')).sort()).toEqual(
      ['c1.medium', 'c3.large', 'm1.medium', 'm1.small', 't1.micro', 't2.medium', 't2.micro', 't2.nano', 't2.small'],
    );
    expect(names((facts) => facts.rootDeviceTypes.includes('instance-store'))).toHaveLength(33);
    expect(names((facts) => facts.nitroTpm)).toHaveLength(1091);
    expect(names((facts) => facts.currentGeneration)).toHaveLength(1255);
  });

  it('has offerings for every region of the data, and none for others', async () => {
    const catalog = await loadAwsCatalog();
    const offeringsFile = path.join(repoRoot, 'src', 'catalog', 'aws', 'offerings.json');
    const { regions } = JSON.parse(readFileSync(offeringsFile, 'utf8')) as { regions: Record<string, unknown> };
    expect(Object.keys(regions).sort()).toEqual(dataFolder('aws/instance_type_offerings/region'));
    expect(Object.keys(regions)).toHaveLength(30);
    for (const region of ['eu-west-1', 'us-east-1']) {
      const offered = catalog.offeredIn(region)!;
      for (const name of SAMPLE_TYPES) expect(offered.has(name), `${name} in ${region}`).toBe(true);
      for (const name of offered) expect(catalog.types.has(name)).toBe(true);
    }
    expect(catalog.offeredIn('us-east-1')!.size).toBe(1354);
    expect(catalog.offeredIn('eu-west-1')!.size).toBe(1150);
    expect(catalog.offeredIn('ap-southeast-7')).toBeUndefined();
    expect(catalog.offers('ap-southeast-7', 't3.micro')).toBeUndefined();
    expect(catalog.offeredIn('toString')).toBeUndefined();
    expect(catalog.zoneOfferings('toString')).toBeUndefined();
  });

  it('expands only the types a lookup names, and the same object each time', async () => {
    const catalog = await loadAwsCatalog();
    const facts = catalog.type('c5.large');
    expect(facts).toBe(catalog.type('c5.large'));
    expect(facts).toBe(catalog.types.get('c5.large'));
    expect(catalog.type('c5.lagre')).toBeUndefined();
    expect(catalog.typeNames).toEqual([...catalog.types.keys()]);
  });
});

describe('loadAwsCatalog against the moto source data', () => {
  const readJson = (file: string): unknown => readDataJson(`aws/${file}`);

  it('holds exactly the facts the provider mapping gives for every source InstanceTypeInfo', async () => {
    const source = readJson('instance_types.json') as Record<string, unknown>;
    const { types } = await loadAwsCatalog();
    expect([...types.keys()]).toEqual(Object.keys(source).sort());
    for (const name of SAMPLE_TYPES) expect(types.get(name)).toEqual(machineTypeFactsFromEc2(Ec2InstanceTypeInfo.parse(source[name])));
    for (const [name, info] of Object.entries(source)) {
      expect(types.get(name), name).toEqual(machineTypeFactsFromEc2(Ec2InstanceTypeInfo.parse(info)));
    }
  });

  it.each(dataFolder('aws/instance_type_offerings/region'))('offers in %s exactly what the source offerings list', async (region) => {
    const catalog = await loadAwsCatalog();
    const source = readJson(`instance_type_offerings/region/${region}.json`) as Array<{ InstanceType: string }>;
    expect(new Set(catalog.offeredIn(region))).toEqual(new Set(source.map((entry) => entry.InstanceType)));
    const byZone = new Map<string, Set<string>>();
    for (const kind of ['availability-zone', 'availability-zone-id']) {
      for (const { InstanceType, Location } of readJson(`instance_type_offerings/${kind}/${region}.json`) as Array<{ InstanceType: string; Location: string }>) {
        byZone.set(Location, (byZone.get(Location) ?? new Set()).add(InstanceType));
      }
    }
    expect(catalog.zonesOf(region)).toEqual([...byZone.keys()].sort());
    const zones = catalog.zoneOfferings(region)!;
    for (const type of catalog.typeNames) {
      const expected = [...byZone].filter(([zone, types]) => zones.zones!.has(zone) && types.has(type)).map(([zone]) => zone);
      expect([...zones.offering(type)].sort(), `${type} in ${region}`).toEqual(expected.sort());
    }
  });
});

describe('createEmbeddedAwsProvider', () => {
  const image = images.paravirtual;
  const provider = createEmbeddedAwsProvider({ region: 'us-east-1', images: [image] });

  it('reports its region and catalog', async () => {
    expect(provider.id).toBe('aws');
    expect(await provider.region()).toBe('us-east-1');
    const { source } = await loadAwsCatalog();
    expect(provider.catalogSource).toEqual({
      ...source,
      description: `${source.description}; offerings of us-east-1 and its 6 zones as of 2026-08-01 (30 aws regions, 94 zones embedded)`,
    });
    expect(createEmbeddedAwsProvider({ region: 'cn-north-1' }).catalogSource.description).toContain('no offerings for cn-north-1: availability not judged');
  });

  it('describes known types from the catalog', async () => {
    const facts = await provider.describeMachineTypes(['t2.micro', 'c3.large', 't2.micro']);
    expect([...facts.keys()]).toEqual(['t2.micro', 'c3.large']);
    expect(facts.get('c3.large')).toBe((await loadAwsCatalog()).types.get('c3.large'));
  });

  it('throws InputError naming unknown types, with the catalog date and close names', async () => {
    const error = await provider.describeMachineTypes(['t2.micro', 't2.mirco']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ kind: 'input', code: 'InstanceTypeNotFound' });
    const { message, hint } = error as InputError;
    expect(message).toContain('t2.mirco');
    expect(message).not.toContain('t2.micro,');
    expect(message).toContain('2026-08-02');
    expect(hint).toMatch(/^Did you mean t2\.micro\b/);
    expect(hint).toContain('without --offline');
  });

  it('names every unknown type and suggests at most 3 names each, never for far-off names', async () => {
    const error = (await provider.describeMachineTypes(['C5.LARGE', 'zz9.nothing']).catch((caught: unknown) => caught)) as InputError;
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain('C5.LARGE, zz9.nothing');
    expect(error.hint).toMatch(/^C5\.LARGE: did you mean c5\.large, \S+ or \S+\? Check the spelling/);
    expect(error.hint).not.toContain('zz9.nothing:');
  });

  it('resolves images only from the given image facts', async () => {
    expect((await provider.describeImages([image.id])).get(image.id)).toBe(image);
    const error = await provider.describeImages([image.id, 'ami-0123456789abcdef0']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toContain('ami-0123456789abcdef0');
    expect((error as UsageError).hint).toContain('--image-file');
  });

  it('filters names by the region offerings, or cannot tell without them', async () => {
    expect(await provider.offeredMachineTypes(['t2.micro', 'c3.large', 'no.such'])).toEqual(new Set(['t2.micro', 'c3.large']));
    expect(await createEmbeddedAwsProvider({ region: 'ap-southeast-7' }).offeredMachineTypes(['t2.micro'])).toBeUndefined();
  });
});
