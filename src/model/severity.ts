/** Severities, highest first. Plain values (no zod) because the CLI's start-up path needs them. */
export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** `--fail-on` values: a severity, or `never` to fail on nothing. */
export const FAIL_ON = [...SEVERITIES, 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** True when `severity` reaches `threshold` (inclusive: `warning` reaches `warning`). */
export function reaches(severity: Severity, threshold: FailOn): boolean {
  return threshold !== 'never' && SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold];
}

/** What to do with a target that cannot be judged before apply: report it at this severity, or not at all. */
export const ON_UNVERIFIABLE = ['error', 'warning', 'ignore'] as const;
export type OnUnverifiable = (typeof ON_UNVERIFIABLE)[number];

/** Version of the JSON report layout; bumped on any incompatible change. */
export const REPORT_SCHEMA_VERSION = 1;
