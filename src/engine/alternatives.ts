import type { ZoneOfferings } from '../../providers/provider.js';
import { isZoneId } from '../catalog/aws-regions.js';
import type { ImageFacts, LaunchOptions, MachineTypeFacts } from '../model/index.js';
import { rules as allRules, rulesFor, type Rule, type RuleContext } from '../rules/index.js';
import { violationSeverity, type ZonePlacement } from '../rules/rule.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Instance-type series grouped by what they are for, so a t2 user is offered m1 before c1. */
const CATEGORY_OF_SERIES: Record<string, string> = {
  a: 'general', m: 'general', t: 'general', mac: 'general',
  c: 'compute', hpc: 'compute',
  r: 'memory', x: 'memory', z: 'memory', u: 'memory',
  i: 'storage', d: 'storage', h: 'storage', im: 'storage', is: 'storage',
  p: 'accelerated', g: 'accelerated', gr: 'accelerated', inf: 'accelerated', trn: 'accelerated', dl: 'accelerated', f: 'accelerated', vt: 'accelerated',
};

/** The name users pass for a type: the instance type name (AWS), the flavor ID (OpenStack). */
export function machineTypeRef(type: MachineTypeFacts): string {
  return type.provider === 'aws' ? type.name : type.id;
}

/**
 * `c5.large` -> series `c`; `u-6tb1.metal` -> `u`; `mac1.metal` -> `mac`; a flavor -> its class's letters
 * (`general1` -> `general`; Rackspace's numeric standard1 IDs have no letters of their own).
 */
function seriesOf(type: MachineTypeFacts): string {
  const name = type.provider === 'aws' ? type.name : (type.flavorClass ?? type.id);
  return /^[a-z]+/.exec(name)?.[0] ?? name;
}

function seriesDistance(a: string, b: string): number {
  if (a === b) return 0;
  const category = CATEGORY_OF_SERIES[a];
  return category !== undefined && category === CATEGORY_OF_SERIES[b] ? 1 : 2;
}

/** `m6g.large` -> 6; flavor class `general1` -> 1; no digit -> 0 (`u-6tb1` -> 6, the first digit found). */
function generationOf(type: MachineTypeFacts): number {
  const name = type.provider === 'aws' ? type.name : (type.flavorClass ?? '');
  return Number(/\d+/.exec(name)?.[0] ?? 0);
}

/** How far two types are in size: octaves of vCPUs plus octaves of memory. */
function sizeDistance(a: MachineTypeFacts, b: MachineTypeFacts): number {
  return octaves(a.vcpus, b.vcpus) + octaves(a.memoryMiB, b.memoryMiB);
}

function octaves(x: number, y: number): number {
  return Math.abs(Math.log2(Math.max(x, 1) / Math.max(y, 1)));
}

/**
 * What `instance-type-offering` judges of a launch pinned to `requested` zones: the requested zones the offerings
 * cover, and the zones of the same kinds (names, IDs) that offer `type`. `undefined` when the launch is not pinned or
 * no requested zone is covered.
 */
export function zonePlacement(requested: readonly string[] | undefined, offerings: ZoneOfferings | undefined, type: string): ZonePlacement | undefined {
  if (requested === undefined || requested.length === 0 || offerings === undefined) return undefined;
  const judged = requested.filter((zone) => offerings.zones === undefined || offerings.zones.has(zone));
  if (judged.length === 0) return undefined;
  const ids = judged.some(isZoneId);
  const names = judged.some((zone) => !isZoneId(zone));
  const offering = [...offerings.offering(type)].filter((zone) => (isZoneId(zone) ? ids : names)).sort();
  return { requested: judged, offering };
}

/** What the catalog knows about placement, for judging candidates. */
export interface CandidateScope {
  region: string;
  /** Types offered in the region; undefined when unknown (candidates are then not filtered by region). */
  offered: ReadonlySet<string> | undefined;
  /**
   * The availability zones the launch is pinned to and where candidates are offered among the region's zones:
   * candidates a requested zone does not offer count one warning more, so they come after those every zone offers.
   */
  zones?: { requested: readonly string[]; offerings: ZoneOfferings | undefined };
  /** How the server would be created (boot from volume changes which flavors fit). */
  launch: LaunchOptions;
  now: Date;
}

/**
 * The rules that tell candidate types apart, per provider: those another type cures, infos left out (they never rule a
 * type out). Rules that do not depend on the type (image state, disk config) fail or pass every candidate alike.
 * Each provider's list is built once: a catalog has over a thousand candidates.
 */
export function typeJudgingRules(rules: readonly Rule[] = allRules): (provider: MachineTypeFacts['provider']) => Rule[] {
  const judging = new Map<MachineTypeFacts['provider'], Rule[]>();
  return (provider) => {
    let list = judging.get(provider);
    if (list === undefined) {
      list = rulesFor(provider, rules).filter((rule) => rule.severity !== 'info' && rule.curedByOtherType);
      judging.set(provider, list);
    }
    return list;
  };
}

/**
 * Every candidate type the image can launch on: no error-severity rule that depends on the type fails. `warnings` counts the
 * warning findings each compatible type still has. Shared by `check` fix hints and `matrix`.
 */
export function compatibleTypes(
  image: ImageFacts,
  candidates: Iterable<MachineTypeFacts>,
  scope: CandidateScope,
  rules: readonly Rule[] = allRules,
): { type: MachineTypeFacts; warnings: number }[] {
  const compatible: { type: MachineTypeFacts; warnings: number }[] = [];
  const judgingFor = typeJudgingRules(rules);
  // One context, its type and offering set for each candidate: a fresh object per type of the catalog was a fifth of
  // what a failing one-pair check allocates for its fix hint. Rules only read it while judging.
  const context: Mutable<RuleContext> = {
    image,
    type: undefined as unknown as MachineTypeFacts,
    region: scope.region,
    offeredInRegion: undefined,
    launch: scope.launch,
    now: scope.now,
  };
  for (const type of candidates) {
    const ref = machineTypeRef(type);
    context.type = type;
    context.offeredInRegion = scope.offered?.has(ref);
    const typeRules = judgingFor(type.provider);
    let warnings = 0;
    let fails = false;
    for (let index = 0; index < typeRules.length; index += 1) {
      const rule = typeRules[index]!;
      if (!rule.violates(context)) continue;
      if (violationSeverity(rule, context) === 'error') {
        fails = true;
        break;
      }
      warnings += 1;
    }
    if (fails) continue;
    // Another zone is as much a cure as another type: a type missing from a requested zone ranks last, it is not out.
    const zones = scope.zones && zonePlacement(scope.zones.requested, scope.zones.offerings, ref);
    if (zones !== undefined && zones.requested.some((zone) => !zones.offering.includes(zone))) warnings += 1;
    compatible.push({ type, warnings });
  }
  return compatible;
}

/**
 * Up to `limit` types that can run `image`, nearest to `reference` first: types without warnings, then the
 * same series (t2 -> t1), then the same category (general purpose, compute, ...), then the closest in vCPUs
 * and memory, then the nearest generation (m6g -> m6i before m4); ties by name.
 */
export function suggestAlternatives(
  image: ImageFacts,
  reference: MachineTypeFacts,
  candidates: Iterable<MachineTypeFacts>,
  scope: CandidateScope,
  limit = 5,
): string[] {
  return rankAlternatives(reference, compatibleTypes(image, candidates, scope), limit);
}

/**
 * The ranking of {@link suggestAlternatives} over types already judged compatible ({@link compatibleTypes}): a run
 * with many targets of one image judges the catalog once and ranks it for each requested type.
 */
export function rankAlternatives(reference: MachineTypeFacts, compatible: readonly { type: MachineTypeFacts; warnings: number }[], limit = 5): string[] {
  return nearestTypes(reference, compatible, limit).map(machineTypeRef);
}

/** The types {@link rankAlternatives} names, nearest first. */
export function nearestTypes(reference: MachineTypeFacts, compatible: readonly { type: MachineTypeFacts; warnings: number }[], limit = 5): MachineTypeFacts[] {
  return typeRanking(compatible)(reference, limit);
}

/**
 * {@link nearestTypes} over one list of compatible types, for many references: each candidate's name, series and
 * generation are read once, not once per reference (a plan ranks one image's list for every type it requests), and
 * candidates are kept by warnings and series, so a reference scans the groups that can still place in the nearest
 * (its own series first) rather than the whole list.
 */
export function typeRanking(compatible: readonly { type: MachineTypeFacts; warnings: number }[]): (reference: MachineTypeFacts, limit?: number) => MachineTypeFacts[] {
  // By warnings (none first), then series: the first two parts of the ranking key.
  const groups: [Map<string, Candidate[]>, Map<string, Candidate[]>] = [new Map(), new Map()];
  for (const { type, warnings } of compatible) {
    const candidate: Candidate = { type, name: machineTypeRef(type), series: seriesOf(type), generation: generationOf(type), warned: warnings > 0 ? 1 : 0 };
    const bySeries = groups[candidate.warned];
    const group = bySeries.get(candidate.series);
    if (group === undefined) bySeries.set(candidate.series, [candidate]);
    else group.push(candidate);
  }
  return (reference, limit = 5) => {
    const referenceRef = machineTypeRef(reference);
    const series = seriesOf(reference);
    const generation = generationOf(reference);
    // The nearest `limit` kept in order while scanning, rather than sorting the whole catalog. Names are unique, so
    // the order is total and the result is that of a full sort, whatever order the candidates are scanned in. A
    // candidate is judged on its own key before anything is allocated for it: few enter the list once it is full.
    const nearest: Ranked[] = [];
    for (const warned of [0, 1] as const) {
      for (let seriesApart = 0; seriesApart <= 2; seriesApart += 1) {
        // Every later group ranks after the last kept on the first two parts of the key: none can enter.
        const last = nearest[limit - 1];
        if (last !== undefined && (last.key[0] < warned || (last.key[0] === warned && last.key[1] < seriesApart))) return nearest.map((entry) => entry.type);
        for (const [candidateSeries, candidates] of groups[warned]) {
          if (seriesDistance(series, candidateSeries) !== seriesApart) continue;
          for (let index = 0; index < candidates.length; index += 1) {
            const candidate = candidates[index]!;
            if (candidate.name === referenceRef) continue;
            const sizeApart = sizeDistance(reference, candidate.type);
            const generationsApart = Math.abs(generation - candidate.generation);
            let at = nearest.length;
            while (at > 0 && before(warned, seriesApart, sizeApart, generationsApart, candidate.name, nearest[at - 1]!)) at -= 1;
            if (at >= limit) continue;
            nearest.splice(at, 0, { type: candidate.type, name: candidate.name, key: [warned, seriesApart, sizeApart, generationsApart] });
            if (nearest.length > limit) nearest.pop();
          }
        }
      }
    }
    return nearest.map((entry) => entry.type);
  };
}

interface Candidate {
  type: MachineTypeFacts;
  name: string;
  series: string;
  generation: number;
  /** 1 when the type still has warnings: it ranks after every type without. */
  warned: 0 | 1;
}

interface Ranked {
  type: MachineTypeFacts;
  name: string;
  key: readonly [number, number, number, number];
}

/** True when a candidate of this key and name ranks before `b`. */
function before(warned: number, seriesApart: number, sizeApart: number, generationsApart: number, name: string, b: Ranked): boolean {
  return (warned - b.key[0] || seriesApart - b.key[1] || sizeApart - b.key[2] || generationsApart - b.key[3] || (name < b.name ? -1 : 1)) < 0;
}
