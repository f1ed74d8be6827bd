import type { InstanceTypeFacts } from '../model/index.js';

/**
 * The layout of the generated files in `src/catalog/aws/`, shared by their writer
 * (`scripts/generate-aws-catalog.ts`) and their reader (`aws-embedded.ts`). Type-only apart from
 * {@link expandAwsInstanceTypes}, so reading the catalog pulls in no schema library.
 */

/** The compatibility-relevant facts many instance types share, stored once in `instance-types.json`. */
export type AwsTypeProfile = Omit<InstanceTypeFacts, 'provider' | 'name' | 'vcpus' | 'memoryMiB'>;

/** One instance type: `[InstanceType, index into profiles, VCpuInfo.DefaultVCpus, MemoryInfo.SizeInMiB]`. */
export type AwsTypeRow = [name: string, profile: number, vcpus: number, memoryMiB: number];

/** `instance-types.json`: rows sorted by type name; profiles in order of first use by the rows. */
export interface AwsInstanceTypesFile {
  profiles: AwsTypeProfile[];
  types: AwsTypeRow[];
}

/** `offerings.json`: region -> ascending indexes into `AwsInstanceTypesFile.types`. */
export interface AwsOfferingsFile {
  regions: Record<string, number[]>;
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

/** `meta.json`: where the catalog came from and what it holds. */
export interface AwsCatalogMeta {
  /** Date of the last commit touching moto's `instance_types.json` (YYYY-MM-DD). */
  dataAsOf: string;
  source: {
    repository: string;
    /** The moto commit the files were copied at, and its date. */
    commit: string;
    commitDate: string;
    /** SPDX identifier. */
    license: string;
    files: AwsCatalogSourceFile[];
  };
  /** Repository path of the script that wrote the catalog. */
  generatedBy: string;
  counts: {
    types: number;
    profiles: number;
    /** Offered types per region. */
    offerings: Record<string, number>;
  };
}

/**
 * Expands the rows of `instance-types.json` into {@link InstanceTypeFacts}, keyed by instance type name,
 * in file order. Profile arrays are frozen because every type of a profile shares them.
 */
export function expandAwsInstanceTypes(file: AwsInstanceTypesFile): Map<string, InstanceTypeFacts> {
  const profiles = file.profiles.map((profile) => ({
    ...profile,
    virtualizationTypes: Object.freeze(profile.virtualizationTypes) as InstanceTypeFacts['virtualizationTypes'],
    architectures: Object.freeze(profile.architectures) as InstanceTypeFacts['architectures'],
    bootModes: Object.freeze(profile.bootModes) as InstanceTypeFacts['bootModes'],
    rootDeviceTypes: Object.freeze(profile.rootDeviceTypes) as InstanceTypeFacts['rootDeviceTypes'],
  }));
  const types = new Map<string, InstanceTypeFacts>();
  for (const [name, profileIndex, vcpus, memoryMiB] of file.types) {
    const profile = profiles[profileIndex];
    if (profile === undefined) throw new Error(`instance-types.json: ${name} names missing profile ${profileIndex}`);
    types.set(name, { provider: 'aws', name, ...profile, vcpus, memoryMiB });
  }
  return types;
}
