import { beforeAll, describe, expect, it } from 'vitest';
import { create } from 'xmlbuilder2';
import type { Report } from '../../src/model/index.js';
import { FAIL_ON, reaches, type FailOn } from '../../src/model/severity.js';
import { formatJunit } from '../../src/report/junit.js';
import { MANIFEST, PLAN, sampleReport } from './sample-report.js';

/** The few DOM members the tests read (xmlbuilder2 parses into a W3C DOM). */
interface XmlElement {
  readonly tagName: string;
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
  getElementsByTagName(name: string): ArrayLike<XmlElement>;
}

function parse(xml: string): XmlElement {
  return create(xml).root().node as unknown as XmlElement;
}

const all = (element: XmlElement, tag: string) => Array.from(element.getElementsByTagName(tag));
const only = (element: XmlElement, tag: string) => {
  const found = all(element, tag);
  expect(found).toHaveLength(1);
  return found[0]!;
};
const counts = (element: XmlElement) => ({
  tests: Number(element.getAttribute('tests')),
  failures: Number(element.getAttribute('failures')),
  errors: Number(element.getAttribute('errors')),
  skipped: Number(element.getAttribute('skipped')),
});

describe('formatJunit', () => {
  const reports = new Map<FailOn, Report>();
  beforeAll(async () => {
    for (const failOn of FAIL_ON) reports.set(failOn, await sampleReport(failOn));
  });
  const testcases = (failOn: FailOn = 'error') => all(parse(formatJunit(reports.get(failOn)!)), 'testcase');
  const testcase = (name: string, failOn: FailOn = 'error') => testcases(failOn).find((element) => element.getAttribute('name') === name)!;

  it('writes an XML document with one testsuite named imglint inside testsuites', () => {
    const xml = formatJunit(reports.get('error')!);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="imglint"')).toBe(true);
    const root = parse(xml);
    expect(root.tagName).toBe('testsuites');
    expect(only(root, 'testsuite').getAttribute('name')).toBe('imglint');
  });

  it.each(FAIL_ON)('keeps the counts consistent with the test cases and the summary (fail on %s)', (failOn) => {
    const report = reports.get(failOn)!;
    const root = parse(formatJunit(report));
    const suite = only(root, 'testsuite');
    const actual = {
      tests: all(suite, 'testcase').length,
      failures: all(suite, 'failure').length,
      errors: all(suite, 'error').length,
      skipped: all(suite, 'skipped').length,
    };
    expect(counts(root)).toEqual(actual);
    expect(counts(suite)).toEqual(actual);
    const { summary } = report;
    // An unverifiable target whose finding reaches --fail-on fails the run (exit 1), so it is a failure, not skipped.
    const failingUnverifiable = report.results.filter(
      (result) => result.verdict === 'unverifiable' && result.findings.some((finding) => !finding.suppressed && reaches(finding.severity, failOn)),
    ).length;
    expect(actual).toEqual({
      tests: summary.targets,
      failures: summary.failed + failingUnverifiable,
      errors: summary.errored,
      skipped: summary.unverifiable - failingUnverifiable,
    });
  });

  it('has failures whenever findings make the run exit 1 (--fail-on warning with an unverifiable target)', () => {
    const report = reports.get('warning')!;
    const unverifiable = report.results.filter((result) => result.verdict === 'unverifiable');
    expect(unverifiable.length).toBeGreaterThan(0);
    const suite = only(parse(formatJunit({ ...report, results: unverifiable, summary: { ...report.summary, failed: 0 } })), 'testsuite');
    expect(Number(suite.getAttribute('failures'))).toBe(unverifiable.length);
    expect(all(suite, 'skipped')).toHaveLength(0);
    expect(all(suite, 'failure')[0]!.getAttribute('type')).toBe('unverifiable');
  });

  it('fails a test case for --max-warnings when the warnings alone fail the run, and counts it', () => {
    const report = reports.get('error')!;
    // No target fails: only the threshold makes the run exit 1.
    const results = report.results.filter((result) => result.verdict === 'pass' || result.verdict === 'unverifiable');
    const quiet = { ...report, results, summary: { ...report.summary, targets: results.length, failed: 0, errored: 0 }, maxWarnings: 1 };
    expect(quiet.summary.warnings).toBe(2);
    const root = parse(formatJunit(quiet));
    expect(counts(root)).toEqual({ tests: results.length + 1, failures: 1, errors: 0, skipped: 1 });
    const threshold = all(root, 'testcase').at(-1)!;
    expect([threshold.getAttribute('name'), threshold.getAttribute('classname')]).toEqual(['at most 1 warning (--max-warnings)', 'imglint.max-warnings']);
    const failure = only(threshold, 'failure');
    expect([failure.getAttribute('type'), failure.getAttribute('message')]).toEqual(['max-warnings', '2 warnings, more than --max-warnings 1 allows']);
    expect(failure.textContent!.split('\n').map((line) => line.split(':')[0])).toEqual(['warning image-deprecated', 'warning unverifiable']);
    expect(all(root, 'property').find((element) => element.getAttribute('name') === 'maxWarnings')!.getAttribute('value')).toBe('1');
    // Within the threshold the test case passes; without one there is none.
    const within = parse(formatJunit({ ...quiet, maxWarnings: 2 }));
    expect(counts(within)).toEqual({ tests: results.length + 1, failures: 0, errors: 0, skipped: 1 });
    expect(counts(parse(formatJunit({ ...quiet, maxWarnings: undefined })))).toEqual({ tests: results.length, failures: 0, errors: 0, skipped: 1 });
  });

  it('names a test case after the image, the type and the resource address, in class provider.region, with its file', () => {
    const cases = testcases().map((element) => [element.getAttribute('name'), element.getAttribute('classname'), element.getAttribute('file'), element.getAttribute('line')]);
    expect(cases).toEqual([
      ['ami-0e972d2890378139a on c5.large (aws_instance.legacy)', 'aws.us-east-1', PLAN, '41'],
      ['ami-0006118602dfc1c09 on t3.micro (aws_instance.web)', 'aws.us-east-1', PLAN, '88'],
      ['ami-04fc404d256fd34a2 on c5.large (batch)', 'aws.us-east-1', MANIFEST, '12'],
      ['f8ae535e-67c0-41a5-bf55-b06d0ee40cc2 on general1-1', 'rackspace.IAD', null, null],
      ['ami-04fc404d256fd34a2 on m7g.large (aws_instance.graviton)', 'aws.us-east-1', PLAN, '102'],
      ['(known after apply) on t3.small (aws_instance.hardened)', 'aws.us-east-1', PLAN, '120'],
      ['ami-01f446d4eeaed8a3c on m9.large (aws_instance.next)', 'aws.us-east-1', PLAN, '150'],
    ]);
  });

  it('fails a target with every finding at or above failOn in the body, and lists the rest in system-out', () => {
    const legacy = testcase('ami-0e972d2890378139a on c5.large (aws_instance.legacy)');
    const failure = only(legacy, 'failure');
    expect(failure.getAttribute('type')).toBe('virtualization-type');
    expect(failure.getAttribute('message')).toBe('AMI ami-0e972d2890378139a is paravirtual; c5.large supports only hvm (and 1 more)');
    const body = failure.textContent!;
    expect(body).toMatch(/^error virtualization-type: AMI ami-0e972d2890378139a is paravirtual/);
    expect(body).toContain('\n\nerror ena-support: ');
    expect(body).toContain("  launch error: InvalidParameterCombination: Enhanced networking with the Elastic Network Adapter (ENA) is required for the 'c5.large'");
    expect(body).not.toContain('previous-generation');
    expect(only(legacy, 'system-out').textContent).toMatch(/^info previous-generation \(not failing\): c5\.large is a previous-generation instance type/);
  });

  it('does not fail a target on a suppressed finding, and says why in system-out', () => {
    const batch = testcase('ami-04fc404d256fd34a2 on c5.large (batch)');
    expect(all(batch, 'failure')).toHaveLength(0);
    expect(only(batch, 'system-out').textContent).toContain('error architecture (suppressed: Graviton rollout, see OPS-1234, until 2027-03-31): AMI ami-04fc404d256fd34a2 is arm64');
  });

  it('lowers the bar with failOn: a warning fails at warning, a suppressed error still does not at info', () => {
    expect(only(testcase('ami-0006118602dfc1c09 on t3.micro (aws_instance.web)', 'warning'), 'failure').getAttribute('type')).toBe('image-deprecated');
    const batch = only(testcase('ami-04fc404d256fd34a2 on c5.large (batch)', 'info'), 'failure');
    expect(batch.getAttribute('type')).toBe('previous-generation');
    expect(batch.textContent).not.toContain('architecture');
    expect(all(parse(formatJunit(reports.get('never')!)), 'failure')).toHaveLength(0);
  });

  it('skips an unverifiable target with the reason', () => {
    const skipped = only(testcase('(known after apply) on t3.small (aws_instance.hardened)'), 'skipped');
    expect(skipped.getAttribute('message')).toBe('Cannot check before apply: ami is known only after apply (aws_ami_copy.hardened)');
  });

  it('reports a target that could not be checked as an error with its code, message and hint', () => {
    const error = only(testcase('ami-01f446d4eeaed8a3c on m9.large (aws_instance.next)'), 'error');
    expect(error.getAttribute('type')).toBe('InstanceTypeNotFound');
    expect(error.getAttribute('message')).toMatch(/^Unknown instance type m9\.large: not in imglint's embedded EC2 catalog/);
    expect(error.textContent).toMatch(/^input error InstanceTypeNotFound: Unknown instance type m9\.large.*\nDid you mean m1\.large, m3\.large or m4\.large\?/s);
  });

  it('records the threshold and the catalogs as suite properties', () => {
    const properties = all(parse(formatJunit(reports.get('error')!)), 'property').map((element) => [element.getAttribute('name'), element.getAttribute('value')]);
    expect(properties[1]).toEqual(['failOn', 'error']);
    expect(properties.filter(([name]) => name === 'catalog')).toHaveLength(2);
  });

  it('escapes markup and replaces characters XML cannot carry, so the document always parses', () => {
    const report = structuredClone(reports.get('error')!);
    const finding = report.results[0]!.findings[0]!;
    finding.message = 'a <b> & "c" \u0001 ]]> d';
    const failure = all(parse(formatJunit(report)), 'failure')[0]!;
    expect(failure.getAttribute('message')).toBe('a <b> & "c" \uFFFD ]]> d (and 1 more)');
    expect(failure.textContent).toContain('error virtualization-type: a <b> & "c" \uFFFD ]]> d');
  });
});
