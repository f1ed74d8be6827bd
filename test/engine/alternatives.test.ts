import { beforeAll, describe, expect, it } from 'vitest';
import { loadAwsCatalog, type AwsCatalog } from '../../src/catalog/aws-embedded.js';
import { compatibleTypes, nearestTypes, suggestAlternatives, typeRanking } from '../../src/engine/alternatives.js';
import type { InstanceTypeFacts, MachineTypeFacts } from '../../src/model/index.js';
import { images } from '../rules/images.js';

let catalog: AwsCatalog;
beforeAll(async () => {
  catalog = await loadAwsCatalog();
});

const scope = () => ({ region: 'us-east-1', offered: catalog.offeredIn('us-east-1'), launch: {}, now: new Date('2026-11-29T00:00:00Z') });
const suggest = (image: keyof typeof images, type: string) =>
  suggestAlternatives(images[image], catalog.types.get(type)!, catalog.types.values(), scope());

describe('compatible alternatives', () => {
  it('a PV AMI runs on exactly the 19 paravirtual-capable types (c1, c3, m1, m2, m3, t1)', () => {
    const names = compatibleTypes(images.paravirtual, catalog.types.values(), { ...scope(), offered: undefined }).map((c) => c.type.name);
    expect(names).toHaveLength(19);
    expect(new Set(names.map((name) => name.split('.')[0]))).toEqual(new Set(['c1', 'c3', 'm1', 'm2', 'm3', 't1']));
  });

  it('a PV AMI on t2.micro: same series first, then general purpose of the nearest size', () => {
    expect(suggest('paravirtual', 't2.micro')).toEqual(['t1.micro', 'm1.small', 'm1.medium', 'm3.medium', 'm1.large']);
  });

  it('an arm64 AMI on c5.large: Graviton compute types of the same size', () => {
    expect(suggest('al2023arm', 'c5.large')).toEqual(['c6g.large', 'c6gd.large', 'c6gn.large', 'c7g.large', 'c7gd.large']);
  });

  it('an x86 AMI on m6g.large: the same size and generation first', () => {
    expect(suggest('al2023x86', 'm6g.large').slice(0, 2)).toEqual(['m6a.large', 'm6i.large']);
  });

  it('every suggestion passes every error rule and is offered in the region', () => {
    const offered = catalog.offeredIn('us-east-1')!;
    for (const [image, type] of [['paravirtual', 'c5.large'], ['hvmWithoutEna', 'c5.large'], ['uefi', 't2.micro'], ['tpm', 't2.micro']] as const) {
      const names = suggest(image, type);
      expect(names.length).toBeGreaterThan(0);
      const compatible = new Set(compatibleTypes(images[image], catalog.types.values(), scope()).map((c) => c.type.name));
      for (const name of names) {
        expect(compatible).toContain(name);
        expect(offered).toContain(name);
      }
    }
  });

  it('returns nothing when no type can run the image: an arm64 AMI with an instance-store root', () => {
    const image = { ...images.al2023arm, rootDeviceType: 'instance-store' as const };
    expect(suggestAlternatives(image, catalog.types.get('m6g.large')!, catalog.types.values(), scope())).toEqual([]);
  });

  it('ignores rules that fail every type alike: a pending AMI still gets the types that fit it', () => {
    expect(suggest('pending', 'm6g.large')).toContain('m6i.large');
  });

  it('one ranking serves every reference: the nearest of a full sort by the documented key, longer limits extending shorter ones', () => {
    for (const image of [images.al2023x86, images.al2023arm, images.paravirtual, images.hvmWithoutEna]) {
      const compatible = compatibleTypes(image, catalog.types.values(), scope());
      const ranking = typeRanking(compatible);
      const references = [...catalog.types.values()].filter((_, index) => index % 41 === 0);
      expect(references.length).toBeGreaterThan(30);
      for (const reference of references) {
        const names = (limit: number) => ranking(reference, limit).map((type) => type.name);
        expect(names(12)).toEqual(sortedNearest(reference, compatible).slice(0, 12));
        expect(names(5)).toEqual(nearestTypes(reference, compatible).map((type) => type.name));
        expect(names(12).slice(0, 5)).toEqual(names(5));
        expect(names(0)).toEqual([]);
      }
    }
  });
});

/**
 * The ranking as its documentation states it, by sorting every candidate: no warnings first, then the same series,
 * then the same category, then octaves of vCPUs plus octaves of memory, then generations apart, then the name.
 */
function sortedNearest(reference: InstanceTypeFacts, compatible: readonly { type: MachineTypeFacts; warnings: number }[]): string[] {
  const categories: Record<string, string> = {
    ...Object.fromEntries(['a', 'm', 't', 'mac'].map((series) => [series, 'general'])),
    ...Object.fromEntries(['c', 'hpc'].map((series) => [series, 'compute'])),
    ...Object.fromEntries(['r', 'x', 'z', 'u'].map((series) => [series, 'memory'])),
    ...Object.fromEntries(['i', 'd', 'h', 'im', 'is'].map((series) => [series, 'storage'])),
    ...Object.fromEntries(['p', 'g', 'gr', 'inf', 'trn', 'dl', 'f', 'vt'].map((series) => [series, 'accelerated'])),
  };
  const series = (name: string) => /^[a-z]+/.exec(name)![0];
  const generation = (name: string) => Number(/\d+/.exec(name)?.[0] ?? 0);
  const apart = (a: string, b: string) => (a === b ? 0 : categories[a] !== undefined && categories[a] === categories[b] ? 1 : 2);
  const octaves = (x: number, y: number) => Math.abs(Math.log2(Math.max(x, 1) / Math.max(y, 1)));
  const key = ({ type, warnings }: { type: MachineTypeFacts; warnings: number }) => [
    warnings > 0 ? 1 : 0,
    apart(series(reference.name), series(type.name)),
    octaves(reference.vcpus, type.vcpus) + octaves(reference.memoryMiB, type.memoryMiB),
    Math.abs(generation(reference.name) - generation(type.name)),
  ];
  return compatible
    .filter(({ type }) => type.name !== reference.name)
    .map((candidate) => ({ name: candidate.type.name, key: key(candidate) }))
    .sort((a, b) => {
      const differ = a.key.findIndex((part, index) => part !== b.key[index]);
      return differ >= 0 ? a.key[differ]! - b.key[differ]! : a.name < b.name ? -1 : 1;
    })
    .map(({ name }) => name);
}
