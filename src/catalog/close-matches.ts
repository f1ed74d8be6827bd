import leven from 'leven';

/**
 * How many unknown references of one lookup get "did you mean" suggestions: the first 10, in request order. A list
 * of thousands of unknown names is not a list of typos, and suggesting for each (a walk of the whole catalog per
 * name) would cost seconds per thousand names; past these the names are still reported, without suggestions.
 */
export const MAX_SUGGESTED_REFS = 10;

/**
 * Up to `limit` candidate IDs, closest first, whose ID or one of whose names is within `maxEdits` edits of
 * `ref` or starts with it (case-insensitive): the "did you mean" of an unknown instance type or flavor.
 * Levenshtein is computed only for names whose length is within `maxEdits` of `ref`'s (no other can be that close;
 * a longer name that starts with `ref` is as many edits away as it has characters more), so a walk of the
 * embedded EC2 catalog costs a few hundred distance computations at most.
 */
export function closeMatches(ref: string, candidates: Iterable<readonly [id: string, names: readonly string[]]>, limit = 3, maxEdits = 2): string[] {
  const wanted = ref.toLowerCase();
  const scored: [distance: number, id: string][] = [];
  for (const [id, names] of candidates) {
    let best = Infinity;
    for (const name of [id, ...names]) {
      const distance = closeness(wanted, name.toLowerCase(), maxEdits);
      if (distance !== undefined) best = Math.min(best, distance);
    }
    if (best < Infinity) scored.push([best, id]);
  }
  scored.sort(([da, a], [db, b]) => da - db || (a < b ? -1 : a > b ? 1 : 0));
  return scored.slice(0, limit).map(([, id]) => id);
}

/** The edit distance of `folded` to `wanted` when it is at most `maxEdits` or `folded` starts with `wanted`; else undefined. */
function closeness(wanted: string, folded: string, maxEdits: number): number | undefined {
  const longer = folded.length - wanted.length;
  if (longer > maxEdits) return folded.startsWith(wanted) ? longer : undefined;
  if (longer < -maxEdits) return undefined;
  const edits = leven(wanted, folded);
  return edits <= maxEdits || folded.startsWith(wanted) ? edits : undefined;
}

/**
 * {@link closeMatches} for the unknown references of one lookup, each distinct reference once: the first
 * {@link MAX_SUGGESTED_REFS} get their matches, the others none, so the work stays small however many are unknown.
 *
 * @returns reference -> its close matches (possibly empty); a reference past the limit is absent.
 */
export function closeMatchesFor(
  refs: Iterable<string>,
  candidates: readonly (readonly [id: string, names: readonly string[]])[],
): Map<string, string[]> {
  const matches = new Map<string, string[]>();
  for (const ref of refs) {
    if (matches.size >= MAX_SUGGESTED_REFS) break;
    if (!matches.has(ref)) matches.set(ref, closeMatches(ref, candidates));
  }
  return matches;
}

/** How many unknown references an error message names before it counts the rest. */
const NAMED_REFS = 20;

/** `a, b, c`: the references an error is about, the first 20 named and the rest counted (`... and 99,980 more`). */
export function listNames(refs: readonly string[]): string {
  if (refs.length <= NAMED_REFS) return refs.join(', ');
  return `${refs.slice(0, NAMED_REFS).join(', ')} and ${(refs.length - NAMED_REFS).toLocaleString('en-US')} more`;
}

/** `Did you mean a, b or c?` (with `ref: ` in front when several refs are unknown); empty without matches. */
export function didYouMean(ref: string, matches: readonly string[], several: boolean): string[] {
  if (matches.length === 0) return [];
  const list = matches.length > 1 ? `${matches.slice(0, -1).join(', ')} or ${matches.at(-1)}` : matches[0];
  return [`${several ? `${ref}: did` : 'Did'} you mean ${list}?`];
}

/**
 * ` (did you mean a or b?)` for the candidates close to `ref`; empty when none is.
 *
 * @param ref - what the user wrote.
 * @param candidates - the values that would have been valid.
 */
export function suggestion(ref: string, candidates: readonly string[]): string {
  const [phrase] = didYouMean(ref, closeMatches(ref, candidates.map((candidate) => [candidate, []] as const)), false);
  // `Did you mean x?` is a sentence; here it is a parenthesis after the problem.
  return phrase === undefined ? '' : ` (${phrase.charAt(0).toLowerCase()}${phrase.slice(1)})`;
}
