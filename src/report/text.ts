import { createColors } from 'picocolors';
import type { CatalogSource, Finding, Report, TargetResult } from '../model/index.js';
import { reaches, type Severity } from '../model/severity.js';
import { launchErrorText } from './launch-error.js';
import { exceedsMaxWarnings, maxWarningsExceeded } from './max-warnings.js';

export interface TextOptions {
  /** Use ANSI colours (the CLI decides: `--color`/`--no-color`, else FORCE_COLOR, NO_COLOR and whether it is a TTY). */
  color: boolean;
  /** Only errors: targets with an unsuppressed `error` finding or that could not be checked, then the summary line. */
  quiet?: boolean;
}

/**
 * The text format: one block per target (its verdict, where it came from, findings most severe first), then the
 * notices, a summary line that accounts for every target and names the thresholds (then, when there are more warnings
 * than `maxWarnings` allows, a line saying that this fails the run), and the catalogs used with their age (once: the
 * fix hints' alternatives come from the catalogs listed there). With `quiet`, only the errors and the summary lines.
 */
export function formatText(report: Report, options: TextOptions): string {
  const c = createColors(options.color);
  const paint: Record<Severity, (text: string) => string> = { error: c.red, warning: c.yellow, info: c.cyan };
  const verdicts: Record<TargetResult['verdict'], string> = {
    pass: c.bold(c.green('PASS')),
    fail: c.bold(c.red('FAIL')),
    unverifiable: c.bold(c.yellow('UNVERIFIABLE')),
    error: c.bold(c.magenta('ERROR')),
  };
  const lines: string[] = [];
  const quiet = options.quiet ?? false;
  const shown = (finding: Finding) => !quiet || (finding.severity === 'error' && !finding.suppressed);
  for (const result of report.results) {
    if (quiet && result.verdict !== 'error' && !result.findings.some(shown)) continue;
    const { target } = result;
    const name = result.imageName ? ` (${result.imageName})` : '';
    const where = target.source ? c.dim(` [${[target.source.file, target.source.line].filter(Boolean).join(':')}${target.source.address ? ` ${target.source.address}` : ''}]`) : '';
    lines.push(`${verdicts[result.verdict]} ${c.bold(target.image)}${name} on ${c.bold(target.type)} in ${target.region}${where}`);
    if (result.error) {
      lines.push(`  ${c.magenta('could not check:')} ${result.error.message}`);
      if (result.error.hint) lines.push(`          ${c.dim('hint:')} ${result.error.hint}`);
    }
    for (const finding of sortBySeverity(result.findings.filter(shown))) {
      const note = finding.suppressed ? c.dim(` (${IGNORED_BY[finding.suppressed.kind ?? 'config']}: ${finding.suppressed.reason})`) : reaches(finding.severity, report.failOn) ? '' : c.dim(' (not failing)');
      lines.push(`  ${paint[finding.severity](finding.severity.padEnd(7))} ${c.dim(finding.ruleId)}${note}  ${finding.message}`);
      if (finding.suppressed) continue;
      if (finding.providerError) {
        lines.push(`          ${c.dim('launch error:')} ${launchErrorText(finding.providerError, { sayUnpublished: true })}`);
      }
      lines.push(`          ${c.dim('fix:')} ${finding.fix}`);
      lines.push(`          ${c.dim('docs:')} ${finding.docs}`);
    }
  }
  if (report.notices.length > 0 && !quiet) lines.push('', ...report.notices.map((notice) => `${c.yellow('note:')} ${notice}`));
  const { summary } = report;
  const parts = [
    `${summary.failed} failed`,
    `${summary.passed} passed`,
    ...(summary.unverifiable > 0 ? [`${summary.unverifiable} unverifiable`] : []),
    ...(summary.errored > 0 ? [`${summary.errored} could not be checked`] : []),
  ];
  const findings = `${summary.errors} error(s), ${summary.warnings} warning(s), ${summary.infos} info${summary.suppressed > 0 ? `, ${summary.suppressed} ignored` : ''}`;
  const thresholds = `fail on: ${report.failOn}${report.maxWarnings === undefined ? '' : `, max warnings: ${report.maxWarnings}`}`;
  lines.push(
    ...(lines.length > 0 ? [''] : []),
    `${summary.targets} target${summary.targets === 1 ? '' : 's'} checked: ${parts.join(', ')}; ${findings} (${thresholds})`,
    ...(exceedsMaxWarnings(report) ? [`${verdicts.fail} ${maxWarningsExceeded(report)}: the run fails`] : []),
    ...(quiet ? [] : report.catalogs.map((catalog) => c.dim(`catalog: ${describeCatalog(catalog)}`))),
  );
  return `${lines.join('\n')}\n`;
}

/** `EC2 API (us-east-1)`; `... , data as of 2026-08-02`; `..., fetched 2026-11-28T10:00:00Z`. */
export function describeCatalog(catalog: CatalogSource): string {
  const dated = catalog.dataAsOf ? `, data as of ${catalog.dataAsOf}` : '';
  const fetched = catalog.fetchedAt ? `, fetched ${catalog.fetchedAt}` : '';
  return `${catalog.description}${dated}${fetched}`;
}

/** How a suppressed finding's note names what suppressed it. */
const IGNORED_BY: Record<NonNullable<NonNullable<Finding['suppressed']>['kind']>, string> = {
  config: 'ignored',
  inline: 'ignored inline',
  baseline: 'in baseline',
};

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function sortBySeverity(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
}
