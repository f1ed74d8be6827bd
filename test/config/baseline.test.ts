import { beforeAll, describe, expect, it } from 'vitest';
import { applyBaseline, formatBaseline, parseBaseline } from '../../src/config/baseline.js';
import { UsageError } from '../../src/errors.js';
import { Report } from '../../src/model/index.js';
import { sampleReport } from './sample-report.js';

let report: Report;
beforeAll(async () => {
  report = await sampleReport();
});
const ROOT = process.cwd();

describe('baseline', () => {
  it('lists every finding once by a stable fingerprint, sorted, with what a reader needs', () => {
    const baseline = parseBaseline(formatBaseline(report, ROOT), 'b.json');
    expect(baseline.imglintBaseline).toBe(1);
    expect(baseline.findings).toHaveLength(5);
    expect(baseline.findings.map((entry) => entry.fingerprint)).toEqual(baseline.findings.map((entry) => entry.fingerprint).sort());
    expect(baseline.findings.find((entry) => entry.ruleId === 'ena-support')).toEqual({
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
      count: 1,
      ruleId: 'ena-support',
      image: 'ami-0e972d2890378139a',
      type: 'c5.large',
      file: 'plans/app.json',
      address: 'aws_instance.app',
    });
    // Stable: the same report gives the same file; a moved line or a reworded message does not change it.
    const moved = structuredClone(report);
    for (const result of moved.results) {
      if (result.target.source?.line !== undefined) result.target.source.line += 10;
      for (const finding of result.findings) finding.message = `${finding.message} (reworded)`;
    }
    expect(formatBaseline(moved, ROOT)).toBe(formatBaseline(report, ROOT));
  });

  it('suppresses what it lists, so only new findings count, and says how many entries were not found', () => {
    const old = structuredClone(report);
    old.results[1]!.findings = old.results[1]!.findings.filter((finding) => finding.ruleId !== 'ena-support');
    const baseline = parseBaseline(formatBaseline(old, ROOT), 'imglint-baseline.json');
    const applied = applyBaseline(report, baseline, 'imglint-baseline.json', ROOT);
    const unsuppressed = applied.results.flatMap((result) => result.findings.filter((finding) => !finding.suppressed).map((finding) => finding.ruleId));
    expect(unsuppressed).toEqual(['ena-support']);
    expect(applied.results[0]!.findings[0]!.suppressed).toEqual({ reason: 'in the baseline imglint-baseline.json', kind: 'baseline' });
    expect(applied.results.map((result) => result.verdict)).toEqual(['pass', 'fail', 'pass']);
    expect(applied.notices).toEqual([]);

    const fixed = structuredClone(report);
    fixed.results[0]!.findings = [];
    expect(applyBaseline(fixed, parseBaseline(formatBaseline(report, ROOT), 'b.json'), 'b.json', ROOT).notices).toEqual([
      'b.json: 1 baselined finding was not found (fixed, or the target changed); rewrite the baseline with --write-baseline to drop it',
    ]);
  });

  it('refuses a file that is not a baseline', () => {
    expect(() => parseBaseline('{', 'b.json')).toThrow(UsageError);
    expect(() => parseBaseline('{"imglintBaseline": 2, "findings": []}', 'b.json')).toThrow('--baseline b.json: not an imglint baseline (version 1) at imglintBaseline');
  });
});
