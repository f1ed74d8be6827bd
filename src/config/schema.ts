import * as z from 'zod/mini';
import { suggestion } from '../catalog/close-matches.js';
import { PlanEntry, TemplateEntry } from '../input/manifest/plan-and-template-entries.js';
import { FailOn, ProviderId } from '../model/common.js';
import { ON_UNVERIFIABLE, SEVERITIES } from '../model/severity.js';
import { rules } from '../rules/index.js';

/**
 * The `.imglint.yaml` format (also `.imglint.yml` and `.imglint.json`), as zod schemas. Every object is strict: a
 * key imglint does not know is an error, so a typo never silently turns a setting off. Documented in
 * `docs/configuration.md`.
 */


/** `rules:` values: `off` drops the rule's findings, a severity replaces the one the rule reports. */
export const RuleSetting = z.enum(['off', ...SEVERITIES] as const);
export type RuleSetting = z.infer<typeof RuleSetting>;

/** `onUnverifiable:` what a target that cannot be verified counts as (`--on-unverifiable`). */
export const OnUnverifiable = z.enum(ON_UNVERIFIABLE);
export type OnUnverifiable = z.infer<typeof OnUnverifiable>;

/** Stands for every rule in an ignore's `rule`. */
export const ANY_RULE = '*';

const ruleIds = rules.map((rule) => rule.id);
const knownRuleIds: ReadonlySet<string> = new Set(ruleIds);

/** `unknown rule id (did you mean previous-generation?)`, or a pointer to `imglint rules` without a close match. */
function unknownRuleId(ref: unknown): string {
  return `unknown rule id${suggestion(String(ref), ruleIds) || ' (`imglint rules` lists them)'}`;
}


const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The instant an ignore's `expires` ends it. A date (`2027-01-31`) covers that whole day in UTC, so the ignore
 * stops applying at the next midnight UTC; a date and time must carry a zone (`Z` or `+02:00`), so the answer
 * does not depend on the CI runner's time zone.
 *
 * @param expires - the `expires` value as written.
 * @returns the instant, or `undefined` when `expires` is not such a date (or not a real calendar date).
 */
export function expiresAt(expires: string): Date | undefined {
  const date = DATE.exec(expires);
  if (date) {
    const [year, month, day] = date.slice(1).map(Number) as [number, number, number];
    const start = new Date(Date.UTC(year, month - 1, day));
    const real = start.getUTCFullYear() === year && start.getUTCMonth() === month - 1 && start.getUTCDate() === day;
    return real ? new Date(start.getTime() + 24 * 60 * 60 * 1000) : undefined;
  }
  if (!DATE_TIME.test(expires)) return undefined;
  const instant = new Date(expires);
  return Number.isNaN(instant.getTime()) ? undefined : instant;
}

const Glob = z.string().check(z.minLength(1));

/** One `ignore:` entry as written in the file. */
export const IgnoreEntryFile = z
  .strictObject({
    /** A rule ID, or `*` for every rule. */
    rule: z.string().check(z.refine((id) => id === ANY_RULE || knownRuleIds.has(id), { error: (issue) => unknownRuleId(issue.input) })),
    /** Glob (`*`, `?`) on `target.image`. */
    image: z.optional(Glob),
    /** Glob on `target.type`. */
    type: z.optional(Glob),
    /** Glob on `target.source.address` (`aws_instance.legacy*`). */
    target: z.optional(Glob),
    /** Glob on `target.source.file` (`plans/*.json`). */
    file: z.optional(Glob),
    /** Why the findings are acceptable; shown with every suppressed finding. */
    reason: z.string().check(z.refine((reason) => reason.trim() !== '', 'must not be empty')),
    /** Last day (`YYYY-MM-DD`, UTC) or instant (ISO 8601 with a zone) the ignore applies. */
    expires: z.optional(
      z.string().check(
        z.refine((expires) => expiresAt(expires) !== undefined, {
          error: (issue) => `expected a date, YYYY-MM-DD or ISO 8601 with a time zone (got ${JSON.stringify(issue.input)})`,
        }),
      ),
    ),
  })
  .check(
    z.refine((entry) => entry.rule !== ANY_RULE || [entry.image, entry.type, entry.target, entry.file].some((glob) => glob !== undefined), {
      path: ['rule'],
      error: `'*' needs at least one of image, type, target or file (to fail on nothing, set failOn: never)`,
    }),
  );

/** The whole file as written; every key is optional. */
export const ImglintConfigFile = z.strictObject({
  /** Provider of targets that do not name one. */
  provider: z.optional(ProviderId),
  /** Region of targets that do not name one. */
  region: z.optional(z.string().check(z.minLength(1))),
  /** `--fail-on`. */
  failOn: z.optional(FailOn),
  /** `--max-warnings`: exit 1 when more findings than this are warnings (suppressed ones do not count). */
  maxWarnings: z.optional(z.int().check(z.minimum(0))),
  /** `--on-unverifiable`. */
  onUnverifiable: z.optional(OnUnverifiable),
  /** Severity overrides by rule ID. */
  rules: z.optional(
    z.record(
      z.string().check(z.refine((id) => knownRuleIds.has(id), { error: (issue) => unknownRuleId(issue.input) })),
      RuleSetting,
    ),
  ),
  ignore: z.optional(z.array(IgnoreEntryFile)),
  /** Terraform plans to check with every run (`--plan`), relative to the file's directory, with their `--source-dir`. */
  plans: z.optional(z.array(PlanEntry)),
  /**
   * CloudFormation templates to check with every run (`--cloudformation`), relative to the file's directory, with
   * their `--parameter` values and region.
   */
  cloudformation: z.optional(z.array(TemplateEntry)),
});

/** An `ignore:` entry: what the file says, plus where it says it. */
export type IgnoreEntry = z.infer<typeof IgnoreEntryFile> & {
  /** 1-based line the entry starts on, set by `loadConfig` so notices can point at it. */
  line?: number;
};

/** A validated configuration. Build one by hand for the library, or get one from `loadConfig`. */
export type ImglintConfig = Omit<z.infer<typeof ImglintConfigFile>, 'ignore'> & { ignore?: IgnoreEntry[] };
