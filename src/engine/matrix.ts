import { closeMatches, didYouMean } from '../catalog/close-matches.js';
import { UsageError } from '../errors.js';
import type { Finding, ImageFacts, MachineTypeFacts } from '../model/index.js';
import { rules, rulesFor, type RuleContext } from '../rules/index.js';
import { violationSeverity } from '../rules/rule.js';
import { machineTypeRef, typeJudgingRules, zonePlacement, type CandidateScope } from './alternatives.js';
import { lint } from './lint.js';

/**
 * `imglint matrix`: an image against every instance type (or flavor) of a catalog, and one type against a set of
 * images. Pure functions over facts; the verdicts judge as {@link compatibleTypes} does, with the rules' own `violates`,
 * the same implementation `check` uses for its fix hints.
 */

/** Narrows the catalog before it is judged; every filter given must hold. */
export interface MatrixFilters {
  /** Exact family names (`m5`, `c6g`, `general1`); empty or absent: every family. */
  families?: readonly string[];
  /** Only current-generation instance types (AWS `CurrentGeneration`). */
  currentGeneration?: boolean;
  /** At least this many vCPUs. */
  minVcpus?: number;
  /** At least this much memory, in GiB (1 GiB = 1,024 MiB). */
  minMemoryGiB?: number;
}

/** One instance type or flavor as the matrix shows it. */
export interface MatrixType {
  /** The name users pass: instance type name (AWS) or flavor ID. */
  ref: string;
  /** AWS: the name before the `.` (`c5` of `c5.large`); flavors: the flavor class, else the ID before the first `-`. */
  family: string;
  /** AWS: the name after the `.` (`large`); flavors: the ID after the first `-`, else the whole ID. */
  size: string;
  vcpus: number;
  memoryGiB: number;
  /** AWS `CurrentGeneration`; undefined for flavors. */
  currentGeneration: boolean | undefined;
}

/** A judged type: compatible when `blockedBy` is empty. */
export interface JudgedType extends MatrixType {
  /** IDs of the error rules that each, on their own, keep the image off this type, in rule order. */
  blockedBy: string[];
  /** Warning findings a compatible type still has (0 for blocked types). */
  warnings: number;
}

/** How many judged types (or images) a rule blocks. */
export interface RuleCount {
  ruleId: string;
  count: number;
}

/** Where an image can run: {@link matrixForImage}. */
export interface ImageMatrix {
  image: ImageFacts;
  region: string;
  /** Every type judged (the catalog after the filters), by family, then size (nano ... metal). */
  types: JudgedType[];
  /** Families with at least one compatible type, in the order of `types`. */
  compatibleFamilies: string[];
  /** Number of compatible types. */
  compatible: number;
  /**
   * Blocked types per rule, most first (ties in rule order). A type blocked by several rules counts under each, so
   * the counts can add up to more than the number of blocked types.
   */
  blockedBy: RuleCount[];
  /**
   * Error and warning findings of rules that do not depend on the type (image state, deprecation, disk config): they
   * hold for every type alike, so they are reported here rather than counted against each type.
   */
  imageFindings: Finding[];
}

/** One image's verdict on the type of a {@link TypeMatrix}. */
export interface ImageVerdict {
  image: ImageFacts;
  /** IDs of the rules with error findings for this pair, in rule order; empty when the image can run on the type. */
  blockedBy: string[];
  /** Warning findings of the pair. */
  warnings: number;
}

/** Which images can run on a type: {@link matrixForType}. */
export interface TypeMatrix {
  type: MatrixType;
  region: string;
  /** Every image, compatible ones first, then by name (or ID when unnamed). */
  images: ImageVerdict[];
  /** Number of images that can run on the type. */
  compatible: number;
  /** Blocked images per rule, most first; an image blocked by several rules counts under each. */
  blockedBy: RuleCount[];
}

/** Rules that fail or pass every type alike: reported once per image, not per type. */
const typeIndependentRules = rules.filter((rule) => !rule.curedByOtherType && rule.severity !== 'info');

/**
 * Judges `image` against every candidate type that passes `filters`: a type is compatible when no error rule that
 * another type would cure fails ({@link compatibleTypes}); for the others, every such rule that fails on its own is
 * named. Findings that hold for every type (an image that is not available) are in `imageFindings`.
 *
 * @throws UsageError when a filter names a family the candidates do not have, or asks for the current generation of
 *   flavors.
 */
export function matrixForImage(
  image: ImageFacts,
  candidates: Iterable<MachineTypeFacts>,
  scope: CandidateScope,
  filters: MatrixFilters = {},
): ImageMatrix {
  const all = [...candidates];
  const judged = sortTypes(applyFilters(all, filters));
  // One pass over the types with the rules compatibleTypes judges by (no infos, only what another type cures): a type
  // fits when none of them is an error for it; a blocked type names every error rule that fails on its own.
  const judgingFor = typeJudgingRules();
  const judges = rulesFor(image.provider).filter((rule) => rule.severity === 'error' && rule.curedByOtherType);
  const tally = new Map<string, number>();
  let compatible = 0;
  // One context, its type and offering set for each type in turn (rules are pure and keep nothing): a catalog has
  // over a thousand types.
  let context: { -readonly [K in keyof RuleContext]: RuleContext[K] } | undefined;
  const types = judged.map(({ type, family, size }): JudgedType => {
    if (context === undefined) context = pairContext(image, type, scope);
    else {
      context.type = type;
      context.offeredInRegion = scope.offered?.has(machineTypeRef(type));
    }
    const typeRules = judgingFor(type.provider);
    const blockedBy: string[] = [];
    let warnings = 0;
    let fails = false;
    for (let index = 0; index < typeRules.length; index += 1) {
      const rule = typeRules[index]!;
      if (!rule.violates(context)) continue;
      if (violationSeverity(rule, context) !== 'error') {
        warnings += 1;
        continue;
      }
      fails = true;
      if (rule.severity !== 'error' || !judges.includes(rule)) continue;
      blockedBy.push(rule.id);
      tally.set(rule.id, (tally.get(rule.id) ?? 0) + 1);
    }
    if (fails) return judgedType(type, family, size, blockedBy, 0);
    // As compatibleTypes ranks them: a type missing from a requested zone counts one warning more.
    const zones = scope.zones && zonePlacement(scope.zones.requested, scope.zones.offerings, machineTypeRef(type));
    if (zones !== undefined && zones.requested.some((zone) => !zones.offering.includes(zone))) warnings += 1;
    compatible += 1;
    return judgedType(type, family, size, blockedBy, warnings);
  });
  const counts: RuleCount[] = judges.flatMap((rule) => (tally.has(rule.id) ? [{ ruleId: rule.id, count: tally.get(rule.id)! }] : []));
  const first = all[0];
  return {
    image,
    region: scope.region,
    types,
    compatibleFamilies: [...new Set(types.filter((type) => type.blockedBy.length === 0).map((type) => type.family))],
    compatible,
    blockedBy: byCount(counts),
    imageFindings:
      first === undefined
        ? []
        : lint(pairContext(image, first, scope), typeIndependentRules).filter((finding) => finding.severity !== 'info'),
  };
}

/**
 * Judges every image against one type with every rule (`lint`, as `check` does): an image can run on the type when
 * no finding is an error. Unlike {@link matrixForImage}, rules that do not depend on the type (image state) count
 * here, because they tell images apart.
 */
export function matrixForType(type: MachineTypeFacts, images: Iterable<ImageFacts>, scope: CandidateScope): TypeMatrix {
  const verdicts: ImageVerdict[] = [];
  for (const image of new Map([...images].map((image) => [image.id, image])).values()) {
    const findings = lint(pairContext(image, type, scope));
    verdicts.push({
      image,
      blockedBy: findings.filter((finding) => finding.severity === 'error').map((finding) => finding.ruleId),
      warnings: findings.filter((finding) => finding.severity === 'warning').length,
    });
  }
  const label = (verdict: ImageVerdict) => verdict.image.name ?? verdict.image.id;
  verdicts.sort(
    (a, b) =>
      Number(a.blockedBy.length > 0) - Number(b.blockedBy.length > 0) ||
      compareText(label(a), label(b)) ||
      compareText(a.image.id, b.image.id),
  );
  const counts = rules.flatMap((rule) => {
    const count = verdicts.filter((verdict) => verdict.blockedBy.includes(rule.id)).length;
    return count > 0 ? [{ ruleId: rule.id, count }] : [];
  });
  return {
    type: describeType(type),
    region: scope.region,
    images: verdicts,
    compatible: verdicts.filter((verdict) => verdict.blockedBy.length === 0).length,
    blockedBy: byCount(counts),
  };
}

function pairContext(image: ImageFacts, type: MachineTypeFacts, scope: CandidateScope) {
  const offeredInRegion = scope.offered?.has(machineTypeRef(type));
  return { image, type, region: scope.region, offeredInRegion, launch: scope.launch, now: scope.now };
}

/** The family of a type: `c5` of `c5.large`, `u-6tb1` of `u-6tb1.metal`; a flavor's class, or `general1` of `general1-1`. */
function familyOf(type: MachineTypeFacts): string {
  if (type.provider === 'aws') return before(type.name, '.');
  return type.flavorClass ?? before(type.id, '-');
}

/** `text` up to the first `separator`; all of it when there is none. */
function before(text: string, separator: string): string {
  const at = text.indexOf(separator);
  return at === -1 ? text : text.slice(0, at);
}

function sizeOf(type: MachineTypeFacts): string {
  const ref = machineTypeRef(type);
  const separator = ref.indexOf(type.provider === 'aws' ? '.' : '-');
  return separator === -1 ? ref : ref.slice(separator + 1);
}

function describeType(type: MachineTypeFacts): MatrixType {
  return {
    ref: machineTypeRef(type),
    family: familyOf(type),
    size: sizeOf(type),
    vcpus: type.vcpus,
    memoryGiB: type.memoryMiB / 1024,
    currentGeneration: type.provider === 'aws' ? type.currentGeneration : undefined,
  };
}

/** {@link describeType} with the verdict, for a type whose family and size are known. */
function judgedType(type: MachineTypeFacts, family: string, size: string, blockedBy: string[], warnings: number): JudgedType {
  return {
    ref: machineTypeRef(type),
    family,
    size,
    vcpus: type.vcpus,
    memoryGiB: type.memoryMiB / 1024,
    currentGeneration: type.provider === 'aws' ? type.currentGeneration : undefined,
    blockedBy,
    warnings,
  };
}

function applyFilters(types: readonly MachineTypeFacts[], filters: MatrixFilters): MachineTypeFacts[] {
  const families = new Set(filters.families ?? []);
  if (families.size > 0) {
    const known = new Set(types.map(familyOf));
    const unknown = [...families].filter((family) => !known.has(family));
    if (unknown.length > 0) throw unknownFamilies(unknown, known);
  }
  if (filters.currentGeneration && types.some((type) => type.provider !== 'aws')) {
    throw new UsageError('--current-generation applies to AWS instance types; flavors have no generation flag', {
      hint: 'filter flavors with --family, --min-vcpus or --min-memory',
    });
  }
  const minVcpus = filters.minVcpus ?? 0;
  const minMemoryMiB = (filters.minMemoryGiB ?? 0) * 1024;
  return types.filter(
    (type) =>
      (families.size === 0 || families.has(familyOf(type))) &&
      (!filters.currentGeneration || (type.provider === 'aws' && type.currentGeneration)) &&
      type.vcpus >= minVcpus &&
      type.memoryMiB >= minMemoryMiB,
  );
}

/** A `UsageError` naming the unknown families, with the catalog's closest family names as the hint. */
function unknownFamilies(unknown: readonly string[], known: ReadonlySet<string>): UsageError {
  const candidates = [...known].map((family) => [family, []] as const);
  const suggestions = unknown.flatMap((family) => didYouMean(family, closeMatches(family, candidates), unknown.length > 1));
  const label = unknown.length > 1 ? 'families' : 'family';
  return new UsageError(`unknown ${label} ${unknown.join(', ')}: not in the catalog`, {
    hint: [...suggestions, 'A family is the part of an instance type name before the dot (--family m5), or a flavor class.'].join(' '),
  });
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Letters and numbers of a name, numbers as numbers, so `m2` sorts before `m10`. */
function naturalKey(name: string): (string | number)[] {
  return (name.match(/\d+|\D+/g) ?? []).map((part) => (/^\d/.test(part) ? Number(part) : part));
}

function compareKeys(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return compareText(String(x), String(y));
  }
  return a.length - b.length;
}

/** Family order: by letters, then generation numerically, then suffix (`c5`, `c5a`, `c5ad`, `c6g`, `m1`, `m10`). */
function compareFamilies(a: string, b: string): number {
  return compareKeys(naturalKey(a), naturalKey(b));
}

const NAMED_SIZES = ['nano', 'micro', 'small', 'medium', 'large', 'xlarge'];

/**
 * Size order: nano, micro, small, medium, large, xlarge, 2xlarge ... 224xlarge, metal, metal-12xl ... metal-96xl;
 * numeric flavor sizes by number; anything else after those, by name.
 */
function sizeKey(size: string): (string | number)[] {
  const named = NAMED_SIZES.indexOf(size);
  if (named !== -1) return [0, named];
  const multiple = /^(\d+)xlarge$/.exec(size);
  if (multiple) return [0, NAMED_SIZES.length + Number(multiple[1])];
  if (size === 'metal') return [1, 0];
  const metal = /^metal-(\d+)xl$/.exec(size);
  if (metal) return [1, Number(metal[1])];
  return [2, ...naturalKey(size)];
}

/** The types in display order, each with its family and size. */
function sortTypes(types: readonly MachineTypeFacts[]): { type: MachineTypeFacts; family: string; size: string }[] {
  // Natural keys are compared only to rank the distinct families and sizes (a catalog has a few hundred families and
  // a few dozen sizes); the types are then placed by (family, size) rank in one counting pass, ties in catalog order,
  // without a comparison per pair of types.
  const named = types.map((type) => ({ type, family: familyOf(type), size: sizeOf(type) }));
  const familyRank = ranks(new Set(named.map(({ family }) => family)), naturalKey);
  const sizeRank = ranks(new Set(named.map(({ size }) => size)), sizeKey);
  return countingSort(named, (item) => familyRank.get(item.family)! * sizeRank.size + sizeRank.get(item.size)!, familyRank.size * sizeRank.size);
}

/** Each name's place (0 to size - 1) in the order of its key; names whose keys compare equal share a place. */
function ranks(names: Iterable<string>, key: (name: string) => (string | number)[]): Map<string, number> {
  const keyed = [...names].map((name) => ({ name, key: key(name) }));
  keyed.sort((a, b) => compareKeys(a.key, b.key));
  const rank = new Map<string, number>();
  keyed.forEach((entry, index) => {
    const previous = keyed[index - 1];
    rank.set(entry.name, previous !== undefined && compareKeys(previous.key, entry.key) === 0 ? rank.get(previous.name)! : index);
  });
  return rank;
}

/** `items` ordered by `keyOf` (0 to `count` - 1), items of one key in their order in `items`: one counting pass. */
function countingSort<T>(items: readonly T[], keyOf: (item: T) => number, count: number): T[] {
  const keys = items.map(keyOf);
  const starts = new Uint32Array(count + 1);
  for (const key of keys) starts[key + 1]! += 1;
  for (let key = 0; key < count; key += 1) starts[key + 1]! += starts[key]!;
  const sorted = new Array<T>(items.length);
  for (let index = 0; index < items.length; index += 1) sorted[starts[keys[index]!]!++] = items[index]!;
  return sorted;
}

/** Most blocked first; ties keep rule order (the sort is stable). */
function byCount(counts: RuleCount[]): RuleCount[] {
  return [...counts].sort((a, b) => b.count - a.count);
}

/**
 * Sizes of `types` in display order (nano ... metal), each once: the columns of a family x size table.
 */
export function sizeColumns(types: Iterable<MatrixType>): string[] {
  const sizes = [...new Set([...types].map((type) => type.size))];
  return sizes.map((size) => ({ size, key: sizeKey(size) })).sort((a, b) => compareKeys(a.key, b.key)).map(({ size }) => size);
}
