import * as z from 'zod/mini';
import { withResults } from '../engine/verdict.js';
import { UsageError } from '../errors.js';
import type { Finding, Report, Target } from '../model/index.js';
import { findingFingerprint } from '../report/fingerprint.js';
import { repoPath } from '../report/formats.js';

/**
 * A baseline: the findings a team has accepted for now, by fingerprint, so a gate fails only on new ones (checkov's
 * `--baseline`, ESLint's bulk suppressions). `imglint check --write-baseline FILE` writes one; `--baseline FILE`
 * suppresses the findings it lists. Documented in docs/configuration.md.
 */

/** Version of the baseline file layout. */
export const BASELINE_VERSION = 1;

const BaselineEntry = z.object({
  /** {@link findingFingerprint} of the rule, target and repository path: not the line, not the message. */
  fingerprint: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  /** How many findings with this fingerprint are accepted (the same pair listed twice in one file). */
  count: z.int().check(z.positive()),
  /** For people reading the file; not matched. */
  ruleId: z.string(),
  image: z.string(),
  type: z.string(),
  file: z.optional(z.string()),
  address: z.optional(z.string()),
});

export const Baseline = z.object({
  imglintBaseline: z.literal(BASELINE_VERSION),
  findings: z.array(BaselineEntry),
});
export type Baseline = z.infer<typeof Baseline>;

/** The file a fingerprint names: the target's, relative to `root` with `/`, or none. */
function fileOf(target: Target, root: string): string {
  return target.source === undefined ? '' : repoPath(target.source.file, root);
}

/**
 * The baseline of a report: every finding not suppressed by the configuration or an inline ignore (findings the
 * baseline in use suppressed are kept, so rewriting a baseline keeps what is still there), sorted by fingerprint so
 * the file diffs well. As JSON text.
 *
 * @param root - the directory file paths are made relative to (the CLI's working directory).
 */
export function formatBaseline(report: Report, root: string): string {
  const entries = new Map<string, z.infer<typeof BaselineEntry>>();
  for (const { target, findings } of report.results) {
    for (const finding of findings) {
      if (finding.suppressed && finding.suppressed.kind !== 'baseline') continue;
      const file = fileOf(target, root);
      const fingerprint = findingFingerprint(finding.ruleId, target, file);
      const entry = entries.get(fingerprint);
      if (entry) entry.count += 1;
      else {
        entries.set(fingerprint, {
          fingerprint,
          count: 1,
          ruleId: finding.ruleId,
          image: target.image,
          type: target.type,
          ...(file === '' ? {} : { file }),
          ...(target.source?.address === undefined ? {} : { address: target.source.address }),
        });
      }
    }
  }
  const findings = [...entries.values()].sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : 1));
  return `${JSON.stringify({ imglintBaseline: BASELINE_VERSION, findings } satisfies Baseline, null, 2)}\n`;
}

/**
 * Parses a baseline file's text.
 *
 * @throws UsageError naming the file when the text is not a baseline imglint wrote.
 */
export function parseBaseline(text: string, displayPath: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--baseline ${displayPath}: not JSON (${(error as Error).message})`, { hint: 'write one with --write-baseline FILE', cause: error });
  }
  const parsed = Baseline.safeParse(data);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    const at = issue?.path.length ? ` at ${issue.path.map(String).join('.')}` : '';
    throw new UsageError(`--baseline ${displayPath}: not an imglint baseline (version ${BASELINE_VERSION})${at}`, {
      hint: 'write one with --write-baseline FILE',
    });
  }
  return parsed.data;
}

/**
 * Suppresses the findings the baseline lists (`suppressed: {reason: 'in the baseline FILE', kind: 'baseline'}`), up
 * to each entry's count, so only new findings count; verdicts and the summary are recomputed. Findings already
 * suppressed are left as they are. Entries that matched nothing (fixed findings) add one notice with their count.
 *
 * @param root - the directory file paths are relative to, as when the baseline was written.
 */
export function applyBaseline(report: Report, baseline: Baseline, displayPath: string, root: string): Report {
  const remaining = new Map(baseline.findings.map((entry) => [entry.fingerprint, entry.count]));
  const results = report.results.map((result) => {
    const findings = result.findings.map((finding): Finding => {
      if (finding.suppressed) return finding;
      const fingerprint = findingFingerprint(finding.ruleId, result.target, fileOf(result.target, root));
      const left = remaining.get(fingerprint) ?? 0;
      if (left === 0) return finding;
      remaining.set(fingerprint, left - 1);
      return { ...finding, suppressed: { reason: `in the baseline ${displayPath}`, kind: 'baseline' } };
    });
    return { ...result, findings };
  });
  const stale = [...remaining.values()].reduce((sum, left) => sum + left, 0);
  const notices =
    stale === 0
      ? []
      : [`${displayPath}: ${stale} baselined finding${stale === 1 ? ' was' : 's were'} not found (fixed, or the target changed); rewrite the baseline with --write-baseline to drop ${stale === 1 ? 'it' : 'them'}`];
  return withResults(report, results, notices);
}
