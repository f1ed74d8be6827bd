/**
 * The verdict of rule instance-requirements on every mix of selected and undecided types that can and cannot run the
 * image: a finding only when it holds whatever EC2 picks among the undecided types, unverifiable otherwise.
 */
import { describe, expect, it } from 'vitest';
import { judgeRequirements, type RequirementsOutcome } from '../../src/rules/instance-requirements.js';

/** `fit` and `unfit` types selected for sure; `undecidedFit` and `undecidedUnfit` that may be selected. */
function outcome(fit: number, unfit: string[], undecidedFit: number, undecidedUnfit: string[]): RequirementsOutcome {
  const unfitTypes = (names: string[]) => names.map((type) => ({ type, ruleIds: ['ena-support'] }));
  return {
    image: 'ami-0e0a0000000000001',
    region: 'us-east-1',
    requirements: 'instance requirements (VCpuCount 2-4, MemoryMiB 0-∞, TotalLocalStorageGB)',
    selectable: fit + unfit.length,
    unfit: unfitTypes(unfit),
    undecided: undecidedFit + undecidedUnfit.length,
    undecidedUnfit: unfitTypes(undecidedUnfit),
    notEvaluated: [`TotalLocalStorageGB for ${undecidedFit + undecidedUnfit.length} types`],
    catalog: 'fixture types',
  };
}

const verdictOf = (result: ReturnType<typeof judgeRequirements>) =>
  result.unverifiable !== undefined ? 'unverifiable' : (result.violation?.severity ?? 'pass');

describe('judgeRequirements', () => {
  it('decides what holds of every real selection (the selected types and any of the undecided ones)', () => {
    const cases: [Parameters<typeof outcome>, string][] = [
      [[1, ['m5d.large'], 0, []], 'warning'],
      [[1, ['m5d.large'], 1, []], 'warning'],
      // Selected types that can and that cannot run it are both in every real selection.
      [[1, ['m5d.large'], 0, ['m5.large']], 'warning'],
      [[1, ['m5d.large'], 1, ['m5.large']], 'warning'],
      [[2, [], 0, []], 'pass'],
      [[2, [], 3, []], 'pass'],
      // A warning if EC2 picks the undecided m5.large, nothing if it does not.
      [[2, [], 0, ['m5.large']], 'unverifiable'],
      // An error if EC2 picks no undecided type that can run it, a warning if it does.
      [[0, ['m5d.large'], 1, []], 'unverifiable'],
      [[0, ['m5d.large'], 1, ['m5.large']], 'unverifiable'],
      [[0, [], 1, ['m5.large']], 'unverifiable'],
      [[0, [], 2, []], 'unverifiable'],
      [[0, ['m5d.large'], 0, ['m5.large']], 'error'],
      [[0, ['m5d.large'], 0, []], 'error'],
      [[0, [], 0, ['m5.large']], 'error'],
      [[0, [], 0, []], 'unverifiable'],
    ];
    expect(cases.map(([args]) => verdictOf(judgeRequirements(outcome(...args))))).toEqual(cases.map(([, verdict]) => verdict));
  });

  it('names the selected types that cannot run the image, and counts the undecided ones that cannot either', () => {
    const { violation } = judgeRequirements(outcome(1, ['m5d.large'], 2, ['m5.large', 'c5n.large']));
    expect(violation?.message).toBe(
      '1 of the 2 instance types that instance requirements (VCpuCount 2-4, MemoryMiB 0-∞, TotalLocalStorageGB) select in us-east-1 cannot run AMI ami-0e0a0000000000001: m5d.large (ena-support); of the 4 more they may select (imglint cannot decide TotalLocalStorageGB for 4 types), 2 cannot run it either',
    );
    expect(judgeRequirements(outcome(1, ['m5d.large'], 2, [])).violation?.message).toMatch(/: m5d\.large \(ena-support\)$/);
  });
});
