import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';
import type { Finding, Report, Severity, Target } from '../model/index.js';
import { launchErrorText } from './launch-error.js';

/** One entry of a GitLab Code Quality report. */
export interface CodeQualityIssue {
  description: string;
  check_name: string;
  /** Unique in the report and stable across runs: GitLab matches issues between branches by it. */
  fingerprint: string;
  severity: 'info' | 'minor' | 'major' | 'critical' | 'blocker';
  location: { path: string; lines: { begin: number } };
}

/**
 * GitLab's scale has five steps; `critical` and `blocker` are left for what other scanners rate above a launch
 * refusal (security findings), as ESLint's and most linters' GitLab formatters do.
 */
const SEVERITY: Record<Severity, CodeQualityIssue['severity']> = { error: 'major', warning: 'minor', info: 'info' };

export interface GitlabOptions {
  /** File that issues point at when their target has no source file: the configuration file or manifest of the run. */
  fallbackFile?: string;
}

/**
 * The `gitlab` format: a GitLab Code Quality report, a JSON array with one issue per unsuppressed finding
 * (error → `major`, warning → `minor`, info → `info`). Suppressed findings are left out, and so are targets that
 * could not be checked (verdict `error`): the run exits 2 or 3 for them, and Code Quality compares findings between
 * branches, where a network failure would show up as a fixed problem. An issue's line is the target's line, else 1.
 *
 * @throws UsageError when a finding's target has no source file and `options.fallbackFile` is not set.
 */
export function formatGitlab(report: Report, options: GitlabOptions = {}): string {
  const seen = new Set<string>();
  const issues = report.results.flatMap(({ target, findings }) =>
    findings
      .filter((finding) => !finding.suppressed)
      .map((finding): CodeQualityIssue => {
        const path = target.source?.file ?? options.fallbackFile;
        if (path === undefined) {
          throw new UsageError(
            `GitLab Code Quality needs a file for every finding, and ${target.image} on ${target.type} in ${target.region} came from no file`,
            { hint: 'read the targets from a manifest or Terraform plan, or pass the configuration file as the fallback location' },
          );
        }
        return {
          description: description(finding),
          check_name: finding.ruleId,
          fingerprint: uniqueFingerprint(finding, target, path, seen),
          severity: SEVERITY[finding.severity],
          location: { path, lines: { begin: target.source?.line ?? 1 } },
        };
      }),
  );
  return `${JSON.stringify(issues, null, 2)}\n`;
}

/** One line: GitLab shows the description alone in the merge request widget; the launch error is kept whole. */
function description(finding: Finding): string {
  const launch = finding.providerError ? ` Launch error: ${sentence(launchErrorText(finding.providerError).replace(/\s*\r?\n\s*/g, ' '))}` : '';
  return `${sentence(finding.message)}${launch} Fix: ${finding.fix}`;
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/**
 * sha256 of the rule, the target (provider, region, image, type, resource address) and the file, not the line, so
 * that moving a resource keeps its issue. Two findings with the same identity (the same pair listed twice in one
 * file) get the occurrence number added, because GitLab collapses equal fingerprints.
 */
function uniqueFingerprint(finding: Finding, target: Target, path: string, seen: Set<string>): string {
  const identity = [finding.ruleId, target.provider, target.region, target.image, target.type, target.source?.address ?? '', path];
  for (let occurrence = 0; ; occurrence++) {
    const fingerprint = createHash('sha256')
      .update(JSON.stringify(occurrence === 0 ? identity : [...identity, occurrence]))
      .digest('hex');
    if (!seen.has(fingerprint)) {
      seen.add(fingerprint);
      return fingerprint;
    }
  }
}
