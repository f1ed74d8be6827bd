/**
 * Every `InstanceRequirements` attribute against the facts of a few real instance types: the DescribeInstanceTypes
 * records of `test/fixtures/aws/selection-instance-types.json` (moto's data, written by
 * `npm run generate:ec2-fixtures`), normalized as the live listing normalizes them. Defaults as the EC2 API reference
 * documents them; undecided types where the facts do not decide; the verdict of rule `instance-requirements` on a
 * selection with undecided types; and one Terraform plan and one CloudFormation template through their readers.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { selectionFactsFromEc2 } from '../../providers/aws/selection-facts.js';
import { Ec2InstanceTypeInfo } from '../../providers/aws/instance-type-schema.js';
import { imageFactsFromEc2, machineTypeFactsFromEc2 } from '../../providers/aws/normalize.js';
import type { CandidateTypes, Provider } from '../../providers/provider.js';
import { createEmbeddedAwsProvider } from '../../src/catalog/aws-embedded.js';
import { loadAwsSelectionFacts } from '../../src/catalog/aws-selection.js';
import { checkTargets } from '../../src/engine/check-targets.js';
import { checkInstanceRequirements, selectInstanceTypes, typesToSelectFrom } from '../../src/engine/instance-requirements.js';
import { parseCloudFormationTemplate } from '../../src/input/cloudformation/template.js';
import { parseTerraformPlan } from '../../src/input/terraform/plan.js';
import type { AwsImageFacts, InstanceTypeFacts, TargetRequest } from '../../src/model/index.js';
import { jsonFixture } from '../providers/aws/ec2-nock.js';
import { resourceChange } from '../input/plan-json.js';

const records = jsonFixture<{ InstanceTypes: Record<string, unknown>[] }>('selection-instance-types.json').InstanceTypes;
const catalog: InstanceTypeFacts[] = records.map((record) => ({
  ...machineTypeFactsFromEc2(Ec2InstanceTypeInfo.parse(record)),
  selection: selectionFactsFromEc2(record)!,
}));
const offered = new Set(catalog.map((type) => type.name));

function image(id: string): AwsImageFacts {
  const raw = (JSON.parse(readFileSync(`examples/aws/${id}.json`, 'utf8')) as { Images: unknown[] }).Images[0];
  return imageFactsFromEc2(raw as never, 'us-east-1');
}
/** AL2023 x86_64 (ENA, uefi-preferred). */
const al2023 = image('ami-0006118602dfc1c09');
const now = new Date('2026-08-10T00:00:00Z');

/** No vCPU or memory limit: only the attribute under test (and the filtering defaults) narrow the selection. */
const ANY = { VCpuCount: { Min: 0 }, MemoryMiB: { Min: 0 } };

function select(requirements: Record<string, unknown>, types: readonly InstanceTypeFacts[] = catalog) {
  const { types: selected, undecided, notEvaluated } = selectInstanceTypes({ ...ANY, ...requirements }, al2023, types, offered);
  return { types: selected.map((type) => type.name), undecided: undecided.map((type) => type.name), notEvaluated };
}

/** What the Terraform test's requirements select in the embedded catalog (us-east-1). */
const TERRAFORM_SELECTED = ['m5a.large', 'm6a.large', 'm7a.large', 'm8a.large', 'm8azn.large'];

/** The fixture's x86_64 HVM types that are neither bare metal nor burstable: what the defaults select. */
const DEFAULTS = [
  'c3.large',
  'c5n.9xlarge',
  'c5n.large',
  'd2.xlarge',
  'dl2q.24xlarge',
  'f2.6xlarge',
  'g4ad.xlarge',
  'g4dn.xlarge',
  'g6f.large',
  'inf1.xlarge',
  'm5.large',
  'm5a.large',
  'm5d.large',
  'p4d.24xlarge',
  'trn1.2xlarge',
  'vt1.3xlarge',
];
const without = (...names: string[]) => DEFAULTS.filter((name) => !names.includes(name));

describe('selection facts', () => {
  it('the embedded selection.json holds what the live listing reads off DescribeInstanceTypes, type for type', async () => {
    const embedded = await loadAwsSelectionFacts();
    expect(catalog.map((type) => embedded(type.name))).toEqual(catalog.map((type) => type.selection));
    expect(embedded('x9.unknown')).toBeUndefined();
  });
});

describe('InstanceRequirements defaults (EC2 API reference)', () => {
  it('exclude bare metal and burstable types, include accelerators and instance store, keep both generations', () => {
    expect(select({})).toEqual({ types: DEFAULTS, undecided: [], notEvaluated: [] });
  });

  it('treat unset values as Terraform writes them (null, "", [], empty blocks) as the default', () => {
    expect(select({ BareMetal: '', LocalStorage: null, CpuManufacturers: [], AcceleratorCount: { Min: null, Max: null }, RequireHibernateSupport: false })).toEqual(select({}));
  });

  it('BareMetal and BurstablePerformance: included adds them, required keeps only them', () => {
    expect(select({ BareMetal: 'included' }).types).toEqual([...DEFAULTS, 'm5.metal'].sort());
    expect(select({ BareMetal: 'required' }).types).toEqual(['m5.metal']);
    expect(select({ BurstablePerformance: 'included' }).types).toEqual([...DEFAULTS, 't3.large'].sort());
    expect(select({ BurstablePerformance: 'required' }).types).toEqual(['t3.large']);
  });

  it('price protection compares prices the data does not hold: it narrows nothing here (the real selection is a subset)', () => {
    const priced = { OnDemandMaxPricePercentageOverLowestPrice: 1, SpotMaxPricePercentageOverLowestPrice: 1, MaxSpotPriceAsPercentageOfOptimalOnDemandPrice: 1 };
    expect(select(priced)).toEqual(select({}));
  });
});

describe('each attribute', () => {
  it('VCpuCount, MemoryMiB, MemoryGiBPerVCpu, InstanceGenerations, Allowed/ExcludedInstanceTypes', () => {
    expect(select({ VCpuCount: { Min: 2, Max: 2 }, MemoryMiB: { Min: 8192, Max: 8192 } }).types).toEqual(['g6f.large', 'm5.large', 'm5a.large', 'm5d.large']);
    expect(select({ MemoryGiBPerVCpu: { Min: 7 } }).types).toEqual(['d2.xlarge', 'dl2q.24xlarge', 'f2.6xlarge', 'p4d.24xlarge']);
    expect(select({ InstanceGenerations: ['previous'] }).types).toEqual(['c3.large', 'd2.xlarge', 'm5.large']);
    expect(select({ InstanceGenerations: ['current', 'previous'] }).types).toEqual(DEFAULTS);
    expect(select({ AllowedInstanceTypes: ['m5*.*'] }).types).toEqual(['m5.large', 'm5a.large', 'm5d.large']);
    expect(select({ ExcludedInstanceTypes: ['*5*', '*4*'] }).types).toEqual(['c3.large', 'd2.xlarge', 'f2.6xlarge', 'g6f.large', 'inf1.xlarge', 'trn1.2xlarge', 'vt1.3xlarge']);
  });

  it('CpuManufacturers: ProcessorInfo.Manufacturer in the API spelling; the AMI still decides the architecture', () => {
    expect(select({ CpuManufacturers: ['amd'] }).types).toEqual(['f2.6xlarge', 'g4ad.xlarge', 'g6f.large', 'm5a.large']);
    expect(select({ CpuManufacturers: ['intel', 'amd'] }).types).toEqual(DEFAULTS);
    expect(select({ CpuManufacturers: ['amazon-web-services'] }).types).toEqual([]); // m6g.large is arm64
  });

  it('AcceleratorCount: Max 0 excludes GPU, FPGA and Inferentia types; a GPU partition (g6f), Trainium, media and other inference chips are undecided', () => {
    // The reference counts "GPUs, FPGAs, or Amazon Web Services Inferentia chips": whether it counts trn1's Trainium,
    // vt1's U30 or dl2q's Qualcomm AI100 is not documented.
    expect(select({ AcceleratorCount: { Max: 0 } })).toEqual({
      types: ['c3.large', 'c5n.9xlarge', 'c5n.large', 'd2.xlarge', 'm5.large', 'm5a.large', 'm5d.large'],
      undecided: ['dl2q.24xlarge', 'g6f.large', 'trn1.2xlarge', 'vt1.3xlarge'],
      notEvaluated: ['AcceleratorCount for 4 types'],
    });
    expect(select({ AcceleratorCount: { Min: 8 } })).toMatchObject({ types: ['p4d.24xlarge'], undecided: ['dl2q.24xlarge', 'g6f.large', 'trn1.2xlarge', 'vt1.3xlarge'] });
    expect(select({ AcceleratorCount: { Min: 1, Max: 1 } }).types).toEqual(['f2.6xlarge', 'g4ad.xlarge', 'g4dn.xlarge', 'inf1.xlarge']);
  });

  it('AcceleratorTypes: GpuInfo gpu, FpgaInfo fpga, InferenceAcceleratorInfo inference, MediaAcceleratorInfo media; Trainium undecided', () => {
    expect(select({ AcceleratorTypes: ['gpu'] })).toEqual({
      types: ['g4ad.xlarge', 'g4dn.xlarge', 'g6f.large', 'p4d.24xlarge'],
      undecided: ['trn1.2xlarge'],
      notEvaluated: ['AcceleratorTypes for 1 type'],
    });
    expect(select({ AcceleratorTypes: ['inference'] }).types).toEqual(['dl2q.24xlarge', 'inf1.xlarge']);
    expect(select({ AcceleratorTypes: ['fpga'] }).types).toEqual(['f2.6xlarge']);
    expect(select({ AcceleratorTypes: ['media'] }).types).toEqual(['vt1.3xlarge']);
    // Every kind listed still requires an accelerator.
    expect(select({ AcceleratorTypes: ['gpu', 'fpga', 'inference', 'media'] }).types).not.toContain('m5.large');
  });

  it('AcceleratorManufacturers and AcceleratorNames: undocumented devices (Qualcomm, VU47P, Trainium without a manufacturer) are undecided', () => {
    expect(select({ AcceleratorManufacturers: ['nvidia'] })).toEqual({
      types: ['g4dn.xlarge', 'g6f.large', 'p4d.24xlarge'],
      undecided: ['dl2q.24xlarge', 'trn1.2xlarge'],
      notEvaluated: ['AcceleratorManufacturers for 2 types'],
    });
    expect(select({ AcceleratorManufacturers: ['xilinx'] }).types).toEqual(['f2.6xlarge', 'vt1.3xlarge']);
    expect(select({ AcceleratorNames: ['t4', 'a100'] })).toEqual({
      types: ['g4dn.xlarge', 'p4d.24xlarge'],
      undecided: ['dl2q.24xlarge', 'f2.6xlarge'],
      notEvaluated: ['AcceleratorNames for 2 types'],
    });
    expect(select({ AcceleratorNames: ['trainium'] }).types).toEqual(['trn1.2xlarge']);
    expect(select({ AcceleratorNames: ['radeon-pro-v520'] }).types).toEqual(['g4ad.xlarge']);
  });

  it('AcceleratorNames vu9p: the FPGA DescribeInstanceTypes names Virtex UltraScale (VU9P) (f1)', () => {
    // f1 is in no catalog imglint embeds (moto's data has none): f1.2xlarge's selection members as DescribeInstanceTypes
    // gives them (FpgaInfo as terraform-provider-aws's aws_ec2_instance_type acceptance test reads it off EC2); its
    // pair facts are m5.large's, which AcceleratorNames does not read.
    const f1 = {
      ...machineTypeFactsFromEc2(Ec2InstanceTypeInfo.parse({ ...records.find((record) => record.InstanceType === 'm5.large'), InstanceType: 'f1.2xlarge', CurrentGeneration: false })),
      selection: selectionFactsFromEc2({
        BurstablePerformanceSupported: false,
        HibernationSupported: false,
        ProcessorInfo: { Manufacturer: 'Intel' },
        FpgaInfo: { Fpgas: [{ Name: 'Virtex UltraScale (VU9P)', Manufacturer: 'Xilinx', Count: 1, MemoryInfo: { SizeInMiB: 65536 } }], TotalFpgaMemoryInMiB: 65536 },
        InstanceStorageSupported: true,
        InstanceStorageInfo: { TotalSizeInGB: 470, Disks: [{ SizeInGB: 470, Count: 1, Type: 'ssd' }] },
      })!,
    };
    expect(f1.selection.accelerators).toEqual([{ kind: 'fpga', manufacturer: 'xilinx', name: 'vu9p', count: 1 }]);
    const names = (requirements: Record<string, unknown>) => {
      const selection = selectInstanceTypes({ ...ANY, ...requirements }, al2023, [...catalog, f1], new Set([...offered, f1.name]));
      return { types: selection.types.map((type) => type.name), undecided: selection.undecided.map((type) => type.name) };
    };
    expect(names({ AcceleratorNames: ['vu9p'] })).toEqual({ types: ['f1.2xlarge'], undecided: ['dl2q.24xlarge', 'f2.6xlarge'] });
    expect(names({ AcceleratorNames: ['t4'] })).toEqual({ types: ['g4dn.xlarge'], undecided: ['dl2q.24xlarge', 'f2.6xlarge'] });
  });

  it('AcceleratorTotalMemoryMiB: the sum of the Total*MemoryInMiB members, 0 without accelerators; undecided where a device may not count', () => {
    expect(select({ AcceleratorTotalMemoryMiB: { Min: 16384, Max: 131072 } })).toEqual({
      types: ['f2.6xlarge', 'g4dn.xlarge'],
      undecided: ['dl2q.24xlarge', 'trn1.2xlarge', 'vt1.3xlarge'],
      notEvaluated: ['AcceleratorTotalMemoryMiB for 3 types'],
    });
    expect(select({ AcceleratorTotalMemoryMiB: { Max: 0 } }).types).toEqual(['c3.large', 'c5n.9xlarge', 'c5n.large', 'd2.xlarge', 'm5.large', 'm5a.large', 'm5d.large']);
  });

  it('NetworkInterfaceCount: from the default card to all cards (p4d: 15 on its first card, 60 in all)', () => {
    expect(select({ NetworkInterfaceCount: { Min: 8 } }).types).toEqual(['c5n.9xlarge', 'dl2q.24xlarge', 'f2.6xlarge', 'p4d.24xlarge']);
    expect(select({ NetworkInterfaceCount: { Min: 8, Max: 20 } })).toMatchObject({ types: ['c5n.9xlarge', 'dl2q.24xlarge', 'f2.6xlarge'], undecided: ['p4d.24xlarge'] });
  });

  it('NetworkBandwidthGbps: a burstable network (baseline below, peak within the limits) is undecided', () => {
    expect(select({ NetworkBandwidthGbps: { Min: 25 } })).toEqual({
      types: ['c5n.9xlarge', 'dl2q.24xlarge', 'p4d.24xlarge'],
      undecided: ['c5n.large', 'g4dn.xlarge', 'inf1.xlarge'],
      notEvaluated: ['NetworkBandwidthGbps for 3 types'],
    });
  });

  it('BaselineEbsBandwidthMbps: EbsOptimizedInfo.BaselineBandwidthInMbps; a type that is not EBS-optimized is undecided', () => {
    expect(select({ BaselineEbsBandwidthMbps: { Min: 5000 } })).toEqual({
      types: ['c5n.9xlarge', 'dl2q.24xlarge', 'f2.6xlarge', 'p4d.24xlarge', 'trn1.2xlarge'],
      undecided: ['c3.large'],
      notEvaluated: ['BaselineEbsBandwidthMbps for 1 type'],
    });
  });

  it('LocalStorage, LocalStorageTypes, TotalLocalStorageGB: instance store as InstanceStorageInfo lists it', () => {
    const withStorage = ['c3.large', 'd2.xlarge', 'f2.6xlarge', 'g4ad.xlarge', 'g4dn.xlarge', 'g6f.large', 'm5d.large', 'p4d.24xlarge', 'trn1.2xlarge'];
    expect(select({ LocalStorage: 'required' }).types).toEqual(withStorage);
    expect(select({ LocalStorage: 'excluded' }).types).toEqual(without(...withStorage));
    expect(select({ LocalStorage: 'required', LocalStorageTypes: ['hdd'] }).types).toEqual(['d2.xlarge']);
    expect(select({ LocalStorage: 'required', TotalLocalStorageGB: { Min: 1000 } }).types).toEqual(['d2.xlarge', 'p4d.24xlarge']);
    // Whether types without instance store count as 0 GB, or pass LocalStorageTypes, is not documented: undecided.
    const { types, undecided } = select({ LocalStorageTypes: ['ssd'] });
    expect(types).toEqual(withStorage.filter((name) => name !== 'd2.xlarge'));
    expect(undecided).toEqual(without(...withStorage));
    expect(select({ TotalLocalStorageGB: { Max: 100 } }).undecided).toEqual(without(...withStorage));
  });

  it('RequireHibernateSupport and RequireEncryptionInTransit: HibernationSupported, NetworkInfo.EncryptionInTransitSupported', () => {
    expect(select({ RequireHibernateSupport: true }).types).toEqual(['c3.large', 'm5.large', 'm5a.large', 'm5d.large']);
    expect(select({ RequireEncryptionInTransit: true }).types).toEqual(without('c3.large', 'd2.xlarge', 'm5.large', 'm5a.large', 'm5d.large'));
  });
});

describe('what cannot be evaluated', () => {
  it('BaselinePerformanceFactors: every type undecided, with the reason', () => {
    const { types, undecided, notEvaluated } = select({ BaselinePerformanceFactors: { Cpu: { References: [{ InstanceFamily: 'c6i' }] } } });
    expect(types).toEqual([]);
    expect(undecided).toEqual(DEFAULTS);
    expect(notEvaluated).toEqual(['BaselinePerformanceFactors (CPU performance relative to a family is in no EC2 answer)']);
  });

  it('a malformed value or an unknown attribute: named, never read as "no filter"', () => {
    expect(select({ VCpuCount: '2' }).notEvaluated).toEqual(['VCpuCount is not { Min, Max } in numbers (got "2")']);
    expect(select({ BareMetal: 'sometimes' }).notEvaluated).toEqual(['BareMetal is not included, excluded or required (got "sometimes")']);
    expect(select({ FutureAttribute: true })).toMatchObject({ types: [], undecided: DEFAULTS, notEvaluated: ['FutureAttribute is no InstanceRequirements attribute imglint knows'] });
    // Members of every object are no attributes either (Object.prototype.valueOf is no compiler).
    expect(select({ valueOf: 1, toString: 'x' }).notEvaluated).toEqual(['valueOf is no InstanceRequirements attribute imglint knows', 'toString is no InstanceRequirements attribute imglint knows']);
  });

  it('a type without selection facts is undecided where they are read (BurstablePerformance by default)', () => {
    const bare = catalog.map(({ selection: _selection, ...type }) => type);
    expect(select({}, bare)).toEqual({ types: [], undecided: [...DEFAULTS, 't3.large'].sort(), notEvaluated: ['BurstablePerformance for 17 types'] });
    expect(select({ BurstablePerformance: 'included' }, bare).types).toEqual(DEFAULTS.concat('t3.large').sort());
  });
});

describe('rule instance-requirements on a selection with undecided types', () => {
  const candidates: CandidateTypes = { types: catalog, offered, source: { kind: 'embedded', description: 'fixture types' } };
  const judge = (requirements: Record<string, unknown>, ami: AwsImageFacts = al2023) => checkInstanceRequirements(ami, { ...ANY, ...requirements }, candidates, 'us-east-1', {}, now);
  /** An AMI without ENA: every ENA-required type cannot run it; c3.large and d2.xlarge can. */
  const noEna = { ...al2023, id: 'ami-0e0a0000000000001', enaSupport: false };

  it('judges the selected types when every undecided one can run the image', () => {
    // g6f.large is undecided (no documented accelerator count) and can run AL2023: the verdict does not depend on it.
    expect(judge({ AcceleratorCount: { Max: 0 }, AllowedInstanceTypes: ['m5*', 'g6f.*'] })).toEqual({ findings: [] });
  });

  it('is a warning when selected types cannot run the image and one can, although an undecided one cannot either', () => {
    // c3.large runs it, the m5 types do not, g6f.large (undecided) does not: every real selection holds both kinds.
    const verdict = judge({ AcceleratorCount: { Max: 0 }, AllowedInstanceTypes: ['c3.*', 'm5*', 'g6f.*'] }, noEna);
    expect(verdict).toMatchObject({ findings: [{ ruleId: 'instance-requirements', severity: 'warning' }] });
    const [finding] = (verdict as { findings: { message: string }[] }).findings;
    expect(finding!.message).toMatch(/^3 of the 4 instance types .* cannot run AMI ami-0e0a0000000000001: m5\.large \(ena-support\), m5a\.large \(ena-support\), m5d\.large \(ena-support\); of the 1 more they may select \(imglint cannot decide AcceleratorCount for 1 type\), 1 cannot run it either$/);
  });

  it('is a warning naming the selected types that cannot run the image when some selected ones can, whatever the undecided ones', () => {
    // Types with instance store are decided (c3.large runs the AMI, the Nitro ones cannot); types without it are
    // undecided under TotalLocalStorageGB, and those that need ENA cannot run it either: the warning holds anyway.
    const verdict = judge({ TotalLocalStorageGB: { Max: 1000 }, AllowedInstanceTypes: ['c3.*', 'm5*', 'g4dn.*'] }, noEna);
    expect(verdict).toMatchObject({ findings: [{ ruleId: 'instance-requirements', severity: 'warning' }] });
    const [finding] = (verdict as { findings: { message: string }[] }).findings;
    expect(finding!.message).toBe(
      '2 of the 3 instance types that instance requirements (VCpuCount 0-∞, MemoryMiB 0-∞, TotalLocalStorageGB, AllowedInstanceTypes) select in us-east-1 cannot run AMI ami-0e0a0000000000001: g4dn.xlarge (ena-support), m5d.large (ena-support); of the 2 more they may select (imglint cannot decide TotalLocalStorageGB for 2 types), 2 cannot run it either',
    );
  });

  it('is unverifiable when every selected type can run the image and an undecided one cannot', () => {
    const verdict = judge({ TotalLocalStorageGB: { Max: 1000 }, AllowedInstanceTypes: ['c3.*', 'm5.*'] }, noEna);
    expect(verdict).toMatchObject({ unverifiable: expect.stringContaining('imglint cannot decide TotalLocalStorageGB for 1 type against the catalog') });
  });

  it('is an error when no selected or undecided type can run the image', () => {
    const verdict = judge({ AcceleratorCount: { Max: 0 }, AllowedInstanceTypes: ['m5*', 'g6f.*'] }, noEna);
    expect(verdict).toMatchObject({ findings: [{ ruleId: 'instance-requirements', severity: 'error' }] });
    const [finding] = (verdict as { findings: { message: string }[] }).findings;
    expect(finding!.message).toBe(
      'None of the 4 instance types that instance requirements (VCpuCount 0-∞, MemoryMiB 0-∞, AcceleratorCount, AllowedInstanceTypes) select or may select in us-east-1 can run AMI ami-0e0a0000000000001: m5.large (ena-support), m5a.large (ena-support), m5d.large (ena-support), g6f.large (ena-support)',
    );
  });
});

describe('through the readers, checked against the embedded catalog and its selection facts', () => {
  const provider = async (): Promise<Provider> => createEmbeddedAwsProvider({ region: 'us-east-1', images: [al2023] });
  const check = (targets: TargetRequest[]) => checkTargets(targets, { now, knownImages: [al2023], providerFor: provider });
  /** What the requirements select among the embedded catalog's types offered in us-east-1. */
  const embeddedSelection = async (requirements: Record<string, unknown>) => {
    const { types, offered: inRegion } = await typesToSelectFrom(await provider());
    const selection = selectInstanceTypes(requirements, al2023, types as InstanceTypeFacts[], inRegion);
    return { types: selection.types.map((type) => type.name), undecided: selection.undecided.map((type) => type.name), notEvaluated: selection.notEvaluated };
  };

  it('a Terraform plan: an ASG override with instance_requirements reading accelerators, CPU and storage', async () => {
    const requirements = {
      vcpu_count: [{ min: 2, max: 2 }],
      memory_mib: [{ min: 8192, max: 8192 }],
      accelerator_count: [{ min: null, max: 0 }],
      accelerator_manufacturers: [],
      accelerator_names: [],
      accelerator_total_memory_mib: [],
      accelerator_types: [],
      allowed_instance_types: [],
      bare_metal: null,
      baseline_ebs_bandwidth_mbps: [],
      burstable_performance: null,
      cpu_manufacturers: ['amd'],
      excluded_instance_types: [],
      instance_generations: ['current'],
      local_storage: 'excluded',
      local_storage_types: [],
      max_spot_price_as_percentage_of_optimal_on_demand_price: null,
      memory_gib_per_vcpu: [],
      network_bandwidth_gbps: [],
      network_interface_count: [],
      on_demand_max_price_percentage_over_lowest_price: null,
      require_hibernate_support: true,
      spot_max_price_percentage_over_lowest_price: null,
      total_local_storage_gb: [],
    };
    const plan = {
      format_version: '1.2',
      terraform_version: '1.9.8',
      planned_values: { root_module: {} },
      resource_changes: [
        resourceChange('aws_launch_template.app', { name: 'app', image_id: al2023.id, instance_type: null, instance_requirements: [] }, { id: true }),
        resourceChange('aws_autoscaling_group.flex', {
          name: 'flex',
          launch_template: [],
          mixed_instances_policy: [
            {
              instances_distribution: [],
              launch_template: [
                {
                  launch_template_specification: [{ launch_template_id: null, launch_template_name: 'app', version: '$Default' }],
                  override: [{ instance_type: null, instance_requirements: [requirements], launch_template_specification: [], weighted_capacity: null }],
                },
              ],
            },
          ],
        }),
      ],
      configuration: {
        provider_config: { aws: { name: 'aws', full_name: 'registry.terraform.io/hashicorp/aws', expressions: { region: { constant_value: 'us-east-1' } } } },
        root_module: { resources: [] },
      },
    };
    const targets = parseTerraformPlan(JSON.stringify(plan, null, 2), 'plan.json');
    expect(targets).toHaveLength(1);
    const report = await check(targets);
    const [result] = report.results;
    // 2 vCPUs, 8 GiB, AMD, current, no accelerators, no instance store, hibernation: m5a.large and nothing burstable.
    expect(result).toMatchObject({ verdict: 'pass', findings: [], target: { image: al2023.id } });
    expect(result!.target.type).toMatch(/^instance requirements \(VCpuCount 2-2, MemoryMiB 8192-8192, /);
    const selected = await embeddedSelection(targets[0]!.instanceRequirements!);
    expect(selected).toEqual({ types: TERRAFORM_SELECTED, undecided: [], notEvaluated: [] });
  });

  it('a CloudFormation template: a launch template whose InstanceRequirements ask for one NVIDIA T4 (a parameter)', async () => {
    const template = [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Parameters:',
      '  GpuName:',
      '    Type: String',
      '    Default: t4',
      'Mappings:',
      '  RegionMap:',
      '    us-east-1:',
      `      Al2023: ${al2023.id}`,
      'Resources:',
      '  GpuTemplate:',
      '    Type: AWS::EC2::LaunchTemplate',
      '    Properties:',
      '      LaunchTemplateData:',
      '        ImageId: !FindInMap [RegionMap, !Ref "AWS::Region", Al2023]',
      '        InstanceRequirements:',
      '          VCpuCount: { Min: 4, Max: 8 }',
      '          MemoryMiB: { Min: 16384 }',
      '          AcceleratorTypes: [gpu]',
      '          AcceleratorManufacturers: [nvidia]',
      '          AcceleratorNames: [!Ref GpuName]',
      '          AcceleratorCount: { Min: 1, Max: 1 }',
      '          LocalStorage: required',
      '          LocalStorageTypes: [ssd]',
      '          OnDemandMaxPricePercentageOverLowestPrice: 50',
      '  GpuGroup:',
      '    Type: AWS::AutoScaling::AutoScalingGroup',
      '    Properties:',
      '      MinSize: "0"',
      '      MaxSize: "4"',
      '      AvailabilityZones: [us-east-1a]',
      '      LaunchTemplate:',
      '        LaunchTemplateId: !Ref GpuTemplate',
      '        Version: !GetAtt GpuTemplate.LatestVersionNumber',
      '',
    ].join('\n');
    const { targets } = parseCloudFormationTemplate(template, 'gpu.yaml', { region: 'us-east-1' });
    expect(targets.map((target) => [target.source?.address, target.image])).toEqual([['GpuGroup', al2023.id]]);
    expect(targets[0]!.instanceRequirements).toMatchObject({ AcceleratorNames: ['t4'], LocalStorageTypes: ['ssd'] });
    const [result] = (await check(targets)).results;
    expect(result).toMatchObject({ verdict: 'pass', findings: [] });
    // g4dn.xlarge and g4dn.2xlarge: one T4, NVMe SSD instance store, 4 and 8 vCPUs. The g7 GPUs (RTX PRO) have no
    // documented AcceleratorNames value: undecided, and the pass holds because AL2023 runs on them too.
    expect(await embeddedSelection(targets[0]!.instanceRequirements!)).toEqual({
      types: ['g4dn.2xlarge', 'g4dn.xlarge'],
      undecided: ['g7.2xlarge', 'g7e.2xlarge'],
      notEvaluated: ['AcceleratorNames for 2 types'],
    });
  });
});
