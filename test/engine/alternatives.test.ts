import { beforeAll, describe, expect, it } from 'vitest';
import { loadAwsCatalog, type AwsCatalog } from '../../src/catalog/aws-embedded.js';
import { compatibleTypes, nearestTypes, suggestAlternatives, typeRanking } from '../../src/engine/alternatives.js';
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

  it('one ranking serves every reference: the same nearest types as ranking anew, longer limits extending shorter ones', () => {
    const compatible = compatibleTypes(images.al2023x86, catalog.types.values(), scope());
    const ranking = typeRanking(compatible);
    const references = [...catalog.types.values()].filter((_, index) => index % 97 === 0);
    expect(references.length).toBeGreaterThan(10);
    for (const reference of references) {
      const names = (limit: number) => ranking(reference, limit).map((type) => type.name);
      expect(names(5)).toEqual(nearestTypes(reference, compatible).map((type) => type.name));
      expect(names(12).slice(0, 5)).toEqual(names(5));
      expect(names(12)).toHaveLength(12);
      expect(names(12)).not.toContain(reference.name);
      expect(names(0)).toEqual([]);
    }
  });
});
