import type { CatalogSource, ImageFacts, MachineTypeFacts, ProviderId } from '../src/model/index.js';

/** Every machine type a region offers, to find compatible alternatives; and where that list came from. */
export interface CandidateTypes {
  types: Iterable<MachineTypeFacts>;
  /** Types offered in the region; undefined when every listed type is (OpenStack) or nothing is known. */
  offered: ReadonlySet<string> | undefined;
  source: CatalogSource;
}

/**
 * What every provider adapter implements. Each method covers many references in as few API calls as the
 * provider allows, and throws `InputError` (unknown image or type, naming it) or `ProviderApiError` (auth,
 * network, throttling or 5xx after retries, malformed responses). Facts come back normalized and validated.
 */
export interface Provider {
  readonly id: ProviderId;
  /** The region the adapter talks to (resolved from flags, environment or configuration). */
  region(): Promise<string>;
  /** Where the machine type facts come from, for the report. */
  readonly catalogSource: CatalogSource;
  /** Facts for every image reference (AMI ID; Glance image ID or name), keyed by the reference as given. */
  describeImages(refs: readonly string[]): Promise<Map<string, ImageFacts>>;
  /** Facts for every machine type reference (instance type name; flavor ID or name), keyed by the reference as given. */
  describeMachineTypes(refs: readonly string[]): Promise<Map<string, MachineTypeFacts>>;
  /**
   * Which of `refs` are offered in the region. `undefined` when the provider cannot tell (an embedded catalog
   * without offerings for that region) or when the question does not arise (OpenStack lists only what it offers).
   */
  offeredMachineTypes(refs: readonly string[]): Promise<Set<string> | undefined>;
  /** Every machine type of the region, for compatible alternatives (may be an embedded catalog). */
  candidateTypes(): Promise<CandidateTypes>;
  /**
   * Every image `owner` owns in the region, for `imglint matrix --type ... --owner ...` (AWS: `self`, `amazon` or
   * an account ID). Optional: providers that cannot list images leave it out.
   */
  listImages?(owner: string): Promise<ImageFacts[]>;
  /**
   * Every machine type of the region, fetched from the provider (AWS: every `DescribeInstanceTypes` page; OpenStack:
   * every flavor), for `imglint catalog pull`. Optional: providers that answer from a fixed catalog leave it out.
   */
  listMachineTypes?(): Promise<MachineTypeFacts[]>;
  /**
   * Every machine type the region offers (AWS: every `DescribeInstanceTypeOfferings` page, LocationType `region`).
   * Optional: left out where {@link offeredMachineTypes} has nothing to say (OpenStack lists only what it offers).
   */
  listOfferings?(): Promise<Set<string>>;
}
