/** The time the catalog tests run at: 2026-11-29T08:00:00Z. */
export const T0 = Date.parse('2026-11-29T08:00:00.000Z');

/** A clock the test moves: `now()` is `start` (default {@link T0}) plus every `advance(ms)` so far. */
export function clock(start = T0) {
  let current = start;
  return { now: () => new Date(current), advance: (ms: number) => (current += ms) };
}
