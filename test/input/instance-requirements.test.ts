/**
 * Attribute-based instance type selection against the embedded catalog (src/engine/instance-requirements.ts) and
 * its verdict (rule instance-requirements), through checkTargets as a plan's group would reach it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createEmbeddedAwsProvider, loadAwsCatalog } from '../../src/catalog/aws-embedded.js';
import { selectInstanceTypes, typesToSelectFrom } from '../../src/engine/instance-requirements.js';
import { checkTargets } from '../../src/engine/check-targets.js';
import type { AwsImageFacts, InstanceTypeFacts, TargetRequest } from '../../src/model/index.js';
import { imageFactsFromEc2 } from '../../providers/aws/normalize.js';

function image(id: string): AwsImageFacts {
  const raw = (JSON.parse(readFileSync(`examples/aws/${id}.json`, 'utf8')) as { Images: unknown[] }).Images[0];
  return imageFactsFromEc2(raw as never, 'us-east-1');
}

const al2023 = image('ami-0006118602dfc1c09');
const pv = image('ami-0e972d2890378139a');
const now = new Date('2026-08-10T00:00:00Z');

async function judge(requirements: Record<string, unknown>, ami: AwsImageFacts = al2023) {
  const request: TargetRequest = { provider: 'aws', region: 'us-east-1', image: ami.id, instanceRequirements: requirements, source: { file: 'plan.json', address: 'aws_autoscaling_group.web' } };
  const report = await checkTargets([request], {
    now,
    knownImages: [ami],
    providerFor: async () => createEmbeddedAwsProvider({ region: 'us-east-1', images: [ami] }),
  });
  return report.results[0]!;
}

describe('selectInstanceTypes', () => {
  it('applies vCPU, memory, generations, bare metal and burstable defaults, wildcards, offerings, architecture', async () => {
    const catalog = await loadAwsCatalog();
    const offered = catalog.offeredIn('us-east-1');
    // The embedded catalog's types with their selection facts (selection.json), as a group's check gets them.
    const { types } = await typesToSelectFrom(createEmbeddedAwsProvider({ region: 'us-east-1' }));
    const names = (requirements: Record<string, unknown>) => selectInstanceTypes(requirements, al2023, types as InstanceTypeFacts[], offered).types.map((t) => t.name);
    const selected = names({ VCpuCount: { Min: 2, Max: 2 }, MemoryMiB: { Min: 8192, Max: 8192 } });
    expect(selected).toContain('m5.large');
    expect(selected).not.toContain('t3.large'); // BurstablePerformance defaults to excluded
    expect(selected).not.toContain('m6g.large'); // the AMI is x86_64
    expect(selected.every((name) => !name.endsWith('.metal'))).toBe(true);
    expect(names({ VCpuCount: { Min: 2, Max: 2 }, MemoryMiB: { Min: 8192, Max: 8192 }, BurstablePerformance: 'required' })).toEqual(expect.arrayContaining(['t3.large', 't3a.large']));
    expect(names({ VCpuCount: { Min: 2, Max: 2 }, MemoryMiB: { Min: 8192, Max: 8192 }, ExcludedInstanceTypes: ['m5*'] }).some((name) => name.startsWith('m5'))).toBe(false);
    expect(names({ VCpuCount: { Min: 2, Max: 2 }, MemoryMiB: { Min: 8192, Max: 8192 }, AllowedInstanceTypes: ['m5.*'] })).toEqual(['m5.large']);
    expect(names({ VCpuCount: { Min: 2 }, MemoryMiB: { Min: 0 }, InstanceGenerations: ['current'], AllowedInstanceTypes: ['c4.*'] })).toEqual([]); // c4 is a previous generation
  });

  it('leaves every type undecided, with the reason, where the catalog has no facts: offerings, types without selection facts', async () => {
    const catalog = await loadAwsCatalog();
    // The bare catalog types carry no selection facts: BurstablePerformance (default excluded) cannot be decided.
    const { types, undecided, notEvaluated } = selectInstanceTypes(
      { VCpuCount: { Min: 2, Max: 2 }, MemoryMiB: { Min: 8192, Max: 8192 }, OnDemandMaxPricePercentageOverLowestPrice: 20 },
      al2023,
      catalog.types.values(),
      undefined,
    );
    expect(types).toEqual([]);
    expect(undecided.map((type) => type.name)).toContain('m5.large');
    expect(notEvaluated).toEqual([`BurstablePerformance for ${undecided.length} types`, 'offerings']);
  });
});

describe('rule instance-requirements through checkTargets', () => {
  it('judges every requirements target of a group against the same types, not only the first', async () => {
    const requirements = { VCpuCount: { Min: 2, Max: 2 }, MemoryMiB: { Min: 8192, Max: 8192 }, AllowedInstanceTypes: ['m5.*', 'm6i.*'] };
    const request = (address: string): TargetRequest => ({ provider: 'aws', region: 'us-east-1', image: al2023.id, instanceRequirements: requirements, source: { file: 'plan.json', address } });
    const report = await checkTargets([request('aws_autoscaling_group.a'), request('aws_autoscaling_group.b')], {
      now,
      knownImages: [al2023],
      providerFor: async () => createEmbeddedAwsProvider({ region: 'us-east-1', images: [al2023] }),
    });
    expect(report.results.map((result) => result.verdict)).toEqual(['pass', 'pass']);
  });

  it('passes when every selected type can run the image', async () => {
    const result = await judge({ VCpuCount: { Min: 2, Max: 2 }, MemoryMiB: { Min: 8192, Max: 8192 }, AllowedInstanceTypes: ['m5.*', 'm6i.*'] });
    expect(result).toMatchObject({ verdict: 'pass', findings: [], target: { type: 'instance requirements (VCpuCount 2-2, MemoryMiB 8192-8192, AllowedInstanceTypes)' } });
  });

  it('is an error when none of the selected types can run the image, naming them and the rules', async () => {
    // ENA-required (Nitro) types only, and an AMI without ENA: no selected type can run it.
    const noEna = { ...al2023, id: 'ami-0e0a0000000000001', enaSupport: false };
    const result = await judge({ VCpuCount: { Min: 2, Max: 2 }, MemoryMiB: { Min: 8192, Max: 8192 }, AllowedInstanceTypes: ['m5.*', 'm6i.*'] }, noEna);
    expect(result.verdict).toBe('fail');
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ ruleId: 'instance-requirements', severity: 'error' });
    expect(result.findings[0]!.message).toBe(
      'None of the 2 instance types that instance requirements (VCpuCount 2-2, MemoryMiB 8192-8192, AllowedInstanceTypes) select in us-east-1 can run AMI ami-0e0a0000000000001: m5.large (ena-support), m6i.large (ena-support)',
    );
  });

  it('is a warning when some selected types cannot run the image', async () => {
    const noEna = { ...al2023, id: 'ami-0e0a0000000000001', enaSupport: false };
    const result = await judge({ VCpuCount: { Min: 2, Max: 2 }, MemoryMiB: { Min: 7680, Max: 8192 }, AllowedInstanceTypes: ['m5.large', 'm4.large'] }, noEna);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ ruleId: 'instance-requirements', severity: 'warning' });
    expect(result.findings[0]!.message).toMatch(/^1 of the 2 instance types .* cannot run AMI ami-0e0a0000000000001: m5\.large \(ena-support\)$/);
    expect(result.verdict).toBe('pass');
  });

  it('is unverifiable, with the reason, when a requirement cannot be evaluated and some type may run the image', async () => {
    const result = await judge({ VCpuCount: { Min: 2, Max: 2 }, MemoryMiB: { Min: 8192, Max: 8192 }, BaselinePerformanceFactors: { Cpu: { References: [{ InstanceFamily: 'c6i' }] } } });
    expect(result.verdict).toBe('unverifiable');
    expect(result.findings[0]!.message).toMatch(/imglint cannot decide BaselinePerformanceFactors \(CPU performance relative to a family is in no EC2 answer\) against the catalog/);
  });
});
