import type { CandidateTypes, Provider } from '../../providers/provider.js';
import type { AwsImageFacts, Finding, InstanceRequirements, InstanceTypeFacts, LaunchOptions } from '../model/index.js';
import { instanceRequirements as instanceRequirementsRule, judgeRequirements } from '../rules/instance-requirements.js';
import { lint } from './lint.js';

/**
 * Attribute-based instance type selection (`InstanceRequirements` of EC2 Auto Scaling, EC2 Fleet and Spot Fleet)
 * evaluated against a catalog of instance types: which types the requirements let the service launch for one AMI.
 *
 * Sources: the `InstanceRequirements` reference of the Auto Scaling and EC2 APIs (defaults, wildcards) and Auto
 * Scaling's user guide "Creating an Auto Scaling group using attribute-based instance type selection":
 * - unspecified attributes take their defaults; `BareMetal` and `BurstablePerformance` default to `excluded`;
 * - "Instances will be launched with a compatible CPU architecture based on the AMI" (the `CpuManufacturers`
 *   note), and the preview API `GetInstanceTypesFromInstanceRequirements` is asked with the AMI's architecture and
 *   virtualization type: types of another architecture or virtualization type are never selected;
 * - only types offered in the region are launched.
 *
 * Price protection (`OnDemandMaxPricePercentageOverLowestPrice`, `SpotMaxPricePercentageOverLowestPrice`,
 * `MaxSpotPriceAsPercentageOfOptimalOnDemandPrice`, on by default) is not applied: it compares prices, which
 * change, so every type the other attributes admit may be selected some day. Attributes the catalog has no facts
 * for are reported in {@link TypeSelection.notEvaluated} and never guessed.
 */

/** `{ Min, Max }` of a requirement; either side may be absent (no limit). */
interface Limits {
  Min?: number;
  Max?: number;
}

/**
 * Burstable performance instance families (`BurstablePerformanceSupported` in `DescribeInstanceTypes`): the T
 * family, per EC2's "Burstable performance instances" guide (T4g, T3a, T3, T2). The embedded catalog does not carry
 * the flag; a test checks this list against the flag in moto's `DescribeInstanceTypes` data.
 */
const BURSTABLE_FAMILIES = new Set(['t2', 't3', 't3a', 't4g']);

/** Attributes read from the catalog's facts. */
const EVALUATED = new Set([
  'VCpuCount',
  'MemoryMiB',
  'MemoryGiBPerVCpu',
  'InstanceGenerations',
  'BareMetal',
  'BurstablePerformance',
  'AllowedInstanceTypes',
  'ExcludedInstanceTypes',
]);

/** Price protection: not applied (see the module's note). */
const PRICE_PROTECTION = new Set(['OnDemandMaxPricePercentageOverLowestPrice', 'SpotMaxPricePercentageOverLowestPrice', 'MaxSpotPriceAsPercentageOfOptimalOnDemandPrice']);

/** Values of attributes the catalog has no facts for that select every type (the attribute's "no filter" value). */
const NO_FILTER: Record<string, (value: unknown) => boolean> = {
  LocalStorage: (value) => value === 'included',
  RequireHibernateSupport: (value) => value === false,
  RequireEncryptionInTransit: (value) => value === false,
  LocalStorageTypes: (value) => Array.isArray(value) && ['hdd', 'ssd'].every((kind) => value.includes(kind)),
  AcceleratorCount: isUnlimited,
  AcceleratorTotalMemoryMiB: isUnlimited,
  NetworkInterfaceCount: isUnlimited,
  NetworkBandwidthGbps: isUnlimited,
  TotalLocalStorageGB: isUnlimited,
  BaselineEbsBandwidthMbps: isUnlimited,
  CpuManufacturers: isEmptyList,
  AcceleratorManufacturers: isEmptyList,
  AcceleratorNames: isEmptyList,
  AcceleratorTypes: isEmptyList,
};

function isUnlimited(value: unknown): boolean {
  const limits = value as Limits | null;
  return limits === null || typeof limits !== 'object' || ((limits.Min ?? 0) === 0 && limits.Max === undefined);
}

function isEmptyList(value: unknown): boolean {
  return Array.isArray(value) && value.length === 0;
}

/** The types a set of requirements may launch for one AMI. */
export interface TypeSelection {
  /** Every catalog type the requirements may select for the AMI, by name. A superset when `notEvaluated` is not empty. */
  types: InstanceTypeFacts[];
  /** Requirements set to a value imglint cannot evaluate (`CpuManufacturers`, `AcceleratorCount`, ...), or `offerings` when the region's offerings are unknown. */
  notEvaluated: string[];
}

/**
 * The types of `catalog` that `requirements` may select for `image` in the region.
 *
 * @param requirements - in the API's shape (`VCpuCount: { Min, Max }`, `MemoryMiB`, ...; MiB and GiB as the API's).
 * @param catalog - every known instance type (the provider's candidate types).
 * @param offered - the types offered in the region; `undefined` when unknown (then every type is kept and
 *   `offerings` is listed in `notEvaluated`).
 */
export function selectInstanceTypes(
  requirements: InstanceRequirements,
  image: AwsImageFacts,
  catalog: Iterable<InstanceTypeFacts>,
  offered: ReadonlySet<string> | undefined,
): TypeSelection {
  const notEvaluated = Object.keys(requirements).filter(
    (key) => requirements[key] !== undefined && !EVALUATED.has(key) && !PRICE_PROTECTION.has(key) && !(NO_FILTER[key]?.(requirements[key]) ?? false),
  );
  if (offered === undefined) notEvaluated.push('offerings');
  const allowed = patterns(requirements.AllowedInstanceTypes);
  const excluded = patterns(requirements.ExcludedInstanceTypes);
  const generations = requirements.InstanceGenerations as string[] | undefined;
  const types: InstanceTypeFacts[] = [];
  for (const type of catalog) {
    if (offered !== undefined && !offered.has(type.name)) continue;
    if (!type.architectures.includes(image.architecture) || !type.virtualizationTypes.includes(image.virtualizationType)) continue;
    if (!within(type.vcpus, requirements.VCpuCount as Limits | undefined)) continue;
    if (!within(type.memoryMiB, requirements.MemoryMiB as Limits | undefined)) continue;
    if (!within(type.memoryMiB / 1024 / type.vcpus, requirements.MemoryGiBPerVCpu as Limits | undefined)) continue;
    if (generations !== undefined && generations.length > 0 && !generations.includes(type.currentGeneration ? 'current' : 'previous')) continue;
    if (!admits(requirements.BareMetal, type.bareMetal)) continue;
    if (!admits(requirements.BurstablePerformance, BURSTABLE_FAMILIES.has(type.name.split('.')[0]!))) continue;
    if (allowed.length > 0 && !allowed.some((pattern) => pattern.test(type.name))) continue;
    if (excluded.some((pattern) => pattern.test(type.name))) continue;
    types.push(type);
  }
  return { types, notEvaluated };
}

/** The burstable families, for the test that checks them against EC2's `BurstablePerformanceSupported`. */
export const burstableFamilies: ReadonlySet<string> = BURSTABLE_FAMILIES;

function within(value: number, limits: Limits | undefined): boolean {
  if (limits === undefined || limits === null) return true;
  return (limits.Min === undefined || value >= limits.Min) && (limits.Max === undefined || value <= limits.Max);
}

/** `included` / `excluded` (the default) / `required` against whether the type has the property. */
function admits(setting: unknown, has: boolean): boolean {
  const value = setting ?? 'excluded';
  return value === 'included' || (value === 'required' ? has : !has);
}

/** `c5*.*`, `m5a.*`, `r*`, `*3*`: `*` is the only wildcard and matches any run of characters. */
function patterns(list: unknown): RegExp[] {
  if (!Array.isArray(list)) return [];
  return list.map((entry) => new RegExp(`^${String(entry).split('*').map(escapeRegExp).join('.*')}$`));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** What would let imglint judge requirements it could not: by what it could not evaluate. */
function requirementsFix({ notEvaluated, types }: TypeSelection): string {
  const list = 'aws ec2 get-instance-types-from-instance-requirements lists the types they select; imglint check --image <id> --type <type> checks each';
  if (notEvaluated.length === 1 && notEvaluated[0] === 'offerings') {
    return `Run without --offline (EC2 answers for the region's offerings), or check the types by hand: ${list}`;
  }
  if (notEvaluated.length > 0) {
    return `Narrow the requirements with attributes imglint evaluates (AllowedInstanceTypes, ExcludedInstanceTypes, VCpuCount, MemoryMiB, ...), or check the types by hand: ${list}`;
  }
  return types.length === 0
    ? `Check the requirements and the region: ${list} (types newer than the catalog are not in it: run without --offline, or pull a fresh snapshot)`
    : `Check the types by hand: ${list}`;
}

/**
 * `VCpuCount 2-4, MemoryMiB 4096-16384`: how a set of requirements is named where an instance type would be.
 */
export function describeRequirements(requirements: InstanceRequirements): string {
  const range = (limits: Limits | undefined) => `${limits?.Min ?? 0}-${limits?.Max ?? '∞'}`;
  const parts = [`VCpuCount ${range(requirements.VCpuCount as Limits | undefined)}`, `MemoryMiB ${range(requirements.MemoryMiB as Limits | undefined)}`];
  const others = Object.keys(requirements).filter((key) => key !== 'VCpuCount' && key !== 'MemoryMiB' && requirements[key] !== undefined);
  return `instance requirements (${[...parts, ...others].join(', ')})`;
}

/**
 * The types a region's requirements are judged against: what the launch would really choose from.
 *
 * - A live provider that can list its region (AWS: every `DescribeInstanceTypes` page, which holds the types the region
 *   supports, and every `DescribeInstanceTypeOfferings` page for LocationType `region`): that listing. Through the
 *   catalog cache it is kept 24 hours, the same listing `imglint matrix` uses, so the next runs make no listing call.
 * - Otherwise (offline, a snapshot) the provider's candidate types: a snapshot's types and offerings; offline, the
 *   listing an earlier live run cached (any age), else the embedded catalog and its offerings.
 *
 * @returns the types, the offered ones, and where they came from (for the verdict's message).
 * @throws the provider's errors (a listing that fails fails the group, as any other lookup).
 */
export async function typesToSelectFrom(provider: Provider): Promise<CandidateTypes> {
  if (provider.listMachineTypes === undefined || provider.listOfferings === undefined) {
    // Every requirements target of a group is judged against this answer: a provider's iterator would serve only the first.
    const candidates = await provider.candidateTypes();
    return { ...candidates, types: [...candidates.types] };
  }
  const [types, offered] = await Promise.all([provider.listMachineTypes(), provider.listOfferings()]);
  const source = provider.catalogSource;
  return { types, offered, source: { ...source, description: `${source.description} (the region's listing)` } };
}

/** The verdict on one requirements target: its findings, or why it cannot be judged and what would let it be. */
export type RequirementsVerdict = { findings: Finding[] } | { unverifiable: string; fix: string };

/**
 * Judges `image` under `requirements`: selects the types ({@link selectInstanceTypes}), lints the image on each
 * (offered in the region by construction), and lets rule `instance-requirements` decide.
 */
export function checkInstanceRequirements(
  image: AwsImageFacts,
  requirements: InstanceRequirements,
  candidates: CandidateTypes,
  region: string,
  launch: LaunchOptions,
  now: Date,
): RequirementsVerdict {
  const aws = [...candidates.types].filter((type): type is InstanceTypeFacts => type.provider === 'aws');
  const selection = selectInstanceTypes(requirements, image, aws, candidates.offered);
  const unfit = selection.types.flatMap((type) => {
    const errors = lint({ image, type, region, offeredInRegion: true, launch, now }).filter((finding) => finding.severity === 'error');
    return errors.length > 0 ? [{ type: type.name, ruleIds: errors.map((finding) => finding.ruleId) }] : [];
  });
  const source = candidates.source;
  const verdict = judgeRequirements({
    image: image.id,
    region,
    requirements: describeRequirements(requirements),
    selectable: selection.types.length,
    unfit,
    notEvaluated: selection.notEvaluated,
    catalog: `${source.description}${source.dataAsOf ? `, data as of ${source.dataAsOf}` : ''}`,
  });
  if (verdict.unverifiable !== undefined) return { unverifiable: verdict.unverifiable, fix: requirementsFix(selection) };
  const { violation } = verdict;
  if (violation === undefined) return { findings: [] };
  return {
    findings: [
      {
        ruleId: instanceRequirementsRule.id,
        severity: violation.severity ?? instanceRequirementsRule.severity,
        message: violation.message,
        fix: violation.fix,
        docs: instanceRequirementsRule.docsUrl,
      },
    ],
  };
}
