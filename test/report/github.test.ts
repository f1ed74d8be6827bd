import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding, Report } from '../../src/model/index.js';
import { formatGithub, githubStepSummary } from '../../src/report/github.js';
import { sampleReport } from './sample-report.js';

let sample: Report;
beforeAll(async () => {
  sample = await sampleReport();
});

/** The sample's first target alone, from `file` and `line`, with the given findings. */
function oneTarget(findings: Finding[], source: { file: string; line?: number } | undefined): Report {
  const [first] = sample.results;
  const target = { ...first!.target, source };
  if (source === undefined) delete target.source;
  return { ...sample, notices: [], results: [{ ...first!, target, findings }] };
}

const finding = (overrides: Partial<Finding>): Finding => ({
  ruleId: 'virtualization-type',
  severity: 'error',
  message: 'm',
  fix: 'f',
  docs: 'https://github.com/imglint/imglint/blob/main/docs/rules/virtualization-type.md',
  ...overrides,
});

describe('formatGithub', () => {
  it('escapes %, CR and LF in the message, and also : and , in properties', () => {
    const report = oneTarget([finding({ message: '100% broken: a, b\r\nnext', fix: 'use c5:large, not 50%' })], { file: 'infra/a,b:c%d.json', line: 7 });
    expect(formatGithub(report)).toBe(
      '::error file=infra/a%2Cb%3Ac%25d.json,line=7,title=virtualization-type::100%25 broken: a, b%0D%0Anext%0AFix: use c5:large, not 50%25\n',
    );
  });

  it('writes the provider error between the message and the fix', () => {
    const report = oneTarget([finding({ providerError: { code: 'InvalidParameterCombination', message: 'No.', inferred: true } })], { file: 'plan.json' });
    expect(formatGithub(report)).toBe(
      '::error file=plan.json,title=virtualization-type::m%0ALaunch error: InvalidParameterCombination: No. (documented, not captured)%0AFix: f\n',
    );
  });

  it('leaves out file= for a target without a source file, and line= when the line is unknown', () => {
    expect(formatGithub(oneTarget([finding({ severity: 'warning' })], undefined))).toBe('::warning title=virtualization-type::m%0AFix: f\n');
    expect(formatGithub(oneTarget([finding({ severity: 'info' })], { file: 'plan.json' }))).toBe('::notice file=plan.json,title=virtualization-type::m%0AFix: f\n');
  });

  it('puts the most severe first, with unchecked targets among the errors and the notices last', () => {
    const lines = formatGithub(sample).trimEnd().split('\n');
    expect(lines.map((line) => /^::(\w+) ([^:]*)::/.exec(line)!.slice(1, 3).join(' '))).toEqual([
      'error file=examples/terraform/plan.json,line=41,title=virtualization-type',
      'error file=examples/terraform/plan.json,line=41,title=ena-support',
      'error title=auto-disk-config',
      'error file=examples/terraform/plan.json,line=150,title=imglint%3A InstanceTypeNotFound',
      'warning file=examples/terraform/plan.json,line=88,title=image-deprecated',
      'warning file=examples/terraform/plan.json,line=120,title=unverifiable',
      'notice file=examples/terraform/plan.json,line=41,title=previous-generation',
      'notice file=deploy/imglint.yaml,line=12,title=previous-generation',
      'notice title=imglint',
    ]);
    expect(lines[3]).toMatch(/::ami-01f446d4eeaed8a3c on m9\.large in us-east-1 could not be checked: Unknown instance type m9\.large.*%0ADid you mean/);
    expect(lines.at(-1)).toBe(`::notice title=imglint::${sample.notices[0]}`);
  });

  it('writes no command for a suppressed finding', () => {
    expect(formatGithub(sample)).not.toContain('title=architecture');
    expect(formatGithub(sample)).not.toContain('is arm64; c5.large runs only x86_64');
  });

  it('keeps every command when there are more than GitHub shows', () => {
    const many = oneTarget(Array.from({ length: 12 }, (_, index) => finding({ message: `m${index}` })), { file: 'plan.json' });
    expect(formatGithub(many).trimEnd().split('\n')).toHaveLength(12);
  });
});

describe('githubStepSummary', () => {
  it('starts with the outcome and the summary line', () => {
    const [heading, blank, line] = githubStepSummary(sample).split('\n');
    expect([heading, blank, line]).toEqual([
      '### imglint: 2 of 7 targets failed',
      '',
      '3 passed, 2 failed, 1 unverifiable, 1 errored; 3 error(s), 2 warning(s), 2 info, 1 suppressed (fail on: error)',
    ]);
  });

  it('says when more warnings than maxWarnings allows fail the run', () => {
    const [, , line, blank, verdict] = githubStepSummary({ ...sample, maxWarnings: 1 }).split('\n');
    expect(line).toMatch(/ \(fail on: error, max warnings: 1\)$/);
    expect([blank, verdict]).toEqual(['', '**The run fails: 2 warnings, more than --max-warnings 1 allows.**']);
    expect(githubStepSummary({ ...sample, maxWarnings: 2 })).not.toContain('The run fails');
  });

  it('lists every unsuppressed finding and unchecked target in a table, most severe first', () => {
    const rows = githubStepSummary(sample)
      .split('\n')
      .filter((line) => /^\| (error|warning|info) \| \[?[a-zA-Z-]+\]?/.test(line) && !line.includes('Graviton'));
    expect(rows.map((row) => row.split(' | ').slice(0, 4).join(' | '))).toEqual([
      '| error | [virtualization-type](https://github.com/imglint/imglint/blob/main/docs/rules/virtualization-type.md) | ami-0e972d2890378139a | c5.large',
      '| error | [ena-support](https://github.com/imglint/imglint/blob/main/docs/rules/ena-support.md) | ami-0e972d2890378139a | c5.large',
      '| error | [auto-disk-config](https://github.com/imglint/imglint/blob/main/docs/rules/auto-disk-config.md) | f8ae535e-67c0-41a5-bf55-b06d0ee40cc2 | general1-1',
      '| error | InstanceTypeNotFound | ami-01f446d4eeaed8a3c | m9.large',
      '| warning | [image-deprecated](https://github.com/imglint/imglint/blob/main/docs/rules/image-deprecated.md) | ami-0006118602dfc1c09 | t3.micro',
      '| warning | [unverifiable](https://github.com/imglint/imglint/blob/main/docs/rules/unverifiable.md) | (known after apply) | t3.small',
      '| info | [previous-generation](https://github.com/imglint/imglint/blob/main/docs/rules/previous-generation.md) | ami-0e972d2890378139a | c5.large',
      '| info | [previous-generation](https://github.com/imglint/imglint/blob/main/docs/rules/previous-generation.md) | ami-04fc404d256fd34a2 | c5.large',
    ]);
    expect(rows[0]).toContain('| examples/terraform/plan.json:41 (aws_instance.legacy) | AMI ami-0e972d2890378139a is paravirtual; c5.large supports only hvm<br>Launch error: ');
  });

  it('lists suppressed findings apart, with reason and expiry, then the notices and catalogs', () => {
    const summary = githubStepSummary(sample);
    expect(summary).toContain(
      '**Suppressed (1)**\n\n| severity | rule | image | type | reason | expires |\n|---|---|---|---|---|---|\n| error | architecture | ami-04fc404d256fd34a2 | c5.large | Graviton rollout, see OPS-1234 | 2027-03-31 |',
    );
    expect(summary).toContain(`\n- ${sample.notices[0]}\n`);
    expect(summary).toMatch(/\nCatalogs: imglint embedded catalog: moto instance_types\.json @\w+ \(data as of 2026-08-02\); imglint embedded Rackspace catalog/);
  });

  it('escapes table cells: pipes, Markdown emphasis, HTML-like text, line breaks', () => {
    const report = oneTarget([finding({ message: 'flavor_classes *,!io1 | <id>\nnext', fix: 'f' })], { file: 'plan.json' });
    expect(githubStepSummary(report)).toContain('| flavor_classes \\*,!io1 \\| \\<id\\><br>next<br>Fix: f |');
  });

  it('says when GitHub hides annotations, and only then', () => {
    expect(githubStepSummary(sample)).not.toContain('GitHub shows at most');
    const many = oneTarget(Array.from({ length: 11 }, (_, index) => finding({ message: `m${index}` })), { file: 'plan.json' });
    expect(githubStepSummary(many)).toContain('> GitHub shows at most 10 annotations of each kind per step; this table lists all 11 (more than 10 errors).');
  });
});
