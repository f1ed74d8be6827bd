import leven from 'leven';

/**
 * Up to `limit` candidate IDs, closest first, whose ID or one of whose names is within `maxEdits` edits of
 * `ref` or starts with it (case-insensitive): the "did you mean" of an unknown instance type or flavor.
 */
export function closeMatches(ref: string, candidates: Iterable<readonly [id: string, names: readonly string[]]>, limit = 3, maxEdits = 2): string[] {
  const wanted = ref.toLowerCase();
  const scored: [distance: number, id: string][] = [];
  for (const [id, names] of candidates) {
    let best = Infinity;
    for (const name of [id, ...names]) {
      const folded = name.toLowerCase();
      const edits = leven(wanted, folded);
      if (edits <= maxEdits || folded.startsWith(wanted)) best = Math.min(best, edits);
    }
    if (best < Infinity) scored.push([best, id]);
  }
  scored.sort(([da, a], [db, b]) => da - db || (a < b ? -1 : a > b ? 1 : 0));
  return scored.slice(0, limit).map(([, id]) => id);
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
