import { createColors } from 'picocolors';
import type { Finding, Report } from '../model/index.js';
import { reaches, type Severity } from '../model/severity.js';

export interface TextOptions {
  /** Use ANSI colours (the CLI decides: a TTY without NO_COLOR). */
  color: boolean;
}

/** The text format: one block per target, findings most severe first, then a summary line. */
export function formatText(report: Report, options: TextOptions): string {
  const c = createColors(options.color);
  const paint: Record<Severity, (text: string) => string> = { error: c.red, warning: c.yellow, info: c.cyan };
  const lines: string[] = [];
  for (const result of report.results) {
    const { target } = result;
    const name = result.imageName ? ` (${result.imageName})` : '';
    const verdict = result.verdict === 'fail' ? c.bold(c.red('FAIL')) : c.bold(c.green('PASS'));
    lines.push(`${verdict} ${c.bold(target.image)}${name} on ${c.bold(target.type)} in ${target.region}`);
    for (const finding of sortBySeverity(result.findings)) {
      const below = reaches(finding.severity, report.failOn) ? '' : c.dim(' (not failing)');
      lines.push(`  ${paint[finding.severity](finding.severity.padEnd(7))} ${c.dim(finding.ruleId)}${below}  ${finding.message}`);
      if (finding.providerError) {
        const text = finding.providerError.message ?? '(no published message text)';
        const inferred = finding.providerError.inferred ? ' (documented, not captured)' : '';
        lines.push(`          ${c.dim('launch error:')} ${finding.providerError.code}: ${text}${inferred}`);
      }
      lines.push(`          ${c.dim('fix:')} ${finding.fix}`);
      lines.push(`          ${c.dim('docs:')} ${finding.docs}`);
    }
  }
  const { summary } = report;
  const targets = `${summary.targets} target${summary.targets === 1 ? '' : 's'}`;
  lines.push(
    '',
    `${targets} checked: ${summary.failed} failed; ${summary.errors} error(s), ${summary.warnings} warning(s), ${summary.infos} info (fail on: ${report.failOn})`,
    c.dim(`catalog: ${report.catalog.description}${report.catalog.dataAsOf ? `, data as of ${report.catalog.dataAsOf}` : ''}`),
  );
  return `${lines.join('\n')}\n`;
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function sortBySeverity(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
}
