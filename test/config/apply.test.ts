import { beforeAll, describe, expect, it } from 'vitest';
import { applyConfig } from '../../src/config/apply.js';
import { parseConfig } from '../../src/config/parse.js';
import type { ImglintConfig } from '../../src/config/schema.js';
import { Report, type Finding } from '../../src/model/index.js';
import { exceedsMaxWarnings } from '../../src/report/max-warnings.js';
import { NOW, PV_AMI, sampleReport } from './sample-report.js';

let report: Report;
beforeAll(async () => {
  report = await sampleReport();
});

/** `[type, verdict, [ruleId, severity, suppressed?]...]` per result: what a reader of the report sees. */
function outline(from: Report) {
  return from.results.map((result) => [
    result.target.type,
    result.verdict,
    result.findings.map((f: Finding) => `${f.ruleId}:${f.severity}${f.suppressed ? ' (suppressed)' : ''}`),
  ]);
}

const apply = (config: ImglintConfig, now = NOW) => applyConfig(report, config, '.imglint.yaml', now);

describe('the sample report (findings from lint() on the example PV AMI)', () => {
  it('is a valid Report: t2.micro and c5.large fail, m3.medium passes', () => {
    expect(Report.safeParse(report).success).toBe(true);
    expect(outline(report)).toEqual([
      ['t2.micro', 'fail', ['virtualization-type:error']],
      ['c5.large', 'fail', ['virtualization-type:error', 'ena-support:error', 'previous-generation:info']],
      ['m3.medium', 'pass', ['previous-generation:info']],
    ]);
    expect(report.summary).toMatchObject({ targets: 3, passed: 1, failed: 2, errors: 3, warnings: 0, infos: 2, suppressed: 0 });
  });
});

describe('applyConfig: rule severity overrides', () => {
  it('an empty config changes nothing but still yields a valid report', () => {
    const applied = apply({});
    expect(applied).toEqual(report);
    expect(applied).not.toBe(report);
  });

  it('changes the severity of every finding of the rule, and the verdicts follow', () => {
    const applied = apply({ rules: { 'virtualization-type': 'warning' } });
    expect(outline(applied)).toEqual([
      ['t2.micro', 'pass', ['virtualization-type:warning']],
      ['c5.large', 'fail', ['virtualization-type:warning', 'ena-support:error', 'previous-generation:info']],
      ['m3.medium', 'pass', ['previous-generation:info']],
    ]);
    expect(applied.summary).toMatchObject({ passed: 2, failed: 1, errors: 1, warnings: 2, infos: 2 });
  });

  it('raising a severity can make a passing target fail', () => {
    const applied = apply({ rules: { 'previous-generation': 'error' } });
    expect(applied.results.map((result) => result.verdict)).toEqual(['fail', 'fail', 'fail']);
    expect(applied.summary).toMatchObject({ failed: 3, errors: 5, infos: 0 });
  });

  it('off removes the rule\'s findings', () => {
    const applied = apply({ rules: { 'previous-generation': 'off', 'ena-support': 'off' } });
    expect(outline(applied)).toEqual([
      ['t2.micro', 'fail', ['virtualization-type:error']],
      ['c5.large', 'fail', ['virtualization-type:error']],
      ['m3.medium', 'pass', []],
    ]);
    expect(applied.summary).toMatchObject({ errors: 2, infos: 0, suppressed: 0 });
  });

  it('uses the report\'s failOn for the verdicts', async () => {
    const strict = await sampleReport('warning');
    const applied = applyConfig(strict, { rules: { 'previous-generation': 'warning' } }, '.imglint.yaml', NOW);
    expect(applied.results.map((result) => result.verdict)).toEqual(['fail', 'fail', 'fail']);
  });

  it('does not change the report it is given', () => {
    const before = structuredClone(report);
    apply({ rules: { 'virtualization-type': 'off' }, ignore: [{ rule: 'ena-support', reason: 'r' }] });
    expect(report).toEqual(before);
  });
});

describe('applyConfig: ignores', () => {
  const reason = 'legacy fleet, moving to HVM';

  it('a suppressed finding is kept with its reason and expiry, counts apart, and the verdict flips to pass', () => {
    const applied = apply({ ignore: [{ rule: 'virtualization-type', type: 't2.*', reason, expires: '2027-01-31' }] });
    expect(outline(applied)[0]).toEqual(['t2.micro', 'pass', ['virtualization-type:error (suppressed)']]);
    expect(applied.results[0]!.findings[0]!.suppressed).toEqual({ reason, expires: '2027-01-31' });
    expect(applied.summary).toMatchObject({ targets: 3, passed: 2, failed: 1, errors: 2, warnings: 0, infos: 2, suppressed: 1 });
    expect(applied.notices).toEqual([]);
    expect(Report.safeParse(applied).success).toBe(true);
  });

  it('by rule alone: every finding of the rule', () => {
    const applied = apply({ ignore: [{ rule: 'virtualization-type', reason }] });
    expect(outline(applied)).toEqual([
      ['t2.micro', 'pass', ['virtualization-type:error (suppressed)']],
      ['c5.large', 'fail', ['virtualization-type:error (suppressed)', 'ena-support:error', 'previous-generation:info']],
      ['m3.medium', 'pass', ['previous-generation:info']],
    ]);
    expect(applied.results[0]!.findings[0]!.suppressed).toEqual({ reason });
  });

  it.each([
    ['an image glob', { image: 'ami-0e97*' }, ['t2.micro', 'c5.large']],
    ['an exact image', { image: PV_AMI }, ['t2.micro', 'c5.large']],
    ['an image glob that does not match', { image: 'ami-1*' }, []],
    ['a type glob with *', { type: 'c5.*' }, ['c5.large']],
    ['a type glob with ?', { type: 't?.micro' }, ['t2.micro']],
    ['a type glob is whole-string', { type: 't2' }, []],
    ['dots are literal', { type: 't2-micro' }, []],
    ['an address glob', { target: 'aws_instance.legacy*' }, ['t2.micro']],
    ['a file glob (./ in the plan path is ignored)', { file: 'plans/legacy.*' }, ['t2.micro']],
    ['a file glob written with ./', { file: './plans/*.json' }, ['t2.micro', 'c5.large']],
    ['every glob must match', { image: 'ami-*', target: 'aws_instance.app' }, ['c5.large']],
  ])('by %s', (_, globs, suppressedTypes) => {
    const applied = apply({ ignore: [{ rule: 'virtualization-type', reason, ...globs }] });
    const suppressed = applied.results.filter((result) => result.findings.some((f) => f.suppressed)).map((result) => result.target.type);
    expect(suppressed).toEqual(suppressedTypes);
  });

  it.each([
    ['* does not cross / (as in ESLint and .gitignore)', 'plans/*.json', ['plans/x.json']],
    ['** crosses /', 'plans/**/*.json', ['plans/x.json', 'plans/old/x.json']],
    ['braces', 'plans/{old,new}/*.json', ['plans/old/x.json']],
    ['dotfiles match', '.ci/*.json', ['.ci/x.json']],
  ])('file globs have picomatch semantics: %s', (_, file, suppressedFiles) => {
    const files = ['plans/x.json', 'plans/old/x.json', '.ci/x.json'];
    const nested: typeof report = {
      ...report,
      results: files.map((path) => ({ ...report.results[0]!, target: { ...report.results[0]!.target, source: { file: path, line: 3, address: 'aws_instance.web[0]' } } })),
    };
    const applied = applyConfig(nested, { ignore: [{ rule: 'virtualization-type', file, reason }] }, '.imglint.yaml', NOW);
    expect(applied.results.filter((result) => result.findings.some((f) => f.suppressed)).map((result) => result.target.source!.file)).toEqual(suppressedFiles);
  });

  it('an address glob takes Terraform index brackets literally', () => {
    const indexed: typeof report = { ...report, results: [{ ...report.results[0]!, target: { ...report.results[0]!.target, source: { file: 'p.json', address: 'module.w.aws_instance.this[0]' } } }] };
    const suppressedBy = (target: string) => applyConfig(indexed, { ignore: [{ rule: 'virtualization-type', target, reason }] }, '.imglint.yaml', NOW).summary.suppressed;
    expect([suppressedBy('module.w.aws_instance.this[0]'), suppressedBy('module.w.aws_instance.this[*]'), suppressedBy('module.w.aws_instance.this[1]')]).toEqual([1, 1, 0]);
  });

  it('an address or file glob never matches a target without a source', () => {
    const applied = apply({ ignore: [{ rule: 'previous-generation', target: '*', reason }, { rule: 'previous-generation', file: '*', reason }] });
    expect(outline(applied)[2]).toEqual(['m3.medium', 'pass', ['previous-generation:info']]);
    expect(outline(applied)[1]![2]).toContain('previous-generation:info (suppressed)');
  });

  it("'*' suppresses every rule where its globs match", () => {
    const applied = apply({ ignore: [{ rule: '*', target: 'aws_instance.app', reason }] });
    expect(outline(applied)[1]).toEqual([
      'c5.large',
      'pass',
      ['virtualization-type:error (suppressed)', 'ena-support:error (suppressed)', 'previous-generation:info (suppressed)'],
    ]);
    expect(applied.summary).toMatchObject({ failed: 1, errors: 1, infos: 1, suppressed: 3 });
  });

  it('the first matching ignore gives the reason', () => {
    const applied = apply({ ignore: [{ rule: 'virtualization-type', type: 't2.*', reason: 'first' }, { rule: 'virtualization-type', reason: 'second' }] });
    expect(applied.results.map((result) => result.findings[0]!.suppressed?.reason)).toEqual(['first', 'second', undefined]);
  });

  it('overrides apply before ignores: the suppressed finding keeps the overridden severity', () => {
    const applied = apply({ rules: { 'previous-generation': 'warning' }, ignore: [{ rule: 'previous-generation', type: 'm3.*', reason }] });
    expect(outline(applied)[2]).toEqual(['m3.medium', 'pass', ['previous-generation:warning (suppressed)']]);
    expect(applied.summary).toMatchObject({ warnings: 1, suppressed: 1 });
  });

  it('unverifiable and error verdicts stand', () => {
    const odd: Report = {
      ...report,
      results: [
        { ...report.results[0]!, verdict: 'unverifiable' },
        { ...report.results[1]!, verdict: 'error', findings: [], error: { kind: 'provider', code: 'AuthFailure', message: 'no credentials' } },
      ],
    };
    const applied = applyConfig(odd, { ignore: [{ rule: 'virtualization-type', reason }] }, '.imglint.yaml', NOW);
    expect(applied.results.map((result) => result.verdict)).toEqual(['unverifiable', 'error']);
    expect(applied.summary).toMatchObject({ unverifiable: 1, errored: 1, suppressed: 1 });
  });
});

describe('applyConfig: expired and unused ignores', () => {
  const yaml = [
    'failOn: error', //                               1
    'ignore:', //                                     2
    '  - rule: virtualization-type', //               3
    `    image: ${PV_AMI}`, //                        4
    '    reason: legacy fleet, moving to HVM', //     5
    '    expires: 2026-01-31', //                     6
    '  - rule: nvme-support', //                      7
    '    type: "m5.*"', //                            8
    '    reason: drivers ship in the next image', //  9
    '  - rule: previous-generation', //               10
    '    reason: we know', //                         11
  ].join('\n');

  it('an expired ignore does not apply and says so; an ignore that matched nothing is reported', () => {
    const applied = apply(parseConfig(yaml, '.imglint.yaml'));
    expect(outline(applied).map(([type, verdict]) => [type, verdict])).toEqual([
      ['t2.micro', 'fail'],
      ['c5.large', 'fail'],
      ['m3.medium', 'pass'],
    ]);
    expect(applied.results[0]!.findings[0]!.suppressed).toBeUndefined();
    expect(applied.notices).toEqual([
      `.imglint.yaml:3: the ignore of virtualization-type for ${PV_AMI} expired on 2026-01-31 and no longer applies`,
      '.imglint.yaml:7: the ignore of nvme-support on m5.* matched no finding; remove it if it is stale',
    ]);
    expect(applied.summary).toMatchObject({ errors: 3, infos: 0, suppressed: 2 });
  });

  it('a date covers its whole day in UTC', () => {
    const config: ImglintConfig = { ignore: [{ rule: 'virtualization-type', reason: 'r', expires: '2026-11-29' }] };
    expect(apply(config, new Date('2026-11-29T23:59:59Z')).summary.suppressed).toBe(2);
    const expired = apply(config, new Date('2026-11-30T00:00:00Z'));
    expect(expired.summary.suppressed).toBe(0);
    expect(expired.notices).toEqual(['.imglint.yaml: the ignore of virtualization-type expired on 2026-11-29 and no longer applies']);
  });

  it('a date and time expires at that instant', () => {
    const config: ImglintConfig = { ignore: [{ rule: 'virtualization-type', reason: 'r', expires: '2026-11-29T14:00:00+02:00' }] };
    expect(apply(config, new Date('2026-11-29T11:59:59Z')).summary.suppressed).toBe(2);
    expect(apply(config, new Date('2026-11-29T12:00:00Z')).summary.suppressed).toBe(0);
  });

  it('an ignore of a rule that is off matched nothing, and the notice says why', () => {
    const applied = apply({ rules: { 'ena-support': 'off' }, ignore: [{ rule: 'ena-support', reason: 'r', line: 9 }] });
    expect(applied.notices).toEqual(['.imglint.yaml:9: the ignore of ena-support matched no finding (the rule is off in this file); remove it if it is stale']);
  });

  it('keeps the notices the report already had, first', () => {
    const withNotice = { ...report, notices: ['the embedded catalog is 119 days old'] };
    const applied = applyConfig(withNotice, { ignore: [{ rule: '*', type: 'x*', reason: 'r', line: 2 }] }, 'ci/imglint.yaml', NOW);
    expect(applied.notices).toEqual([
      'the embedded catalog is 119 days old',
      'ci/imglint.yaml:2: the ignore of every rule on x* matched no finding; remove it if it is stale',
    ]);
  });
});

describe('maxWarnings', () => {
  const limited = (from: Report, maxWarnings: number | undefined) => (maxWarnings === undefined ? from : { ...from, maxWarnings });

  it('is true only when there are more unsuppressed warnings than allowed', () => {
    const warned = apply({ rules: { 'previous-generation': 'warning' } });
    expect(warned.summary.warnings).toBe(2);
    expect(exceedsMaxWarnings(limited(warned, 1))).toBe(true);
    expect(exceedsMaxWarnings(limited(warned, 2))).toBe(false);
    expect(exceedsMaxWarnings(limited(warned, undefined))).toBe(false);
    expect(exceedsMaxWarnings(limited(report, 0))).toBe(false);
  });

  it('does not count suppressed warnings', () => {
    const applied = apply({ rules: { 'previous-generation': 'warning' }, ignore: [{ rule: 'previous-generation', type: 'c5.*', reason: 'r' }] });
    expect(exceedsMaxWarnings(limited(applied, 0))).toBe(true);
    expect(exceedsMaxWarnings(limited(applied, 1))).toBe(false);
  });

  it("becomes the report's threshold, unless the report has its own (--max-warnings)", () => {
    expect(apply({ maxWarnings: 3 }).maxWarnings).toBe(3);
    expect(apply({}).maxWarnings).toBeUndefined();
    expect(applyConfig({ ...report, maxWarnings: 0 }, { maxWarnings: 3 }, '.imglint.yaml', NOW).maxWarnings).toBe(0);
  });
});
