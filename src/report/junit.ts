import { create } from 'xmlbuilder2';
import type { Finding, Report, TargetResult } from '../model/index.js';
import { reaches } from '../model/severity.js';
import { launchErrorText } from './launch-error.js';
import { exceedsMaxWarnings, maxWarningsExceeded } from './max-warnings.js';

type XMLBuilder = ReturnType<typeof create>;

/**
 * The JUnit XML format (GitLab test reports, Jenkins, Azure DevOps, ...): one `<testsuite name="imglint">` with one
 * `<testcase>` per target. A target with an unsuppressed finding at or above `failOn` gets a `<failure>` listing
 * those findings: a `fail` target, and an `unverifiable` one whose `unverifiable` finding reaches `failOn` (it fails
 * the run, so it fails the test); another `unverifiable` target gets `<skipped>`; `error` gets `<error>`. Findings
 * that do not fail the target (below the threshold, or suppressed) are listed in the test case's `<system-out>`.
 * With a `maxWarnings` threshold, one more test case, `at most N warnings (--max-warnings)`, fails when the report has
 * more warnings than that (listing them), since that fails the run too. The counts on `<testsuites>` and
 * `<testsuite>` match the test cases, so `failures` is 0 exactly when no finding and no threshold makes
 * `imglint check` exit 1. The suite's properties name the version, thresholds, catalogs and the report's notices
 * (`notice`, one each).
 */
export function formatJunit(report: Report): string {
  const outcomes = report.results.map((result) => ({ result, outcome: outcomeOf(result, report.failOn) }));
  const count = (outcome: Outcome) => outcomes.filter((item) => item.outcome === outcome).length;
  const threshold = report.maxWarnings === undefined ? 0 : 1;
  const totals = {
    tests: String(report.results.length + threshold),
    failures: String(count('failure') + (exceedsMaxWarnings(report) ? 1 : 0)),
    errors: String(count('error')),
    skipped: String(count('skipped')),
  };
  // Characters XML 1.0 cannot carry (control characters in provider text) become U+FFFD instead of breaking the file.
  const document = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '\uFFFD' });
  const suite = document.ele('testsuites', { name: 'imglint', ...totals }).ele('testsuite', { name: 'imglint', ...totals });
  const properties = suite.ele('properties');
  properties.ele('property', { name: 'imglint.version', value: report.tool.version });
  properties.ele('property', { name: 'failOn', value: report.failOn });
  if (report.maxWarnings !== undefined) properties.ele('property', { name: 'maxWarnings', value: String(report.maxWarnings) });
  for (const catalog of report.catalogs) {
    const asOf = catalog.dataAsOf === undefined ? '' : `, data as of ${catalog.dataAsOf}`;
    properties.ele('property', { name: 'catalog', value: `${catalog.description}${asOf}` });
  }
  // What the run could not judge (a region without embedded offerings) or skipped, as the text report's notes.
  for (const notice of report.notices) properties.ele('property', { name: 'notice', value: notice });
  for (const { result, outcome } of outcomes) testCase(suite, result, outcome, report.failOn);
  if (threshold > 0) maxWarningsCase(suite, report);
  return `${document.end({ prettyPrint: true })}\n`;
}

/** The run's warnings threshold as a test case: failed, with every warning that counts, when it is exceeded. */
function maxWarningsCase(suite: XMLBuilder, report: Report): void {
  const testcase = suite.ele('testcase', { name: `at most ${report.maxWarnings} warning${report.maxWarnings === 1 ? '' : 's'} (--max-warnings)`, classname: 'imglint.max-warnings' });
  if (!exceedsMaxWarnings(report)) return;
  const warnings = report.results.flatMap(({ findings }) => findings.filter((finding) => finding.severity === 'warning' && !finding.suppressed));
  testcase
    .ele('failure', { message: maxWarningsExceeded(report), type: 'max-warnings' })
    .txt(warnings.map((finding) => `warning ${finding.ruleId}: ${finding.message}`).join('\n'));
}

type Outcome = 'pass' | 'failure' | 'skipped' | 'error';

function failingFindings({ findings }: TargetResult, failOn: Report['failOn']): Finding[] {
  return findings.filter((finding) => !finding.suppressed && reaches(finding.severity, failOn));
}

function outcomeOf(result: TargetResult, failOn: Report['failOn']): Outcome {
  if (result.verdict === 'error') return 'error';
  if (failingFindings(result, failOn).length > 0) return 'failure';
  return result.verdict === 'unverifiable' ? 'skipped' : 'pass';
}

function testCase(suite: XMLBuilder, result: TargetResult, outcome: Outcome, failOn: Report['failOn']): void {
  const { target, findings } = result;
  const address = target.source?.address === undefined ? '' : ` (${target.source.address})`;
  const testcase = suite.ele('testcase', {
    name: `${target.image} on ${target.type}${address}`,
    classname: `${target.provider}.${target.region}`,
    ...(target.source === undefined ? {} : { file: target.source.file }),
    ...(target.source?.line === undefined ? {} : { line: String(target.source.line) }),
  });
  const failing = outcome === 'failure' ? failingFindings(result, failOn) : [];
  const reasons = outcome === 'skipped' ? findings.filter((finding) => finding.ruleId === 'unverifiable') : [];

  if (outcome === 'failure') {
    const [first] = failing;
    const more = failing.length > 1 ? ` (and ${failing.length - 1} more)` : '';
    testcase
      .ele('failure', { message: `${first?.message ?? 'failed'}${more}`, type: first?.ruleId ?? 'imglint' })
      .txt(failing.map((finding) => describe(finding, '')).join('\n\n'));
  } else if (outcome === 'skipped') {
    const message = reasons.map((finding) => finding.message).join('; ');
    testcase.ele('skipped', { message: message === '' ? 'could not be verified' : message });
  } else if (outcome === 'error') {
    const { error } = result;
    const details = error === undefined ? [] : [`${error.kind} error ${error.code}: ${error.message}`, ...(error.hint === undefined ? [] : [error.hint])];
    testcase.ele('error', { message: error?.message ?? 'could not be checked', type: error?.code ?? 'imglint' }).txt(details.join('\n'));
  }
  const rest = findings.filter((finding) => !failing.includes(finding) && !reasons.includes(finding));
  if (rest.length > 0) testcase.ele('system-out').txt(rest.map((finding) => describe(finding, notFailing(finding))).join('\n\n'));
}

/** Why a finding outside `<failure>` does not fail its target. */
function notFailing(finding: Finding): string {
  if (!finding.suppressed) return ' (not failing)';
  const until = finding.suppressed.expires === undefined ? '' : `, until ${finding.suppressed.expires}`;
  return ` (suppressed: ${finding.suppressed.reason}${until})`;
}

/** A finding as a few lines of plain text, `note` after its rule ID. */
function describe(finding: Finding, note: string): string {
  const lines = [`${finding.severity} ${finding.ruleId}${note}: ${finding.message}`];
  if (finding.providerError) lines.push(`  launch error: ${launchErrorText(finding.providerError)}`);
  lines.push(`  fix: ${finding.fix}`, `  docs: ${finding.docs}`);
  return lines.join('\n');
}
