import type { CatalogSource, ImageFacts, MachineTypeFacts, ProviderId } from '../src/model/index.js';

/**
 * What every provider adapter implements. Each method covers many names in as few API calls as the
 * provider allows, and throws `InputError` (unknown image or type) or `ProviderApiError` (auth, network,
 * throttling after retries). Facts come back normalized and validated.
 */
export interface Provider {
  readonly id: ProviderId;
  /** The region the adapter talks to (resolved from flags, environment or the SDK's configuration). */
  region(): Promise<string>;
  /** Where the machine type facts come from, for the report. */
  readonly catalogSource: CatalogSource;
  /** Facts for every image ID; throws `InputError` naming the first one that does not exist. */
  describeImages(ids: readonly string[]): Promise<Map<string, ImageFacts>>;
  /** Facts for every machine type name; throws `InputError` naming the unknown ones. */
  describeMachineTypes(names: readonly string[]): Promise<Map<string, MachineTypeFacts>>;
  /**
   * Which of `names` are offered in the region. `undefined` when the provider cannot tell
   * (an embedded catalog without offerings for that region).
   */
  offeredMachineTypes(names: readonly string[]): Promise<Set<string> | undefined>;
}
