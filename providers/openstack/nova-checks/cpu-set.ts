import { NovaRaise } from './nova-raise.js';
import { PySet } from './py-set.js';
import { pyInt, pyRepr, pyStrip } from './python.js';

/**
 * A set of guest CPU numbers as Nova's `nova.virt.hardware.parse_cpu_spec` builds it (`"0-3,^2,6"`). Membership,
 * size and comparisons work on sorted ranges, whatever the size; the iteration order (which Nova's messages follow)
 * is CPython's, computed slot for slot for sets built from at most {@link ORDER_LIMIT} insertions, and ascending
 * beyond (marked {@link CpuSet.orderInferred}).
 */
export class CpuSet {
  /** Sorted, disjoint, non-adjacent `[first, last]` ranges. */
  readonly ranges: readonly (readonly [bigint, bigint])[];
  /** CPython's iteration order: the elements, `ascending`, or `unknown` (ascending is then a guess). */
  private readonly order: readonly bigint[] | 'ascending' | 'unknown';

  constructor(ranges: readonly (readonly [bigint, bigint])[], order: readonly bigint[] | 'ascending' | 'unknown') {
    this.ranges = ranges;
    this.order = order;
  }

  /**
   * `set(range(count))`: CPUs `0..count-1`. CPython iterates it, and what is left of it after removals, in
   * ascending order: every element is below the table size, so each sits in the slot of its own value.
   */
  static upTo(count: bigint): CpuSet {
    return new CpuSet(count > 0n ? [[0n, count - 1n]] : [], 'ascending');
  }

  get size(): bigint {
    return this.ranges.reduce((sum, [first, last]) => sum + last - first + 1n, 0n);
  }

  get isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  /** True when the iteration order is a guess (ascending): the set was too large to replay. */
  get orderInferred(): boolean {
    return this.order === 'unknown' && this.size > 1n;
  }

  has(cpu: bigint): boolean {
    return this.ranges.some(([first, last]) => first <= cpu && cpu <= last);
  }

  /** `self <= other`. */
  isSubsetOf(other: CpuSet): boolean {
    return this.ranges.every(([first, last]) => other.ranges.some(([a, b]) => a <= first && last <= b));
  }

  equals(other: CpuSet): boolean {
    return this.ranges.length === other.ranges.length && this.ranges.every(([a, b], i) => a === other.ranges[i]![0] && b === other.ranges[i]![1]);
  }

  /** `self - other`, as removals from this set (which keep the remaining elements' order). */
  minus(other: CpuSet): CpuSet {
    const ranges = subtract(this.ranges, other.ranges);
    return new CpuSet(ranges, typeof this.order === 'string' ? this.order : this.order.filter((cpu) => !other.has(cpu)));
  }

  /** The CPUs in the order CPython iterates them. */
  *[Symbol.iterator](): IterableIterator<bigint> {
    if (typeof this.order !== 'string') {
      yield* this.order;
      return;
    }
    for (const [first, last] of this.ranges) for (let cpu = first; cpu <= last; cpu++) yield cpu;
  }

  /**
   * The set as oslo.versionedobjects' `Set(Integer())` field coerces it (image property `hw_numa_cpus`): a new set
   * filled in this set's iteration order, then merged into an empty one. The layout, hence the order, may change.
   */
  coerced(): CpuSet {
    if (typeof this.order === 'string') return this;
    const filled = new PySet();
    for (const cpu of this.order) filled.add(cpu);
    const merged = new PySet();
    merged.update(filled);
    return new CpuSet(this.ranges, [...merged]);
  }

  /** `str(set)`: `{2, 3}`, or `set()` when empty. */
  toString(): string {
    return this.isEmpty ? 'set()' : `{${[...this].join(', ')}}`;
  }
}

/** Sets built from more insertions than this keep ascending order instead of CPython's (see {@link CpuSet}). */
export const ORDER_LIMIT = 8_192n;

/**
 * `nova.virt.hardware.parse_cpu_spec(spec)`.
 *
 * @throws {@link NovaRaise} `Invalid` ("Invalid range expression '3-1'", "Invalid exclusion expression '^x'",
 *   "Invalid inclusion expression 'x'"), as Nova does.
 */
export function parseCpuSpec(spec: string): CpuSet {
  let included: (readonly [bigint, bigint])[] = [];
  let rejected: (readonly [bigint, bigint])[] = [];
  const steps: { reject: boolean; first: bigint; last: bigint; single: boolean }[] = [];
  for (const raw of spec.split(',')) {
    const rule = pyStrip(raw);
    if (rule.length < 1) continue;
    const dash = rule.indexOf('-');
    if (dash >= 0) {
      let head = rule.slice(0, dash);
      const reject = head.startsWith('^');
      if (reject) head = head.slice(1);
      const start = pyInt(pyStrip(head));
      const end = pyInt(pyStrip(rule.slice(dash + 1)));
      if (!('value' in start) || !('value' in end) || start.value > end.value) {
        throw new NovaRaise('Invalid', `Invalid range expression ${pyRepr(rule)}`);
      }
      steps.push({ reject, first: start.value, last: end.value, single: false });
    } else if (rule.startsWith('^')) {
      const cpu = pyInt(pyStrip(rule.slice(1)));
      if (!('value' in cpu)) throw new NovaRaise('Invalid', `Invalid exclusion expression ${pyRepr(rule)}`);
      steps.push({ reject: true, first: cpu.value, last: cpu.value, single: true });
    } else {
      const cpu = pyInt(rule);
      if (!('value' in cpu)) throw new NovaRaise('Invalid', `Invalid inclusion expression ${pyRepr(rule)}`);
      steps.push({ reject: false, first: cpu.value, last: cpu.value, single: true });
    }
  }
  for (const step of steps) {
    if (step.reject) rejected = union(rejected, [step.first, step.last]);
    else included = union(included, [step.first, step.last]);
  }
  return new CpuSet(subtract(included, rejected), replay(steps) ?? 'unknown');
}

/** The CPython iteration order of `parse_cpu_spec`'s result, or `undefined` when the replay would be too large. */
function replay(steps: readonly { reject: boolean; first: bigint; last: bigint; single: boolean }[]): bigint[] | undefined {
  const inserted = steps.reduce((sum, step) => sum + step.last - step.first + 1n, 0n);
  if (inserted > ORDER_LIMIT) return undefined;
  const cpus = new PySet();
  const rejects = new PySet();
  for (const step of steps) {
    const target = step.reject ? rejects : cpus;
    if (step.single) target.add(step.first);
    else target.update(PySet.fromRange(step.first, step.last));
  }
  cpus.differenceUpdate(rejects);
  return [...cpus];
}

function union(ranges: readonly (readonly [bigint, bigint])[], added: readonly [bigint, bigint]): (readonly [bigint, bigint])[] {
  const all = [...ranges, added].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const merged: [bigint, bigint][] = [];
  for (const [first, last] of all) {
    const previous = merged[merged.length - 1];
    if (previous && first <= previous[1] + 1n) previous[1] = last > previous[1] ? last : previous[1];
    else merged.push([first, last]);
  }
  return merged;
}

function subtract(
  ranges: readonly (readonly [bigint, bigint])[],
  removed: readonly (readonly [bigint, bigint])[],
): readonly (readonly [bigint, bigint])[] {
  let result = ranges;
  for (const [a, b] of removed) {
    result = result.flatMap(([first, last]): (readonly [bigint, bigint])[] => {
      if (b < first || a > last) return [[first, last]];
      const kept: (readonly [bigint, bigint])[] = [];
      if (first < a) kept.push([first, a - 1n]);
      if (b < last) kept.push([b + 1n, last]);
      return kept;
    });
  }
  return result;
}
