import { beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import type { Report } from '../../src/model/index.js';
import { formatGitlab, type CodeQualityIssue } from '../../src/report/gitlab.js';
import { MANIFEST, movedLines, PLAN, sampleReport } from './sample-report.js';

const FALLBACK = 'imglint.yaml';
const issues = (report: Report, fallbackFile: string | undefined = FALLBACK) =>
  JSON.parse(formatGitlab(report, { fallbackFile })) as CodeQualityIssue[];

describe('formatGitlab', () => {
  let report: Report;
  beforeAll(async () => {
    report = await sampleReport();
  });

  it('writes a JSON array of issues with exactly the Code Quality fields', () => {
    const list = issues(report);
    expect(Array.isArray(list)).toBe(true);
    for (const issue of list) {
      expect(Object.keys(issue).sort()).toEqual(['check_name', 'description', 'fingerprint', 'location', 'severity']);
      expect(Object.keys(issue.location).sort()).toEqual(['lines', 'path']);
      expect(issue.description).not.toBe('');
      expect(Number.isInteger(issue.location.lines.begin) && issue.location.lines.begin >= 1).toBe(true);
    }
    expect(list[0]).toEqual({
      description:
        "AMI ami-0e972d2890378139a is paravirtual; c5.large supports only hvm. Launch error: InvalidParameterCombination: Virtualization type 'hvm' is required for instances of type 'c5.large'. Ensure that you are using an AMI with virtualization type 'hvm'. For more information, see http://docs.aws.amazon.com/AWSEC2/latest/UserGuide/virtualization_types.html. Fix: Use an HVM build of the same OS, or an instance type that supports paravirtual",
      check_name: 'virtualization-type',
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
      severity: 'major',
      location: { path: PLAN, lines: { begin: 41 } },
    });
  });

  it('has one issue per unsuppressed finding, leaving out suppressed findings and unchecked targets', () => {
    expect(issues(report).map((issue) => `${issue.check_name} ${issue.severity} ${issue.location.path}:${issue.location.lines.begin}`)).toEqual([
      `virtualization-type major ${PLAN}:41`,
      `ena-support major ${PLAN}:41`,
      `previous-generation info ${PLAN}:41`,
      `image-deprecated minor ${PLAN}:88`,
      `previous-generation info ${MANIFEST}:12`,
      `auto-disk-config major ${FALLBACK}:1`,
      `unverifiable minor ${PLAN}:120`,
    ]);
  });

  it('gives unique fingerprints that survive another run and a moved line', async () => {
    const fingerprints = issues(report).map((issue) => issue.fingerprint);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
    expect(issues(await sampleReport()).map((issue) => issue.fingerprint)).toEqual(fingerprints);
    const moved = issues(movedLines(report, 3));
    expect(moved[0]!.location.lines.begin).toBe(44);
    expect(moved.map((issue) => issue.fingerprint)).toEqual(fingerprints);
  });

  it('keeps fingerprints unique when the same target is listed twice in one file', () => {
    const twice = { ...report, results: [report.results[0]!, report.results[0]!] };
    const fingerprints = issues(twice).map((issue) => issue.fingerprint);
    expect(fingerprints).toHaveLength(6);
    expect(new Set(fingerprints).size).toBe(6);
  });

  it('refuses a finding without a file when no fallback file is given', () => {
    expect(() => formatGitlab(report)).toThrow(UsageError);
    expect(() => formatGitlab(report)).toThrow(/GitLab Code Quality needs a file for every finding/);
  });

  it('writes an empty array for a clean report', () => {
    expect(formatGitlab({ ...report, results: [] })).toBe('[]\n');
  });
});
