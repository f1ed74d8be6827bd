import type { Finding, Report, Severity, TargetResult } from '../model/index.js';
import { SEVERITIES } from '../model/severity.js';
import { findingText } from './launch-error.js';
import { exceedsMaxWarnings, maxWarningsExceeded } from './max-warnings.js';

/** Workflow command for each severity. */
const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', info: 'notice' };

/** GitHub shows this many annotations of each kind per step and drops the rest without a note. */
const ANNOTATIONS_SHOWN_PER_KIND = 10;

/** One line of output about one target: a finding, or the reason the target could not be checked. */
interface Problem {
  severity: Severity;
  result: TargetResult;
  /** The finding; absent for a target whose verdict is `error`. */
  finding?: Finding;
}

/**
 * The `github` format: GitHub Actions workflow commands (`::error file=F,line=L,title=RULE::message`, `::warning`,
 * `::notice`), one per unsuppressed finding and one `::error` per target that could not be checked, most severe
 * first, then one `::notice` per report notice. Targets without a source file get commands without `file=`.
 * GitHub shows only about 10 annotations of each kind per step: write {@link githubStepSummary} to
 * `$GITHUB_STEP_SUMMARY` too, which lists everything.
 */
export function formatGithub(report: Report): string {
  const lines = problems(report).map(({ severity, result, finding }) => {
    const { source } = result.target;
    const properties = [
      ...(source === undefined ? [] : [`file=${escapeProperty(source.file)}`]),
      ...(source?.line === undefined ? [] : [`line=${source.line}`]),
      `title=${escapeProperty(finding ? finding.ruleId : `imglint: ${result.error?.code ?? 'error'}`)}`,
    ];
    return `::${COMMAND[severity]} ${properties.join(',')}::${escapeData(finding ? findingText(finding) : errorText(result))}`;
  });
  for (const notice of report.notices) lines.push(`::notice title=imglint::${escapeData(notice)}`);
  return lines.map((line) => `${line}\n`).join('');
}

/**
 * A Markdown summary for `$GITHUB_STEP_SUMMARY` (the caller appends it): the summary line (and, when there are
 * more warnings than `maxWarnings` allows, that this fails the run), a table of every
 * unsuppressed finding and unchecked target, most severe first (severity, rule, image, type, location, message),
 * then the suppressed findings, the notices and the catalogs. Says so when GitHub hid annotations.
 */
export function githubStepSummary(report: Report): string {
  const { summary } = report;
  const all = problems(report);
  const lines = [
    `### imglint: ${summary.failed} of ${summary.targets} target${summary.targets === 1 ? '' : 's'} failed`,
    '',
    `${summary.passed} passed, ${summary.failed} failed, ${summary.unverifiable} unverifiable, ${summary.errored} errored; ` +
      `${summary.errors} error(s), ${summary.warnings} warning(s), ${summary.infos} info, ${summary.suppressed} suppressed ` +
      `(fail on: ${report.failOn}${report.maxWarnings === undefined ? '' : `, max warnings: ${report.maxWarnings}`})`,
    ...(exceedsMaxWarnings(report) ? ['', `**The run fails: ${escapeMarkdown(maxWarningsExceeded(report))}.**`] : []),
  ];
  const hidden = SEVERITIES.filter((severity) => all.filter((problem) => problem.severity === severity).length > ANNOTATIONS_SHOWN_PER_KIND);
  if (hidden.length > 0) {
    lines.push(
      '',
      `> GitHub shows at most ${ANNOTATIONS_SHOWN_PER_KIND} annotations of each kind per step; ` +
        `this table lists all ${all.length} (more than ${ANNOTATIONS_SHOWN_PER_KIND} ${hidden.map((severity) => `${COMMAND[severity]}s`).join(' and ')}).`,
    );
  }
  if (all.length > 0) {
    lines.push('', '| severity | rule | image | type | location | message |', '|---|---|---|---|---|---|');
    for (const { severity, result, finding } of all) {
      const { target } = result;
      const rule = finding ? `[${escapeMarkdown(finding.ruleId)}](${finding.docs})` : escapeMarkdown(result.error?.code ?? 'error');
      const message = finding ? findingText(finding) : errorText(result);
      lines.push(`| ${severity} | ${rule} | ${cell(target.image)} | ${cell(target.type)} | ${cell(location(result))} | ${cell(message)} |`);
    }
  }
  const suppressed = report.results.flatMap((result) => result.findings.filter((finding) => finding.suppressed).map((finding) => ({ result, finding })));
  if (suppressed.length > 0) {
    lines.push('', `**Suppressed (${suppressed.length})**`, '', '| severity | rule | image | type | reason | expires |', '|---|---|---|---|---|---|');
    for (const { result, finding } of suppressed) {
      const { reason, expires } = finding.suppressed!;
      lines.push(
        `| ${finding.severity} | ${escapeMarkdown(finding.ruleId)} | ${cell(result.target.image)} | ${cell(result.target.type)} | ${cell(reason)} | ${cell(expires ?? '')} |`,
      );
    }
  }
  if (report.notices.length > 0) lines.push('', ...report.notices.map((notice) => `- ${cell(notice)}`));
  if (report.catalogs.length > 0) {
    const catalogs = report.catalogs.map((catalog) => `${catalog.description}${catalog.dataAsOf === undefined ? '' : ` (data as of ${catalog.dataAsOf})`}`);
    lines.push('', `Catalogs: ${cell(catalogs.join('; '))}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Unsuppressed findings and unchecked targets, most severe first, in report order within a severity. */
function problems(report: Report): Problem[] {
  const list: Problem[] = report.results.flatMap((result) => [
    ...(result.verdict === 'error' ? [{ severity: 'error' as const, result }] : []),
    ...result.findings.filter((finding) => !finding.suppressed).map((finding) => ({ severity: finding.severity, result, finding })),
  ]);
  return list.sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
}

function errorText({ target, error }: TargetResult): string {
  const why = error ? `${error.message}${error.hint ? `\n${error.hint}` : ''}` : 'no reason was recorded';
  return `${target.image} on ${target.type} in ${target.region} could not be checked: ${why}`;
}

function location({ target }: TargetResult): string {
  if (target.source === undefined) return '';
  const line = target.source.line === undefined ? '' : `:${target.source.line}`;
  const address = target.source.address === undefined ? '' : ` (${target.source.address})`;
  return `${target.source.file}${line}${address}`;
}

/** Command data: `%`, CR and LF are percent-encoded (what `@actions/core` does). */
function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** Command property values: as data, plus `:` and `,`, which end a value. */
function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

/**
 * Backslash-escapes the Markdown punctuation that would format text or break a table cell. `_` is left alone: GitHub
 * does not emphasise inside words (`auto_disk_config`), and an escape would break the URLs in provider messages.
 */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*[\]|<>~]/g, '\\$&');
}

/** A table cell: Markdown-escaped, line breaks as `<br>`. */
function cell(text: string): string {
  return escapeMarkdown(text).replace(/\r?\n/g, '<br>');
}
