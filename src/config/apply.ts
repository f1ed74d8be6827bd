import picomatch from 'picomatch';
import { withResults } from '../engine/verdict.js';
import type { Finding, Report, Target } from '../model/index.js';
import { ANY_RULE, expiresAt, type IgnoreEntry, type ImglintConfig } from './schema.js';

/** An ignore entry, compiled, and whether it has matched a finding yet. */
interface ActiveIgnore {
  entry: IgnoreEntry;
  /** Glob per target field the entry names. */
  globs: { field: (target: Target) => string | undefined; matches: (value: string) => boolean }[];
  used: boolean;
}

/**
 * Applies a configuration to a report (pure: returns a new report, the input is not changed):
 *
 * 1. `rules:` overrides: `off` removes the rule's findings; a severity replaces the finding's.
 * 2. `ignore:` entries: a finding matched by one (its rule, or `*`, and every glob the entry gives) gets
 *    `suppressed: {reason, expires}`, stays in the report and counts for nothing. The first matching entry wins;
 *    a finding that is already suppressed keeps its suppression. An entry whose `expires` has passed at `now` does
 *    not apply and adds a notice; so does an entry that matched no finding (a stale ignore).
 * 3. Every result's verdict is recomputed with `report.failOn`, and the summary (`withResults` in engine/verdict.ts).
 * 4. `maxWarnings` becomes the report's, unless the report already has one (the CLI's `--max-warnings` wins).
 *
 * Globs are picomatch globs (see {@link PATH_GLOB}).
 *
 * @param configPath - the config file's name for notices (`.imglint.yaml:14: the ignore of ...`).
 * @param now - the clock for `expires`.
 */
export function applyConfig(report: Report, config: ImglintConfig, configPath: string, now: Date): Report {
  const overrides = config.rules ?? {};
  const notices: string[] = [];
  const active: ActiveIgnore[] = [];
  for (const entry of config.ignore ?? []) {
    const end = entry.expires === undefined ? undefined : expiresAt(entry.expires);
    if (end !== undefined && end.getTime() <= now.getTime()) {
      notices.push(`${where(configPath, entry)}${describe(entry)} expired on ${entry.expires} and no longer applies`);
    } else {
      active.push({ entry, globs: compile(entry), used: false });
    }
  }

  const results = report.results.map((result) => {
    const findings = result.findings.flatMap((finding): Finding[] => {
      const setting = Object.hasOwn(overrides, finding.ruleId) ? overrides[finding.ruleId] : undefined;
      if (setting === 'off') return [];
      const ignore = active.find((candidate) => matches(candidate, finding.ruleId, result.target));
      if (ignore) ignore.used = true;
      const { reason, expires } = ignore?.entry ?? {};
      return [
        {
          ...finding,
          ...(setting === undefined ? {} : { severity: setting }),
          ...(finding.suppressed === undefined && reason !== undefined ? { suppressed: { reason, ...(expires === undefined ? {} : { expires }) } } : {}),
        },
      ];
    });
    return { ...result, findings };
  });

  for (const { entry, used } of active) {
    if (used) continue;
    const off = entry.rule !== ANY_RULE && overrides[entry.rule] === 'off' ? ` (the rule is off in this file)` : '';
    notices.push(`${where(configPath, entry)}${describe(entry)} matched no finding${off}; remove it if it is stale`);
  }
  const judged = withResults(report, results, notices);
  return report.maxWarnings === undefined && config.maxWarnings !== undefined ? { ...judged, maxWarnings: config.maxWarnings } : judged;
}

/** `.imglint.yaml:14: `, or `.imglint.yaml: ` for an entry built without a line. */
function where(configPath: string, entry: IgnoreEntry): string {
  return `${configPath}${entry.line === undefined ? '' : `:${entry.line}`}: `;
}

/** `the ignore of virtualization-type for ami-0e97* on t2.*`: the rule and every glob the entry gives. */
function describe(entry: IgnoreEntry): string {
  const rule = entry.rule === ANY_RULE ? 'every rule' : entry.rule;
  const parts = [
    entry.image === undefined ? '' : ` for ${entry.image}`,
    entry.type === undefined ? '' : ` on ${entry.type}`,
    entry.target === undefined ? '' : ` at ${entry.target}`,
    entry.file === undefined ? '' : ` in ${entry.file}`,
  ];
  return `the ignore of ${rule}${parts.join('')}`;
}

/** Source paths compare with `/` separators and without a leading `./`. */
function normalizePath(path: string): string {
  return path.replaceAll('\\', '/').replace(/^(\.\/)+/, '');
}

/**
 * picomatch, as ESLint and .gitignore users expect: in `file`, `*` and `?` stay within one path segment, `**`
 * crosses `/`, and `{a,b}` and `[...]` work; dotfiles match. In `image`, `type` and `target`, which are not paths,
 * `[` is literal, so Terraform addresses (`aws_instance.web[0]`, `...["a"]`) need no escaping, and so are extglobs.
 */
const PATH_GLOB: picomatch.PicomatchOptions = { dot: true, windows: false };
const NAME_GLOB: picomatch.PicomatchOptions = { ...PATH_GLOB, nobracket: true, noextglob: true };

function compile(entry: IgnoreEntry): ActiveIgnore['globs'] {
  const fields: [string | undefined, (target: Target) => string | undefined, picomatch.PicomatchOptions][] = [
    [entry.image, (target) => target.image, NAME_GLOB],
    [entry.type, (target) => target.type, NAME_GLOB],
    [entry.target, (target) => target.source?.address, NAME_GLOB],
    [entry.file === undefined ? undefined : normalizePath(entry.file), (target) => (target.source ? normalizePath(target.source.file) : undefined), PATH_GLOB],
  ];
  return fields.flatMap(([glob, field, options]) => (glob === undefined ? [] : [{ field, matches: picomatch(glob, options) }]));
}

function matches(ignore: ActiveIgnore, ruleId: string, target: Target): boolean {
  if (ignore.entry.rule !== ANY_RULE && ignore.entry.rule !== ruleId) return false;
  return ignore.globs.every(({ field, matches: pattern }) => {
    const value = field(target);
    return value !== undefined && pattern(value);
  });
}
