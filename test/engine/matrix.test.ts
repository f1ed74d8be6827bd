import { beforeAll, describe, expect, it } from 'vitest';
import { readImageFile } from '../../providers/aws/image-file.js';
import { loadAwsCatalog, type AwsCatalog } from '../../src/catalog/aws-embedded.js';
import { compatibleTypes, type CandidateScope } from '../../src/engine/alternatives.js';
import { check } from '../../src/engine/check.js';
import { matrixForImage, matrixForType, sizeColumns } from '../../src/engine/matrix.js';
import { ImglintError } from '../../src/errors.js';
import type { AwsImageFacts } from '../../src/model/index.js';
import { rules } from '../../src/rules/index.js';

/** Real AMIs from examples/aws (us-east-1, Amazon-owned). */
const FILES = {
  paravirtual: 'examples/aws/ami-0e972d2890378139a.json',
  al2023x86: 'examples/aws/ami-0006118602dfc1c09.json',
  al2023arm: 'examples/aws/ami-04fc404d256fd34a2.json',
} as const;

let catalog: AwsCatalog;
const images = {} as Record<keyof typeof FILES, AwsImageFacts>;

beforeAll(async () => {
  catalog = await loadAwsCatalog();
  for (const [key, file] of Object.entries(FILES)) images[key as keyof typeof FILES] = (await readImageFile(file))[0]!;
});

const NOW = new Date('2026-11-29T00:00:00Z');
const scope = (region = 'us-east-1'): CandidateScope => ({ region, offered: catalog.offeredIn(region), launch: {}, now: NOW });
const compatibleRefs = (matrix: ReturnType<typeof matrixForImage>) =>
  matrix.types.filter((type) => type.blockedBy.length === 0).map((type) => type.ref);

describe('matrixForImage on the embedded catalog', () => {
  it('a PV AMI in us-east-1: exactly 19 types in c1, c3, m1, m2, m3, t1; 1,354 blocked by virtualization-type', () => {
    const matrix = matrixForImage(images.paravirtual, catalog.types.values(), scope());
    expect(matrix.types).toHaveLength(1373);
    expect(matrix.compatible).toBe(19);
    expect(compatibleRefs(matrix)).toHaveLength(19);
    expect(matrix.compatibleFamilies).toEqual(['c1', 'c3', 'm1', 'm2', 'm3', 't1']);
    expect(matrix.blockedBy).toEqual([
      { ruleId: 'virtualization-type', count: 1354 },
      { ruleId: 'ena-support', count: 1299 },
      { ruleId: 'architecture', count: 405 },
      { ruleId: 'instance-type-offering', count: 19 },
    ]);
    expect(matrix.imageFindings).toEqual([]);
  });

  it('names every rule that blocks a type, so a type blocked by several counts under each', () => {
    const matrix = matrixForImage(images.paravirtual, catalog.types.values(), scope());
    const m6g = matrix.types.find((type) => type.ref === 'm6g.large')!;
    expect(m6g.blockedBy).toEqual(['virtualization-type', 'architecture', 'ena-support']);
    const blocked = matrix.types.filter((type) => type.blockedBy.length > 0);
    const sum = matrix.blockedBy.reduce((total, { count }) => total + count, 0);
    expect(sum).toBe(blocked.reduce((total, type) => total + type.blockedBy.length, 0));
    expect(sum).toBeGreaterThan(blocked.length);
    for (const { ruleId, count } of matrix.blockedBy) {
      expect(blocked.filter((type) => type.blockedBy.includes(ruleId))).toHaveLength(count);
    }
  });

  it('agrees with compatibleTypes, and each blocking rule fails on its own', () => {
    for (const image of Object.values(images)) {
      const matrix = matrixForImage(image, catalog.types.values(), scope());
      const expected = compatibleTypes(image, catalog.types.values(), scope()).map(({ type }) => type.name);
      expect(new Set(compatibleRefs(matrix))).toEqual(new Set(expected));
      for (const type of matrix.types.filter((judged) => judged.blockedBy.length > 0).slice(0, 200)) {
        const facts = catalog.types.get(type.ref)!;
        for (const ruleId of type.blockedBy) {
          const rule = rules.find((candidate) => candidate.id === ruleId)!;
          expect(rule.violates({ image, type: facts, region: 'us-east-1', offeredInRegion: scope().offered!.has(type.ref), launch: {}, now: NOW })).toBe(true);
        }
      }
    }
  });

  it('an arm64 AMI: every compatible type runs arm64, and architecture blocks every x86-only type', () => {
    const matrix = matrixForImage(images.al2023arm, catalog.types.values(), scope());
    const refs = compatibleRefs(matrix);
    expect(refs.length).toBeGreaterThan(300);
    for (const ref of refs) expect(catalog.types.get(ref)!.architectures).toContain('arm64');
    const x86Only = [...catalog.types.values()].filter((type) => !type.architectures.includes('arm64')).length;
    expect(matrix.blockedBy.find(({ ruleId }) => ruleId === 'architecture')?.count).toBe(x86Only);
    expect(matrix.compatibleFamilies).toContain('m6g');
    expect(matrix.compatibleFamilies).not.toContain('m6i');
  });

  it('judges region availability: eu-west-1 offers fewer types, and every compatible type is offered there', () => {
    const us = matrixForImage(images.al2023x86, catalog.types.values(), scope('us-east-1'));
    const eu = matrixForImage(images.al2023x86, catalog.types.values(), scope('eu-west-1'));
    expect(eu.compatible).toBeLessThan(us.compatible);
    const offered = catalog.offeredIn('eu-west-1')!;
    for (const ref of compatibleRefs(eu)) expect(offered.has(ref)).toBe(true);
    expect(eu.blockedBy.find(({ ruleId }) => ruleId === 'instance-type-offering')!.count).toBe(1373 - offered.size);
  });

  it('orders families naturally and sizes from nano to metal', () => {
    const matrix = matrixForImage(images.al2023x86, catalog.types.values(), scope());
    const families = matrix.compatibleFamilies;
    expect(families.indexOf('c5')).toBeLessThan(families.indexOf('c5a'));
    expect(families.indexOf('c5a')).toBeLessThan(families.indexOf('c6a'));
    expect(families.indexOf('m5')).toBeLessThan(families.indexOf('m5zn'));
    const t3 = matrix.types.filter((type) => type.family === 't3').map((type) => type.size);
    expect(t3).toEqual(['nano', 'micro', 'small', 'medium', 'large', 'xlarge', '2xlarge']);
    const m7i = sizeColumns(matrix.types.filter((type) => type.family === 'm7i'));
    expect(m7i.indexOf('xlarge')).toBeLessThan(m7i.indexOf('2xlarge'));
    expect(m7i.indexOf('2xlarge')).toBeLessThan(m7i.indexOf('16xlarge'));
    expect(m7i.indexOf('48xlarge')).toBeLessThan(m7i.indexOf('metal-24xl'));
    expect(m7i.indexOf('metal-24xl')).toBeLessThan(m7i.indexOf('metal-48xl'));
  });

  it('lists every type once, each family in one block, its sizes in the order of sizeColumns', () => {
    const matrix = matrixForImage(images.al2023x86, catalog.types.values(), scope());
    expect(new Set(matrix.types.map((type) => type.ref))).toEqual(new Set(catalog.types.keys()));
    expect(matrix.types).toHaveLength(catalog.types.size);
    const blocks = matrix.types.map((type) => type.family).filter((family, index, all) => family !== all[index - 1]);
    expect(new Set(blocks).size).toBe(blocks.length);
    const columns = sizeColumns(matrix.types);
    for (const family of blocks) {
      const sizes = matrix.types.filter((type) => type.family === family).map((type) => columns.indexOf(type.size));
      expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    }
  });

  it('reports rules that hold whatever the type as image findings, without blocking the types', () => {
    const pending = { ...images.al2023x86, state: 'pending' };
    const matrix = matrixForImage(pending, catalog.types.values(), scope());
    expect(matrix.compatible).toBe(matrixForImage(images.al2023x86, catalog.types.values(), scope()).compatible);
    expect(matrix.imageFindings.map((finding) => [finding.ruleId, finding.severity])).toEqual([['image-state', 'error']]);
  });
});

describe('filters', () => {
  const all = () => matrixForImage(images.al2023x86, catalog.types.values(), scope());

  it('--family keeps exactly the named families', () => {
    const matrix = matrixForImage(images.al2023x86, catalog.types.values(), scope(), { families: ['m5', 't3'] });
    expect(new Set(matrix.types.map((type) => type.family))).toEqual(new Set(['m5', 't3']));
    expect(matrix.types.map((type) => type.ref)).toContain('t3.micro');
  });

  it('--current-generation drops previous-generation types; a PV AMI then has none', () => {
    const matrix = matrixForImage(images.al2023x86, catalog.types.values(), scope(), { currentGeneration: true });
    expect(matrix.types.every((type) => type.currentGeneration)).toBe(true);
    expect(matrix.types.length).toBeLessThan(all().types.length);
    const pv = matrixForImage(images.paravirtual, catalog.types.values(), scope(), { currentGeneration: true });
    expect(pv.compatible).toBe(0);
    expect(pv.compatibleFamilies).toEqual([]);
  });

  it('--min-vcpus and --min-memory (GiB) keep only types at least that big, and narrow together', () => {
    const vcpus = matrixForImage(images.al2023x86, catalog.types.values(), scope(), { minVcpus: 8 });
    expect(vcpus.types.every((type) => type.vcpus >= 8)).toBe(true);
    const memory = matrixForImage(images.al2023x86, catalog.types.values(), scope(), { minMemoryGiB: 64 });
    expect(memory.types.every((type) => type.memoryGiB >= 64)).toBe(true);
    const both = matrixForImage(images.al2023x86, catalog.types.values(), scope(), { minVcpus: 8, minMemoryGiB: 64 });
    expect(both.types.length).toBeLessThan(Math.min(vcpus.types.length, memory.types.length));
    expect(both.compatible).toBeLessThan(all().compatible);
    expect(both.types.length).toBeGreaterThan(0);
  });

  it('an unknown family is a usage error that suggests the closest families', () => {
    let error: unknown;
    try {
      matrixForImage(images.al2023x86, catalog.types.values(), scope(), { families: ['m5x'] });
    } catch (caught) {
      error = caught;
    }
    expect(ImglintError.is(error) && error.kind).toBe('usage');
    expect((error as ImglintError).message).toContain('m5x');
    expect((error as ImglintError).hint).toMatch(/^Did you mean m5, m5a or m5d\? /);
  });
});

describe("check's fix hints and matrix share one judge", () => {
  it("every alternative check suggests is in the matrix's compatible set for the same image and region", async () => {
    for (const [file, region] of [[FILES.paravirtual, 'us-east-1'], [FILES.al2023arm, 'eu-west-1'], [FILES.al2023x86, 'us-east-1']] as const) {
      const report = await check({ offline: true, imageFile: file, type: ['t2.micro', 'c5.large', 'm6g.large'], region, now: NOW });
      const image = (await readImageFile(file))[0]!;
      const compatible = new Set(compatibleRefs(matrixForImage(image, catalog.types.values(), scope(region))));
      const alternatives = report.results.flatMap((result) => result.findings.flatMap((finding) => finding.alternatives ?? []));
      expect(alternatives.length).toBeGreaterThan(0);
      for (const name of alternatives) expect(compatible, `${name} (${file}, ${region})`).toContain(name);
    }
  });
});

describe('matrixForType', () => {
  it('t2.micro: the x86 HVM AMI runs; the PV and arm64 AMIs do not, each with its rule', () => {
    const matrix = matrixForType(catalog.types.get('t2.micro')!, Object.values(images), scope());
    expect(matrix.compatible).toBe(1);
    expect(matrix.images.map((verdict) => [verdict.image.id, verdict.blockedBy])).toEqual([
      ['ami-0006118602dfc1c09', []],
      ['ami-04fc404d256fd34a2', ['architecture']],
      ['ami-0e972d2890378139a', ['virtualization-type']],
    ]);
    expect(matrix.blockedBy).toEqual([
      { ruleId: 'virtualization-type', count: 1 },
      { ruleId: 'architecture', count: 1 },
    ]);
    expect(matrix.type).toMatchObject({ ref: 't2.micro', family: 't2', size: 'micro', vcpus: 1, memoryGiB: 1, currentGeneration: true });
  });

  it('counts rules that do not depend on the type, because they tell images apart', () => {
    const deregistered = { ...images.al2023arm, id: 'ami-0000000000000dead', state: 'deregistered' };
    const matrix = matrixForType(catalog.types.get('m6g.large')!, [images.al2023arm, deregistered, images.al2023arm], scope());
    expect(matrix.images).toHaveLength(2);
    expect(matrix.compatible).toBe(1);
    expect(matrix.images[1]!.blockedBy).toEqual(['image-state']);
  });

  it('a type not offered in the region blocks every image', () => {
    const offered = catalog.offeredIn('eu-west-1')!;
    const absent = [...catalog.types.values()].find((type) => !offered.has(type.name) && type.architectures.includes('x86_64'))!;
    const matrix = matrixForType(absent, [images.al2023x86], scope('eu-west-1'));
    expect(matrix.compatible).toBe(0);
    expect(matrix.images[0]!.blockedBy).toContain('instance-type-offering');
  });
});
