import type { FlavorFacts } from '../model/index.js';
import { closeMatchesFor, didYouMean } from './close-matches.js';

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
 * The "did you mean" of the flavor references of one lookup that no flavor answers to: up to 3 close flavor ids (by id
 * or name) for each of the first references (see `closeMatchesFor`), computed once here.
 *
 * @returns for one of `unknown`, the suggestion as {@link didYouMean} words it (`ref: ` in front when `several`
 *   references are unknown); empty without any.
 */
export function flavorSuggestions(unknown: readonly string[], flavors: readonly FlavorFacts[]): (ref: string, several: boolean) => string[] {
  const matches = closeMatchesFor(unknown, flavors.map((flavor) => [flavor.id, [flavor.name]] as const));
  return (ref, several) => didYouMean(ref, matches.get(ref) ?? [], several);
}
