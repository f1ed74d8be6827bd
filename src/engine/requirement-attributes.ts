import type { AcceleratorFacts, FactRange, InstanceRequirements, InstanceTypeFacts, SelectionFacts } from '../model/index.js';

/**
 * The attributes of `InstanceRequirements`, each as a test of one instance type, with the defaults of the EC2 API
 * reference (`InstanceRequirements`, `InstanceRequirementsRequest`): "Any unspecified optional attribute is set to
 * its default"; "when you specify multiple attributes, you get instance types that satisfy all of the specified
 * attributes. If you specify multiple values for an attribute, you get instance types that satisfy any of the
 * specified values".
 *
 * Defaults that filter: `BareMetal` and `BurstablePerformance` are `excluded`. Every other default selects every
 * type: `LocalStorage` `included`, `LocalStorageTypes` `hdd` and `ssd`, `RequireHibernateSupport` and
 * `RequireEncryptionInTransit` `false`, ranges without limits, lists of any value (`AcceleratorTypes`: "Any
 * accelerator type"; `AcceleratorCount`: "No minimum or maximum limits", so accelerator types are included unless
 * `Max` is 0).
 *
 * A test answers `true` (the type meets it), `false`, or `undefined` when the facts do not decide: the fact is
 * missing, undocumented (a GPU EC2 gives no `AcceleratorNames` value), or the reference does not say which reading
 * EC2 compares (a network's baseline or its peak). Undecided is never turned into a guess.
 */

/** The answer of one test for one type. */
export type Decision = boolean | undefined;

/** A compiled requirement: tests a type with its selection facts (absent when no source has them). */
export type TypeTest = (type: InstanceTypeFacts, selection: SelectionFacts | undefined) => Decision;

/** `{ Min, Max }` of a requirement; either side may be absent (no limit). */
interface Limits {
  Min?: number;
  Max?: number;
}

/**
 * What a requirement's value does: nothing (`'none'`: its default, or a value that selects every type), a test, or
 * cannot be evaluated at all (`{ reason }`: a malformed value, an attribute without facts, an unknown attribute).
 */
export type Compiled = 'none' | TypeTest | { reason: string };

/**
 * Price protection (on by default): compares prices, which the data does not hold and which change. It only removes
 * types from those the other attributes select, so leaving it out keeps the selection a superset: "none of them can
 * run the AMI" stays true of the real selection, and a type it names may be selected on another day's prices.
 */
const PRICE_PROTECTION = new Set(['OnDemandMaxPricePercentageOverLowestPrice', 'SpotMaxPricePercentageOverLowestPrice', 'MaxSpotPriceAsPercentageOfOptimalOnDemandPrice']);

/** Compiles one attribute's value (`undefined` when it is not given: then its default applies). */
export function compileAttribute(name: string, given: unknown): Compiled {
  const value = isUnset(given) ? undefined : given;
  if (PRICE_PROTECTION.has(name)) return 'none';
  // Own keys only: `valueOf`, `constructor` or `__proto__` in a template are unknown attributes, not Object's members.
  if (!Object.hasOwn(ATTRIBUTES, name)) return value === undefined ? 'none' : { reason: `${name} is no InstanceRequirements attribute imglint knows` };
  return ATTRIBUTES[name]!(value);
}

/** The attributes whose default filters: applied although the requirements do not name them. */
const FILTERING_DEFAULTS = ['BareMetal', 'BurstablePerformance'] as const;

/** Names of the requirements, given or defaulted, to compile for `requirements`. */
export function attributeNames(requirements: InstanceRequirements): string[] {
  return [...new Set([...Object.keys(requirements), ...FILTERING_DEFAULTS])];
}

/** Null, absent, an empty string or list, an empty block: not set (Terraform writes unset attributes so). */
function isUnset(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.values(value).every(isUnset);
}

const ATTRIBUTES: Record<string, (value: unknown) => Compiled> = {
  VCpuCount: (value) => range('VCpuCount', value, (type) => type.vcpus),
  MemoryMiB: (value) => range('MemoryMiB', value, (type) => type.memoryMiB),
  MemoryGiBPerVCpu: (value) => range('MemoryGiBPerVCpu', value, (type) => type.memoryMiB / 1024 / type.vcpus),
  InstanceGenerations: (value) =>
    list('InstanceGenerations', value, ['current', 'previous'], (wanted) => (type) => wanted.has(type.currentGeneration ? 'current' : 'previous')),
  BareMetal: (value) => inclusion('BareMetal', value ?? 'excluded', (type) => type.bareMetal),
  BurstablePerformance: (value) => inclusion('BurstablePerformance', value ?? 'excluded', (_type, selection) => selection?.burstable),
  AllowedInstanceTypes: (value) => names('AllowedInstanceTypes', value, true),
  ExcludedInstanceTypes: (value) => names('ExcludedInstanceTypes', value, false),
  CpuManufacturers: (value) =>
    list('CpuManufacturers', value, undefined, (wanted) => (_type, selection) => {
      const made = selection?.cpuManufacturer;
      return made === undefined ? undefined : wanted.has(made);
    }),
  RequireHibernateSupport: (value) => requirement('RequireHibernateSupport', value, (selection) => selection.hibernation),
  RequireEncryptionInTransit: (value) => requirement('RequireEncryptionInTransit', value, (selection) => selection.encryptionInTransit),
  NetworkInterfaceCount: (value) => range('NetworkInterfaceCount', value, (_type, selection) => selection?.networkInterfaces),
  NetworkBandwidthGbps: (value) => range('NetworkBandwidthGbps', value, (_type, selection) => selection?.networkBandwidthGbps),
  BaselineEbsBandwidthMbps: (value) => range('BaselineEbsBandwidthMbps', value, (_type, selection) => selection?.baselineEbsBandwidthMbps),
  // A type without instance store has no total: whether EC2 counts it as 0 GB or leaves it out is not documented.
  TotalLocalStorageGB: (value) => range('TotalLocalStorageGB', value, (_type, selection) => selection?.localStorage?.totalGB),
  LocalStorage: (value) => inclusion('LocalStorage', value ?? 'included', (_type, selection) => selection && selection.localStorage !== undefined),
  LocalStorageTypes: (value) =>
    list('LocalStorageTypes', value, ['hdd', 'ssd'], (wanted) => (_type, selection) => {
      // Whether the kinds listed keep or drop types without instance store is not documented: undecided.
      const kinds = selection?.localStorage?.types;
      return kinds === undefined ? undefined : kinds.some((kind) => wanted.has(kind));
    }),
  AcceleratorTypes: (value) => accelerators('AcceleratorTypes', value, 'kind'),
  AcceleratorManufacturers: (value) => accelerators('AcceleratorManufacturers', value, 'manufacturer'),
  AcceleratorNames: (value) => accelerators('AcceleratorNames', value, 'name'),
  AcceleratorCount: (value) =>
    range('AcceleratorCount', value, (_type, selection) => {
      if (selection === undefined || !selection.accelerators.every(countedAccelerator) || selection.accelerators.some((device) => device.count === undefined)) return undefined;
      return selection.accelerators.reduce((total, device) => total + device.count!, 0);
    }),
  AcceleratorTotalMemoryMiB: (value) =>
    range('AcceleratorTotalMemoryMiB', value, (_type, selection) => (selection?.accelerators.every(countedAccelerator) ? selection.acceleratorMemoryMiB : undefined)),
  // Performance protection compares the CPU performance of families, which no EC2 answer states.
  BaselinePerformanceFactors: (value) =>
    value === undefined ? 'none' : { reason: 'BaselinePerformanceFactors (CPU performance relative to a family is in no EC2 answer)' },
};

/**
 * Whether `AcceleratorCount` and `AcceleratorTotalMemoryMiB` count a device: the reference counts "accelerators
 * (GPUs, FPGAs, or Amazon Web Services Inferentia chips)". Trainium (`NeuronInfo` only), media accelerators (vt1's
 * U30) and other inference chips (Qualcomm AI100) may or may not be counted: the type is undecided, not guessed.
 */
function countedAccelerator(device: AcceleratorFacts): boolean {
  return device.kind === 'gpu' || device.kind === 'fpga' || device.name === 'inferentia' || device.name === 'inferentia2';
}

/** `{ Min, Max }` against a fact that is a number or a `[low, high]` range of readings. */
function range(name: string, value: unknown, fact: (type: InstanceTypeFacts, selection: SelectionFacts | undefined) => number | FactRange | undefined): Compiled {
  if (value === undefined) return 'none';
  const limits = value as Limits;
  const bad = (side: unknown) => side !== undefined && side !== null && (typeof side !== 'number' || !Number.isFinite(side) || side < 0);
  if (typeof value !== 'object' || Array.isArray(value) || bad(limits.Min) || bad(limits.Max)) {
    return { reason: `${name} is not { Min, Max } in numbers (got ${JSON.stringify(value)})` };
  }
  const min = limits.Min ?? 0;
  const max = limits.Max ?? Infinity;
  if (min === 0 && max === Infinity) return 'none';
  return (type, selection) => {
    const known = fact(type, selection);
    if (known === undefined) return undefined;
    const [low, high] = typeof known === 'number' ? [known, known] : known;
    if (low >= min && high <= max) return true;
    if (high < min || low > max) return false;
    return undefined;
  };
}

/** A list of values (any of them); `'none'` when empty or when it holds every value of `all`. */
function list(name: string, value: unknown, all: readonly string[] | undefined, test: (wanted: ReadonlySet<string>) => TypeTest): Compiled {
  if (value === undefined) return 'none';
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) return { reason: `${name} is not a list of strings (got ${JSON.stringify(value)})` };
  const wanted = new Set(value as string[]);
  if (all?.every((item) => wanted.has(item))) return 'none';
  return test(wanted);
}

/**
 * `AcceleratorTypes`, `AcceleratorManufacturers`, `AcceleratorNames`: "must be on the instance type", so a type
 * without accelerators is not selected. A device without a documented value (or with no facts) leaves the type
 * undecided unless another of its devices matches.
 */
function accelerators(name: string, value: unknown, key: 'kind' | 'manufacturer' | 'name'): Compiled {
  // Not `list`'s "every value listed selects everything": even all four kinds still require an accelerator.
  return list(name, value, undefined, (wanted) => (_type, selection) => {
    if (selection === undefined) return undefined;
    if (selection.accelerators.some((device) => device[key] !== undefined && wanted.has(device[key]))) return true;
    return selection.accelerators.some((device) => device[key] === undefined) ? undefined : false;
  });
}

/** `included` / `excluded` / `required` against whether the type has the property. */
function inclusion(name: string, value: unknown, has: (type: InstanceTypeFacts, selection: SelectionFacts | undefined) => boolean | undefined): Compiled {
  if (value === 'included') return 'none';
  if (value !== 'excluded' && value !== 'required') return { reason: `${name} is not included, excluded or required (got ${JSON.stringify(value)})` };
  return (type, selection) => {
    const known = has(type, selection);
    return known === undefined ? undefined : value === 'required' ? known : !known;
  };
}

/** `true` requires the property; `false` (the default) selects every type. */
function requirement(name: string, value: unknown, has: (selection: SelectionFacts) => boolean | undefined): Compiled {
  if (value === undefined || value === false) return 'none';
  if (value !== true) return { reason: `${name} is not true or false (got ${JSON.stringify(value)})` };
  return (_type, selection) => (selection === undefined ? undefined : has(selection));
}

/** `c5*.*`, `m5a.*`, `r*`, `*3*`: `*` is the only wildcard and matches any run of characters. */
function names(name: string, value: unknown, allow: boolean): Compiled {
  if (value === undefined) return 'none';
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) return { reason: `${name} is not a list of strings (got ${JSON.stringify(value)})` };
  const patterns = (value as string[]).map((entry) => new RegExp(`^${entry.split('*').map(escapeRegExp).join('.*')}$`));
  return (type) => patterns.some((pattern) => pattern.test(type.name)) === allow;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
