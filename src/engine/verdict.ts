import type { FailOn, Report, TargetResult } from '../model/index.js';
import { reaches } from '../model/severity.js';

/**
 * A target's verdict from its findings: `error` and `unverifiable` stand as set when the target was resolved;
 * otherwise `fail` when a finding that is not suppressed reaches `failOn`, else `pass`.
 */
export function verdictOf(result: Pick<TargetResult, 'verdict' | 'findings'>, failOn: FailOn): TargetResult['verdict'] {
  if (result.verdict === 'error' || result.verdict === 'unverifiable') return result.verdict;
  return result.findings.some((finding) => !finding.suppressed && reaches(finding.severity, failOn)) ? 'fail' : 'pass';
}

/** The summary of results: counts by verdict, and findings by severity (suppressed ones counted apart). */
export function summarize(results: readonly TargetResult[]): Report['summary'] {
  const summary: Report['summary'] = {
    targets: results.length,
    passed: 0,
    failed: 0,
    unverifiable: 0,
    errored: 0,
    errors: 0,
    warnings: 0,
    infos: 0,
    suppressed: 0,
  };
  const byVerdict = { pass: 'passed', fail: 'failed', unverifiable: 'unverifiable', error: 'errored' } as const;
  const bySeverity = { error: 'errors', warning: 'warnings', info: 'infos' } as const;
  for (const result of results) {
    summary[byVerdict[result.verdict]] += 1;
    for (const finding of result.findings) summary[finding.suppressed ? 'suppressed' : bySeverity[finding.severity]] += 1;
  }
  return summary;
}

/**
 * The report with `results` in place of its own: every verdict recomputed against `report.failOn` ({@link verdictOf})
 * and the summary with {@link summarize}; `notices` are appended. For the steps that suppress findings after the
 * check (configuration ignores, inline ignores, the baseline).
 */
export function withResults(report: Report, results: readonly TargetResult[], notices: readonly string[] = []): Report {
  const judged = results.map((result) => ({ ...result, verdict: verdictOf(result, report.failOn) }));
  return { ...report, results: judged, notices: [...report.notices, ...notices], summary: summarize(judged) };
}
