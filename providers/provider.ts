import { ImglintError } from '../src/errors.js';
import type { CatalogSource, ImageFacts, MachineTypeFacts, ProviderId } from '../src/model/index.js';

/**
 * Milliseconds all of a run's provider calls may take together unless the caller says otherwise (`--timeout`,
 * `timeoutMs`): 60 s, enough for the few calls a check makes per region even after retries.
 */
export const DEFAULT_PROVIDER_TIMEOUT_MS = 60_000;

/** Every machine type a region offers, to find compatible alternatives; and where that list came from. */
export interface CandidateTypes {
  types: Iterable<MachineTypeFacts>;
  /** Types offered in the region; undefined when every listed type is (OpenStack) or nothing is known. */
  offered: ReadonlySet<string> | undefined;
  /** Where the types are offered among the region's availability zones (AWS), when known. */
  zones?: ZoneOfferings;
  source: CatalogSource;
}

/** Where instance types are offered among a region's availability zones (`DescribeInstanceTypeOfferings`). */
export interface ZoneOfferings {
  /**
   * The zones (names like `us-east-1a` and/or IDs like `use1-az1`) the answer covers; `undefined` when it covers every
   * zone it was asked about (a live answer: EC2 knows the caller's zones).
   */
  readonly zones: ReadonlySet<string> | undefined;
  /** The covered zones that offer `type` (an instance type name); empty when none does. */
  offering(type: string): ReadonlySet<string>;
  /** Why a zone outside {@link ZoneOfferings.zones} is not judged (for the report's notice). */
  notJudged?(zone: string): string;
}

/** The offerings of some instance types in a region and its zones. */
export interface OfferingsAnswer {
  /** The types offered in the region; undefined when the provider cannot tell. */
  offered: ReadonlySet<string> | undefined;
  /** Where they are offered among the region's zones; undefined when the provider cannot tell. */
  zones: ZoneOfferings | undefined;
}

/** What a provider knows about its region before anything is asked of it: see {@link Provider.checkRegion}. */
export interface RegionCheck {
  /** Something the report must say about the region (its offerings are not judged offline, and why). */
  notice?: string;
}

/**
 * What every provider adapter implements. Each method covers many references in as few API calls as the
 * provider allows, and throws `InputError` (unknown image or type, naming it) or `ProviderApiError` (auth,
 * network, throttling or 5xx after retries, malformed responses). Facts come back normalized and validated.
 * When `describeImages` or `describeMachineTypes` finds some references and not others, its error carries each
 * unknown reference's own error and the facts found ({@link withUnknownReferences}), so a batch answers for every
 * target without a second lookup.
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
  /**
   * Which of `refs` are offered in the region and in which of its availability zones, for launches pinned to `zones`
   * (names or IDs): AWS asks `DescribeInstanceTypeOfferings` once per location kind named (LocationType
   * `availability-zone` and/or `availability-zone-id`) and derives the region's answer from its zones, so a check
   * with zones costs no more calls than one without. Optional: providers without zones leave it out.
   */
  zoneOfferings?(refs: readonly string[], zones: readonly string[]): Promise<OfferingsAnswer>;
  /**
   * Validates the region's name before anything is asked of it. Optional.
   * @throws InputError `UnknownRegion` for a name that is no region of the provider (with close names as a hint).
   */
  checkRegion?(): Promise<RegionCheck>;
  /** Every machine type of the region, for compatible alternatives (may be an embedded catalog). */
  candidateTypes(): Promise<CandidateTypes>;
  /**
   * Every image `owner` owns in the region, for `imglint matrix --type ... --owner ...` (AWS: `self`, `amazon` or
   * an account ID). Optional: providers that cannot list images leave it out.
   */
  listImages?(owner: string): Promise<ImageFacts[]>;
  /**
   * Every machine type of the region, fetched from the provider (AWS: every `DescribeInstanceTypes` page, each type
   * with its `selection` facts for instance requirements; OpenStack: every flavor), for `imglint catalog pull`,
   * `imglint matrix` and instance requirements. Optional: providers that answer from a fixed catalog leave it out.
   */
  listMachineTypes?(): Promise<MachineTypeFacts[]>;
  /**
   * Every machine type the region offers (AWS: every `DescribeInstanceTypeOfferings` page, LocationType `region`).
   * Optional: left out where {@link offeredMachineTypes} has nothing to say (OpenStack lists only what it offers).
   */
  listOfferings?(): Promise<Set<string>>;
  /**
   * Every instance type each availability zone of the region offers (AWS: every `DescribeInstanceTypeOfferings` page
   * with LocationType `availability-zone`, then `availability-zone-id`), by zone name and by zone ID, for
   * `imglint catalog pull`. Optional.
   */
  listZoneOfferings?(): Promise<Map<string, Set<string>>>;
}

/**
 * What {@link Provider.describeImages} and {@link Provider.describeMachineTypes} attach to the error they throw
 * when only some references are unknown, so that one batch answers for every target: each unknown reference's own
 * error (what the lookup would have thrown for that reference alone) and the facts of the references it found.
 */
export interface UnknownReferences<T> {
  /** Unknown reference -> its error (`ImageNotFound`, `InstanceTypeNotFound`, ...), in request order. */
  readonly unknown: ReadonlyMap<string, ImglintError>;
  /** Found reference -> facts; may hold fewer than all found (a wrapper that answered some itself). */
  readonly found: ReadonlyMap<string, T>;
}

/**
 * `error` (what the lookup throws to a caller that wants one error) carrying the {@link UnknownReferences}: the
 * error of each unknown reference and the facts found.
 */
export function withUnknownReferences<T>(
  error: ImglintError,
  unknown: ReadonlyMap<string, ImglintError>,
  found: ReadonlyMap<string, T>,
): ImglintError {
  const details: UnknownReferences<T> = { unknown, found };
  return Object.assign(error, { unknownReferences: details });
}

/**
 * The error a lookup throws when `unknown` references are not found: `errorFor(unknown)` naming them all, carrying
 * `errorFor([ref])` for each (the error that reference alone would get) and the facts found.
 *
 * @param unknown - the unknown references, at least one, in request order.
 * @param found - the facts of the references that were found.
 * @param errorFor - builds the error for a list of unknown references.
 */
export function unknownReferencesError<T>(
  unknown: readonly string[],
  found: ReadonlyMap<string, T>,
  errorFor: (refs: readonly string[]) => ImglintError,
): ImglintError {
  return withUnknownReferences(errorFor(unknown), new Map(unknown.map((ref) => [ref, errorFor([ref])])), found);
}

/** The {@link UnknownReferences} an error carries, if {@link withUnknownReferences} built it. */
export function unknownReferencesOf<T>(error: unknown): UnknownReferences<T> | undefined {
  if (!ImglintError.is(error)) return undefined;
  const details = (error as { unknownReferences?: UnknownReferences<T> }).unknownReferences;
  return details?.unknown instanceof Map && details.found instanceof Map ? details : undefined;
}
