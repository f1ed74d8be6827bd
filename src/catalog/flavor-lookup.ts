import type { FlavorFacts } from '../model/index.js';
import { closeMatches, didYouMean } from './close-matches.js';

/**
 * The flavor a reference names, as `--type` and `flavorRef` resolve it: the first whose id is `ref`, else the first
 * whose name is `ref`, else the first whose name (and id, unless `ids: 'exact'`) is `ref` ignoring case.
 *
 * @param options.ids - `'exact'`: ids match only exactly (the live OpenStack provider); default `'ignore-case'`
 *   (the embedded catalog and snapshots, whose ids and names are unique ignoring case).
 */
export function findFlavor(
  flavors: readonly FlavorFacts[],
  ref: string,
  { ids = 'ignore-case' }: { ids?: 'exact' | 'ignore-case' } = {},
): FlavorFacts | undefined {
  const folded = ref.toLowerCase();
  return (
    flavors.find((flavor) => flavor.id === ref) ??
    flavors.find((flavor) => flavor.name === ref) ??
    flavors.find((flavor) => (ids === 'ignore-case' && flavor.id.toLowerCase() === folded) || flavor.name.toLowerCase() === folded)
  );
}

/**
 * The "did you mean" of a flavor reference no flavor answers to: up to 3 close flavor ids (by id or name), as
 * {@link didYouMean} words it (`ref: ` in front when `several` references are unknown); empty without any.
 */
export function flavorSuggestions(ref: string, flavors: readonly FlavorFacts[], several: boolean): string[] {
  return didYouMean(ref, closeMatches(ref, flavors.map((flavor) => [flavor.id, [flavor.name]] as const)), several);
}
