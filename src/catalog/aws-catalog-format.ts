import type { AcceleratorFacts, FactRange, InstanceTypeFacts, SelectionFacts } from '../model/index.js';

/**
 * The layout of the generated files in `src/catalog/aws/`, shared by their writer
 * (`scripts/generate-aws-catalog.ts`) and their reader (`aws-embedded.ts`). Type-only apart from the small
 * decoders below, so reading the catalog pulls in no schema library: the generator validated every record.
 */

/** The compatibility-relevant facts many instance types share, stored once in `instance-types.json`. */
export type AwsTypeProfile = Omit<InstanceTypeFacts, 'provider' | 'name' | 'vcpus' | 'memoryMiB' | 'selection'>;

/** One instance type: `[InstanceType, index into profiles, VCpuInfo.DefaultVCpus, MemoryInfo.SizeInMiB]`. */
export type AwsTypeRow = [name: string, profile: number, vcpus: number, memoryMiB: number];

/**
 * `instance-types.json`: rows sorted by type name (code unit order, so a binary search finds a name without building
 * a map); profiles in order of first use by the rows. A row's position is the type's index, which the offerings'
 * bitsets are over.
 */
export interface AwsInstanceTypesFile {
  profiles: AwsTypeProfile[];
  types: AwsTypeRow[];
}

/**
 * One region's offerings (`DescribeInstanceTypeOfferings`), each a bitset over the type index: bit `i` (byte
 * `i >> 3`, bit `i & 7`, least significant first) is set when the type of row `i` is offered. Base64.
 */
export interface AwsRegionOfferings {
  /** LocationType `region`. */
  region: string;
  /**
   * LocationType `availability-zone` and `availability-zone-id`: zone name (`us-east-1a`) or zone ID (`use1-az2`) ->
   * index into `sets`. A name and an ID that offer the same types share one set; nothing here says which name is
   * which ID (the data's account mapped them; other accounts may map names differently).
   */
  zones: Record<string, number>;
  /** The distinct zone bitsets of the region. */
  sets: string[];
}

/** `offerings.json`: region -> its offerings. */
export interface AwsOfferingsFile {
  regions: Record<string, AwsRegionOfferings>;
}

/**
 * One type's {@link SelectionFacts} in `selection.json`: `[CPU manufacturer (index into cpuManufacturers, -1 when
 * undocumented), flags (1 burstable, 2 hibernation, 4 encryption in transit, 8 encryption in transit known),
 * accelerators (index into accelerators), accelerator memory MiB | null, network interfaces | null, network Gbps |
 * null, baseline EBS Mbps | null, [local storage GB, disk types | null] | null]`. `null` is an absent fact.
 */
export type AwsSelectionRow = [
  cpu: number,
  flags: number,
  accelerators: number,
  acceleratorMemoryMiB: number | null,
  networkInterfaces: FactRange | null,
  networkBandwidthGbps: FactRange | null,
  baselineEbsBandwidthMbps: number | null,
  localStorage: [totalGB: number, types: ('hdd' | 'ssd')[] | null] | null,
];

/**
 * `selection.json`: the selection facts of every type, loaded only when a target has instance requirements. `types`
 * holds, row for row with `instance-types.json` (same order, same count), an index into `profiles`: the distinct
 * rows. Distinct CPU manufacturers and accelerator lists are stored once too.
 */
export interface AwsSelectionFile {
  cpuManufacturers: string[];
  accelerators: AcceleratorFacts[][];
  profiles: AwsSelectionRow[];
  types: number[];
}

const BURSTABLE = 1;
const HIBERNATION = 2;
const ENCRYPTION_IN_TRANSIT = 4;
const ENCRYPTION_IN_TRANSIT_KNOWN = 8;

/**
 * Encodes one type's facts as a profile row, adding new CPU manufacturers and accelerator lists to `file` (matched by
 * `key`, the caller's canonical JSON of a list).
 */
export function encodeSelectionRow(facts: SelectionFacts, file: AwsSelectionFile, key: (value: unknown) => string): AwsSelectionRow {
  let cpu = -1;
  if (facts.cpuManufacturer !== undefined) {
    cpu = file.cpuManufacturers.indexOf(facts.cpuManufacturer);
    if (cpu < 0) cpu = file.cpuManufacturers.push(facts.cpuManufacturer) - 1;
  }
  let accelerators = file.accelerators.findIndex((list) => key(list) === key(facts.accelerators));
  if (accelerators < 0) accelerators = file.accelerators.push(facts.accelerators) - 1;
  const flags =
    (facts.burstable ? BURSTABLE : 0) |
    (facts.hibernation ? HIBERNATION : 0) |
    (facts.encryptionInTransit === undefined ? 0 : ENCRYPTION_IN_TRANSIT_KNOWN | (facts.encryptionInTransit ? ENCRYPTION_IN_TRANSIT : 0));
  const storage = facts.localStorage;
  return [
    cpu,
    flags,
    accelerators,
    facts.acceleratorMemoryMiB ?? null,
    facts.networkInterfaces ?? null,
    facts.networkBandwidthGbps ?? null,
    facts.baselineEbsBandwidthMbps ?? null,
    storage === undefined ? null : [storage.totalGB, storage.types ?? null],
  ];
}

/** The facts of one profile of `selection.json` (a fresh object; the accelerator lists are shared). */
export function decodeSelectionRow(row: AwsSelectionRow, file: AwsSelectionFile): SelectionFacts {
  const cpu = file.cpuManufacturers[row[0]];
  const flags = row[1];
  const accelerators = file.accelerators[row[2]];
  if (accelerators === undefined) throw new Error(`selection.json: a row names missing accelerators ${row[2]}`);
  const storage = row[7];
  return {
    ...(cpu !== undefined && { cpuManufacturer: cpu }),
    burstable: (flags & BURSTABLE) !== 0,
    hibernation: (flags & HIBERNATION) !== 0,
    ...((flags & ENCRYPTION_IN_TRANSIT_KNOWN) !== 0 && { encryptionInTransit: (flags & ENCRYPTION_IN_TRANSIT) !== 0 }),
    accelerators,
    ...(row[3] !== null && { acceleratorMemoryMiB: row[3] }),
    ...(row[4] !== null && { networkInterfaces: row[4] }),
    ...(row[5] !== null && { networkBandwidthGbps: row[5] }),
    ...(row[6] !== null && { baselineEbsBandwidthMbps: row[6] }),
    ...(storage !== null && { localStorage: { totalGB: storage[0], ...(storage[1] !== null && { types: storage[1] }) } }),
  };
}

/** One AWS partition as the AWS SDK's endpoint metadata lists it (`partitions.json` of `@aws-sdk/core`). */
export interface AwsPartition {
  /** `aws`, `aws-cn`, `aws-us-gov`, ... */
  id: string;
  /** The names the partition's endpoints accept (`^cn\-\w+\-\d+$`). */
  regionRegex: string;
  /** The partition's regions, sorted (pseudo-regions like `aws-global` left out). */
  regions: string[];
}

/** `regions.json`: every region the installed AWS SDK knew when the catalog was generated. */
export interface AwsRegionsFile {
  /** The package and version the list was read from (`@aws-sdk/core 3.981.2`). */
  source: string;
  partitions: AwsPartition[];
}

/** One moto file the catalog was generated from. */
export interface AwsCatalogSourceFile {
  /** Path in the moto repository. */
  path: string;
  /** Last commit touching the file before `source.commit`, and its date (YYYY-MM-DD). */
  lastCommit: string;
  lastCommitDate: string;
  sha256: string;
}

/** A folder of moto files the catalog was generated from (the offerings: one file per region). */
export interface AwsCatalogSourceFolder {
  /** Path in the moto repository, ending in `/`. */
  path: string;
  /** Last commit touching the folder before `source.commit`, and its date (YYYY-MM-DD). */
  lastCommit: string;
  lastCommitDate: string;
  files: number;
  /** sha256 of the folder's lines of SHA256SUMS (`<sha256>  ./<path>\n`, sorted by path). */
  sha256sums: string;
}

/** `meta.json`: where the catalog came from and what it holds. */
export interface AwsCatalogMeta {
  /** Date of the last commit touching moto's `instance_types.json` (YYYY-MM-DD). */
  dataAsOf: string;
  /** Date of the last commit touching moto's offerings folders (YYYY-MM-DD). */
  offeringsAsOf: string;
  source: {
    repository: string;
    /** The moto commit the files were copied at, and its date. */
    commit: string;
    commitDate: string;
    /** SPDX identifier. */
    license: string;
    files: AwsCatalogSourceFile[];
    folders: AwsCatalogSourceFolder[];
  };
  /** Repository path of the script that wrote the catalog. */
  generatedBy: string;
  counts: {
    types: number;
    profiles: number;
    /** Offered types per region: its keys are the regions the offerings cover. */
    offerings: Record<string, number>;
    /** Zone names and zone IDs per region. */
    zones: Record<string, number>;
  };
}

/** Encodes the (ascending or not) type indexes as a base64 bitset over `size` types. */
export function encodeBitset(indexes: Iterable<number>, size: number): string {
  const bytes = Buffer.alloc(Math.ceil(size / 8));
  for (const index of indexes) {
    if (!Number.isInteger(index) || index < 0 || index >= size) throw new RangeError(`type index ${index} outside 0..${size - 1}`);
    bytes[index >> 3]! |= 1 << (index & 7);
  }
  return bytes.toString('base64');
}

/** Decodes a bitset of {@link encodeBitset}. */
export function decodeBitset(base64: string): Uint8Array {
  return Buffer.from(base64, 'base64');
}

/** Whether bit `index` is set. */
export function bitsetHas(bits: Uint8Array, index: number): boolean {
  return ((bits[index >> 3] ?? 0) & (1 << (index & 7))) !== 0;
}

/** Every set bit's index, ascending. */
export function bitsetIndexes(bits: Uint8Array): number[] {
  const indexes: number[] = [];
  for (let byte = 0; byte < bits.length; byte += 1) {
    const value = bits[byte]!;
    if (value === 0) continue;
    for (let bit = 0; bit < 8; bit += 1) if (value & (1 << bit)) indexes.push(byte * 8 + bit);
  }
  return indexes;
}

/** The index of `name` in the sorted rows, or -1 (binary search: no map is built for a one-pair check). */
export function findTypeRow(rows: readonly AwsTypeRow[], name: string): number {
  let low = 0;
  let high = rows.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const found = rows[middle]![0];
    if (found === name) return middle;
    if (found < name) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/** Expands the profiles of `instance-types.json`; their arrays are frozen because every type of a profile shares them. */
export function expandAwsProfiles(file: AwsInstanceTypesFile): AwsTypeProfile[] {
  return file.profiles.map((profile) => ({
    ...profile,
    virtualizationTypes: Object.freeze(profile.virtualizationTypes) as InstanceTypeFacts['virtualizationTypes'],
    architectures: Object.freeze(profile.architectures) as InstanceTypeFacts['architectures'],
    bootModes: Object.freeze(profile.bootModes) as InstanceTypeFacts['bootModes'],
    rootDeviceTypes: Object.freeze(profile.rootDeviceTypes) as InstanceTypeFacts['rootDeviceTypes'],
  }));
}

/** The facts of one row, with its (expanded) profile. */
export function expandAwsTypeRow(row: AwsTypeRow, profiles: readonly AwsTypeProfile[]): InstanceTypeFacts {
  // Indexes, not destructuring: this runs for every type of a full listing, before V8 optimizes it, and array
  // destructuring allocates an iterator result per element there.
  const name = row[0];
  const profileIndex = row[1];
  const vcpus = row[2];
  const memoryMiB = row[3];
  const profile = profiles[profileIndex];
  if (profile === undefined) throw new Error(`instance-types.json: ${name} names missing profile ${profileIndex}`);
  return { provider: 'aws', name, ...profile, vcpus, memoryMiB };
}

/**
 * Expands every row of `instance-types.json` into {@link InstanceTypeFacts}, keyed by instance type name, in file
 * order (the generator's round-trip check, and the catalog's full listing).
 */
export function expandAwsInstanceTypes(file: AwsInstanceTypesFile): Map<string, InstanceTypeFacts> {
  const profiles = expandAwsProfiles(file);
  return new Map(file.types.map((row) => [row[0], expandAwsTypeRow(row, profiles)]));
}
