import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyInlineIgnores } from '../../src/config/inline-ignores.js';
import { Report } from '../../src/model/index.js';
import { useTempDir } from '../support/temp-dir.js';
import { sampleReport } from './sample-report.js';

let report: Report;
beforeAll(async () => {
  report = await sampleReport();
});
const dir = useTempDir('imglint-inline-');

/**
 * The sample report with its two sourced targets pointing at `main.tf` lines 5 (t2.micro, virtualization-type) and
 * 12 (c5.large: virtualization-type, ena-support, previous-generation), as plan findings do once they point at the
 * Terraform configuration.
 */
function atLines(file: string): Report {
  const [legacy, app, rest] = report.results as [Report['results'][number], Report['results'][number], Report['results'][number]];
  return {
    ...report,
    results: [
      { ...legacy, target: { ...legacy.target, source: { file, line: 5, address: 'aws_instance.legacy' } } },
      { ...app, target: { ...app.target, source: { file, line: 12, address: 'aws_instance.app' } } },
      rest,
    ],
  };
}

const MAIN_TF = [
  'provider "aws" {', //                                                              1
  '  region = "us-east-1"', //                                                        2
  '}', //                                                                             3
  '# imglint-ignore virtualization-type -- legacy fleet, moving to HVM (OPS-1234)', // 4
  'resource "aws_instance" "legacy" {', //                                            5
  '  ami           = "ami-0e972d2890378139a"', //                                     6
  '  instance_type = "t2.micro"', //                                                  7
  '}', //                                                                             8
  '', //                                                                              9
  '# The app servers.', //                                                           10
  '// imglint-ignore ena-support -- ENA driver ships in the next AMI', //           11
  'resource "aws_instance" "app" {', //                                              12
  '}',
].join('\n');

async function write(name: string, text: string): Promise<string> {
  await mkdir(dir(), { recursive: true });
  await writeFile(join(dir(), name), text);
  return name;
}

describe('applyInlineIgnores', () => {
  it('suppresses the rule named on the comment lines directly above the resource, and counts it like a config ignore', async () => {
    const file = await write('main.tf', MAIN_TF);
    const applied = await applyInlineIgnores(atLines(file), { cwd: dir() });
    const suppressed = applied.results.map((result) => result.findings.filter((f) => f.suppressed).map((f) => [f.ruleId, f.suppressed]));
    expect(suppressed).toEqual([
      [['virtualization-type', { reason: 'legacy fleet, moving to HVM (OPS-1234)', kind: 'inline' }]],
      [['ena-support', { reason: 'ENA driver ships in the next AMI', kind: 'inline' }]],
      [],
    ]);
    expect(applied.results.map((result) => result.verdict)).toEqual(['pass', 'fail', 'pass']);
    expect(applied.summary).toMatchObject({ passed: 2, failed: 1, suppressed: 2, errors: 1 });
    expect(applied.notices).toEqual([]);
  });

  it('works in YAML sources (a CloudFormation template, a manifest): # comments above the resource', async () => {
    const file = await write('template.yaml', ['Resources:', '  # imglint-ignore virtualization-type -- accepted', '  Legacy:', '    Type: AWS::EC2::Instance'].join('\n'));
    const one = atLines(file);
    one.results[0]!.target.source = { file, line: 3, address: 'Legacy' };
    const applied = await applyInlineIgnores({ ...one, results: [one.results[0]!] }, { cwd: dir() });
    expect(applied.summary.suppressed).toBe(1);
  });

  it('a comment that is not directly above (a blank line between) does not apply', async () => {
    const file = await write('gap.tf', MAIN_TF.replace('resource "aws_instance" "legacy"', '\nresource "aws_instance" "legacy"'));
    const shifted = atLines(file);
    shifted.results[0]!.target.source!.line = 6;
    const applied = await applyInlineIgnores(shifted, { cwd: dir() });
    expect(applied.results[0]!.findings[0]!.suppressed).toBeUndefined();
  });

  it('says which directives it cannot apply: no reason, an unknown rule (with a suggestion), or one that matched nothing', async () => {
    const text = MAIN_TF.replace('# imglint-ignore virtualization-type -- legacy fleet, moving to HVM (OPS-1234)', '# imglint-ignore virtualization-type')
      .replace('// imglint-ignore ena-support -- ENA driver ships in the next AMI', '# imglint-ignore ena-suport -- typo\n# imglint-ignore nitro-tpm -- not here');
    const file = await write('bad.tf', text);
    const shifted = atLines(file);
    shifted.results[1]!.target.source!.line = 13;
    const applied = await applyInlineIgnores(shifted, { cwd: dir() });
    expect(applied.summary.suppressed).toBe(0);
    expect(applied.notices).toEqual([
      'bad.tf:4: an inline ignore needs a rule ID and a reason (# imglint-ignore <rule-id> -- <reason>); it is not applied',
      'bad.tf:11: the inline ignore names an unknown rule id ena-suport (did you mean ena-support?); it is not applied',
      'bad.tf:12: the inline ignore of nitro-tpm matched no finding; remove it if it is stale',
    ]);
  });

  it('leaves findings alone when the source cannot be read, and never blocks on a FIFO', async () => {
    execFileSync('mkfifo', [join(dir(), 'pipe.tf')]);
    for (const file of ['missing.tf', 'pipe.tf']) {
      const applied = await applyInlineIgnores(atLines(file), { cwd: dir() });
      expect(applied.summary.suppressed).toBe(0);
    }
  });
});
