import type { Report } from '../model/index.js';

/**
 * The run-wide threshold `--max-warnings` (config `maxWarnings`): a run with more unsuppressed warnings than
 * `report.maxWarnings` fails (exit 1) even when no target does, so every format that counts failures counts it too.
 */

/** True when the report has more warnings than its `maxWarnings` allows (suppressed ones do not count). */
export function exceedsMaxWarnings(report: Report): boolean {
  return report.maxWarnings !== undefined && report.summary.warnings > report.maxWarnings;
}

/** `3 warnings, more than --max-warnings 0 allows`: why the run fails; for a report that {@link exceedsMaxWarnings}. */
export function maxWarningsExceeded(report: Report): string {
  const { warnings } = report.summary;
  return `${warnings} warning${warnings === 1 ? '' : 's'}, more than --max-warnings ${report.maxWarnings} allows`;
}
