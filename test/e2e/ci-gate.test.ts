/**
 * The CI gate, end to end, on the built CLI: a Terraform plan with compatible, incompatible and unknown targets
 * (examples/terraform/plan.json) checked in ONE run that writes every report a pipeline publishes, then the same plan
 * under a configuration (ignores with reasons, expiry), the unverifiable and max-warnings thresholds, and the input
 * errors that must stop a pipeline with exit 2 and say where.
 *
 * The plan names its AMIs by ID, and `--offline` cannot look an AMI up (images are never embedded), so the plan runs
 * against a local EC2-compatible endpoint that knows them (test/e2e/ec2-endpoint.ts: real moto instance types and
 * us-east-1 offerings; skipped without the shared moto data). The input-error runs are offline.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type * as Sarif from 'sarif';
import { beforeAll, describe, expect, it } from 'vitest';
import { Report } from '../../src/model/index.js';
import {
  elements,
  hasStackTrace,
  junitCounts,
  parseXml,
  PLAN,
  repoRoot,
  run,
  sarifValidator,
  tempDir,
  usePlanEndpoint,
  type Run,
} from '../examples/harness.js';

const validateSarif = sarifValidator();

/** The plan's resource instances that launch a machine and are not being destroyed: what must be checked. */
const LAUNCHING = new Set(['aws_instance', 'aws_launch_template', 'aws_spot_instance_request', 'openstack_compute_instance_v2']);
const planJson = JSON.parse(readFileSync(path.join(repoRoot, PLAN), 'utf8')) as {
  resource_changes: { address: string; type: string; change: { actions: string[] } }[];
};
const planTargets = planJson.resource_changes
  .filter((change) => LAUNCHING.has(change.type) && !(change.change.actions.length === 1 && change.change.actions[0] === 'delete'))
  .map((change) => change.address);

/** Lines of the plan's targets (examples/terraform/README.md). */
const LINE = { hardened: 367, legacy: 473, web: 579, batch: 686, worker0: 791, worker1: 899 };

interface GateRun extends Run {
  dir: string;
  report: Report;
  text: string;
  sarif: Sarif.Log;
  gitlab: { description: string; check_name: string; fingerprint: string; severity: string; location: { path: string; lines: { begin: number } } }[];
  junit: string;
  summary: string;
}

/** All formats at once: GitHub commands on stdout, every other format to its file, and the step summary. */
function formatArgs(dir: string): string[] {
  return [
    ['github'],
    [`sarif=${dir}/imglint.sarif`],
    [`gitlab=${dir}/gl-code-quality-report.json`],
    [`junit=${dir}/imglint.xml`],
    [`text=${dir}/imglint.txt`],
    [`json=${dir}/imglint.json`],
  ].flatMap(([spec]) => ['--format', spec!]);
}

function sarifOf(file: string): Sarif.Log {
  const log = JSON.parse(readFileSync(file, 'utf8')) as Sarif.Log;
  expect(validateSarif(log) ? [] : validateSarif.errors).toEqual([]);
  return log;
}

const sarifRun = (log: Sarif.Log) => log.runs[0]!;
const annotations = (stdout: string) => stdout.split('\n').filter(Boolean);

describe('CI gate on examples/terraform/plan.json', () => {
  const planEndpoint = usePlanEndpoint();

  /** One run of the gate from the repository root, as CI runs it, with every report written under a temp dir. */
  async function gate(...extra: string[]): Promise<GateRun> {
    const dir = tempDir('imglint-gate-');
    const summary = path.join(dir, 'step-summary.md');
    const result = await run(['check', '--plan', PLAN, ...formatArgs(dir), ...extra], { env: { ...planEndpoint().env, GITHUB_STEP_SUMMARY: summary } });
    expect(result.stderr).toBe('');
    const file = (name: string) => readFileSync(path.join(dir, name), 'utf8');
    return {
      ...result,
      dir,
      report: Report.parse(JSON.parse(file('imglint.json'))),
      text: file('imglint.txt'),
      sarif: sarifOf(path.join(dir, 'imglint.sarif')),
      gitlab: JSON.parse(file('gl-code-quality-report.json')),
      junit: file('imglint.xml'),
      summary: readFileSync(summary, 'utf8'),
    };
  }

  /** A configuration file of its own, passed with --config. */
  function config(yaml: string): string {
    const file = path.join(tempDir('imglint-config-'), '.imglint.yaml');
    writeFileSync(file, yaml);
    return file;
  }

  const IGNORE_FAILURES = (expires: string) => `# the two failing targets, accepted for now
ignore:
  - rule: virtualization-type
    target: aws_instance.legacy
    reason: "legacy fleet, moving to HVM (OPS-1234)"
    expires: ${expires}
  - rule: architecture
    target: aws_launch_template.batch
    file: examples/terraform/plan.json
    reason: "batch moves to Graviton types (OPS-1300)"
`;

  describe('one run: compatible, incompatible and unknown targets', () => {
    let gateRun: GateRun;
    beforeAll(async () => {
      gateRun = await gate();
    });

    it('exits 1: two targets fail', () => {
      expect(gateRun.status).toBe(1);
    });

    it('checks every launching resource of the plan exactly once (count in = count out), and says so in the summary line', () => {
      const { report, text } = gateRun;
      expect(planTargets).toHaveLength(6);
      expect(report.results.map((result) => result.target.source?.address)).toEqual(planTargets);
      expect(report.summary).toEqual({ targets: 6, passed: 3, failed: 2, unverifiable: 1, errored: 0, errors: 2, warnings: 1, infos: 1, suppressed: 0 });
      expect(text).toMatch(/^6 targets checked: 2 failed, 3 passed, 1 unverifiable; 2 error\(s\), 1 warning\(s\), 1 info \(fail on: error\)$/m);
      const verdicts = Object.fromEntries(report.results.map((result) => [result.target.source!.address, result.verdict]));
      expect(verdicts).toEqual({
        'aws_instance.hardened': 'unverifiable',
        'aws_instance.legacy': 'fail',
        'aws_instance.web': 'pass',
        'aws_launch_template.batch': 'fail',
        'module.workers.aws_instance.this[0]': 'pass',
        'module.workers.aws_instance.this[1]': 'pass',
      });
    });

    it('writes SARIF 2.1.0 that validates against the schema and that code scanning accepts', () => {
      const log = gateRun.sarif;
      expect(log.version).toBe('2.1.0');
      expect(log.runs).toHaveLength(1);
      const runOf = sarifRun(log);
      const rules = runOf.tool.driver.rules!;
      const ids = rules.map((rule) => rule.id);
      expect(new Set(ids).size).toBe(ids.length); // code scanning rejects duplicate rule descriptors
      expect(ids).toEqual(expect.arrayContaining(['virtualization-type', 'architecture', 'unverifiable', 'previous-generation']));
      for (const rule of rules) {
        expect(rule.helpUri).toMatch(/^https:\/\/[^/]+\/./); // absolute: code scanning rejects a relative helpUri
        expect(new URL(rule.helpUri!).href).toBe(rule.helpUri);
      }
      const results = runOf.results!;
      expect(results).toHaveLength(4); // every unsuppressed finding: 2 errors, 1 warning, 1 info
      const fingerprints = results.map((result) => result.partialFingerprints?.['imglint/v1']);
      for (const fingerprint of fingerprints) expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
      expect(new Set(fingerprints).size).toBe(results.length);
      for (const result of results) {
        expect(rules[result.ruleIndex!]!.id).toBe(result.ruleId);
        expect(result.message.text).toBeTruthy();
        const location = result.locations![0]!.physicalLocation!;
        // Non-empty, relative to the repository root (and present in it), with forward slashes.
        expect(location.artifactLocation).toEqual({ uri: 'examples/terraform/plan.json', uriBaseId: '%SRCROOT%' });
        expect(existsSync(path.join(repoRoot, location.artifactLocation!.uri!))).toBe(true);
        expect(Object.values(LINE)).toContain(location.region!.startLine);
      }
      const levels = results.map((result) => [result.ruleId, result.level, result.locations![0]!.physicalLocation!.region!.startLine]);
      expect(levels).toEqual(
        expect.arrayContaining([
          ['virtualization-type', 'error', LINE.legacy],
          ['architecture', 'error', LINE.batch],
          ['unverifiable', 'warning', LINE.hardened],
          ['previous-generation', 'note', LINE.batch],
        ]),
      );
      expect(runOf.invocations![0]!.executionSuccessful).toBe(true);
    });

    it('prints GitHub annotations with the plan file and line of each finding', () => {
      const lines = annotations(gateRun.stdout);
      for (const line of lines) expect(line).toMatch(/^::(error|warning|notice) /);
      const heads = lines.map((line) => line.slice(0, line.indexOf('::', 2)));
      expect(heads).toEqual([
        `::error file=examples/terraform/plan.json,line=${LINE.legacy},title=virtualization-type`,
        `::error file=examples/terraform/plan.json,line=${LINE.batch},title=architecture`,
        `::warning file=examples/terraform/plan.json,line=${LINE.hardened},title=unverifiable`,
        `::notice file=examples/terraform/plan.json,line=${LINE.batch},title=previous-generation`,
        // The report's notice: aws_instance.web is kept, its findings are infos.
        '::notice title=imglint',
      ]);
      // One line each: the message's own line breaks are escaped.
      expect(lines[0]).toContain('paravirtual; t2.micro supports only hvm%0ALaunch error: InvalidParameterCombination');
      expect(gateRun.summary).toContain('### imglint: 2 of 6 targets failed');
    });

    it('writes a GitLab Code Quality report: a JSON array with unique fingerprints', () => {
      const issues = gateRun.gitlab;
      expect(Array.isArray(issues)).toBe(true);
      expect(issues).toHaveLength(4);
      expect(new Set(issues.map((issue) => issue.fingerprint)).size).toBe(issues.length);
      for (const issue of issues) {
        expect(issue.fingerprint).toMatch(/^[0-9a-f]{64}$/);
        expect(issue.location.path).toBe('examples/terraform/plan.json');
        expect(issue.description).not.toContain('\n');
      }
      expect(issues.map((issue) => [issue.check_name, issue.severity, issue.location.lines.begin])).toEqual(
        expect.arrayContaining([
          ['virtualization-type', 'major', LINE.legacy],
          ['architecture', 'major', LINE.batch],
          ['unverifiable', 'minor', LINE.hardened],
          ['previous-generation', 'info', LINE.batch],
        ]),
      );
    });

    it('writes JUnit that parses, one test case per target, with counts equal to the summary', () => {
      const root = parseXml(gateRun.junit);
      expect(root.tagName).toBe('testsuites');
      const { summary } = gateRun.report;
      const counts = { tests: summary.targets, failures: summary.failed, errors: summary.errored, skipped: summary.unverifiable };
      expect(junitCounts(root)).toEqual(counts);
      const suites = elements(root, 'testsuite');
      expect(suites).toHaveLength(1);
      expect(junitCounts(suites[0]!)).toEqual(counts);
      const cases = elements(root, 'testcase');
      expect(cases.map((element) => element.getAttribute('name'))).toEqual([
        '(known after apply) on t3.small (aws_instance.hardened)',
        'ami-0e972d2890378139a on t2.micro (aws_instance.legacy)',
        'ami-0006118602dfc1c09 on t3.micro (aws_instance.web)',
        'ami-04fc404d256fd34a2 on c5.large (aws_launch_template.batch)',
        'ami-05448533fbe614dce on t3.medium (module.workers.aws_instance.this[0])',
        'ami-05448533fbe614dce on t3.medium (module.workers.aws_instance.this[1])',
      ]);
      expect(cases.map((element) => element.getAttribute('line'))).toEqual(Object.values(LINE).map(String));
      expect(elements(root, 'failure').map((element) => element.getAttribute('type'))).toEqual(['virtualization-type', 'architecture']);
      expect(elements(root, 'skipped')).toHaveLength(1);
    });
  });

  describe('the same plan under a configuration', () => {
    it('exits 0 with the failing targets ignored (with reasons); SARIF marks them suppressed, GitLab leaves them out', async () => {
      const result = await gate('--config', config(IGNORE_FAILURES('2099-12-31')));
      expect(result.status).toBe(0);
      expect(result.report.summary).toMatchObject({ targets: 6, failed: 0, passed: 5, unverifiable: 1, errors: 0, suppressed: 2 });
      expect(result.text).toMatch(/^6 targets checked: 0 failed, 5 passed, 1 unverifiable; .*2 ignored/m);

      const suppressed = sarifRun(result.sarif).results!.filter((entry) => entry.suppressions?.length);
      expect(suppressed.map((entry) => [entry.ruleId, entry.suppressions])).toEqual([
        ['virtualization-type', [{ kind: 'external', status: 'accepted', justification: 'legacy fleet, moving to HVM (OPS-1234)', properties: { expires: '2099-12-31' } }]],
        ['architecture', [{ kind: 'external', status: 'accepted', justification: 'batch moves to Graviton types (OPS-1300)' }]],
      ]);
      expect(result.gitlab.map((issue) => issue.check_name).sort()).toEqual(['previous-generation', 'unverifiable']);
      expect(annotations(result.stdout).filter((line) => line.startsWith('::error'))).toEqual([]);
      expect(junitCounts(parseXml(result.junit))).toMatchObject({ tests: 6, failures: 0, skipped: 1 });
    });

    it('an expired ignore stops applying: exit 1, with a notice in the text report, SARIF and annotations', async () => {
      const file = config(IGNORE_FAILURES('2020-01-31'));
      const result = await gate('--config', file);
      expect(result.status).toBe(1);
      const notice = `${file}:3: the ignore of virtualization-type at aws_instance.legacy expired on 2020-01-31 and no longer applies`;
      expect(result.report.notices).toContain(notice);
      expect(result.text).toContain(notice);
      expect(result.report.results.find((entry) => entry.target.source?.address === 'aws_instance.legacy')!.verdict).toBe('fail');
      expect(result.report.summary).toMatchObject({ failed: 1, suppressed: 1 });
      expect(sarifRun(result.sarif).invocations![0]!.toolExecutionNotifications).toContainEqual(
        expect.objectContaining({ level: 'note', message: expect.objectContaining({ text: expect.stringContaining('expired on 2020-01-31') }) }),
      );
      expect(annotations(result.stdout)).toContainEqual(expect.stringMatching(/^::notice title=imglint::.*expired on 2020-01-31/));
    });

    it('--on-unverifiable error makes the unknown target fail the run', async () => {
      const file = config(IGNORE_FAILURES('2099-12-31'));
      const result = await gate('--config', file, '--on-unverifiable', 'error');
      const hardened = result.report.results.find((entry) => entry.target.source?.address === 'aws_instance.hardened')!;
      expect(hardened.findings.map((finding) => [finding.ruleId, finding.severity])).toEqual([['unverifiable', 'error']]);
      expect(annotations(result.stdout)).toContainEqual(expect.stringMatching(new RegExp(`^::error file=examples/terraform/plan\\.json,line=${LINE.hardened},title=unverifiable::`)));
      // docs/rules/unverifiable.md: "To make unverifiable targets fail the build, use --on-unverifiable error".
      expect(result.status).toBe(1);
    });

    it('--max-warnings 0 fails the run on the one warning; --max-warnings 1 does not', async () => {
      const file = config(IGNORE_FAILURES('2099-12-31'));
      expect((await gate('--config', file, '--max-warnings', '0')).status).toBe(1);
      expect((await gate('--config', file, '--max-warnings', '1')).status).toBe(0);
    });
  });
});

describe('input errors stop the pipeline with exit 2 and say where', () => {
  it('a plan with a new major format_version names the file', async () => {
    const dir = tempDir();
    const plan = path.join(dir, 'plan.json');
    writeFileSync(plan, JSON.stringify({ ...planJson, format_version: '2.0' }, null, 2));
    const sarif = path.join(dir, 'out', 'imglint.sarif');
    const result = await run(['check', '--offline', '--plan', plan, '--format', `sarif=${sarif}`]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(new RegExp(`^imglint: ${plan.replaceAll('.', '\\.')}: Terraform plan format_version "2\\.0" is not supported`));
    expect(hasStackTrace(result.stderr)).toBe(false);
    expect(existsSync(sarif)).toBe(false); // no half-true report for a plan that was not read
  });

  it('a manifest with an unknown provider names the file, the line and the key', async () => {
    const manifest = path.join(tempDir(), 'imglint.yaml');
    writeFileSync(manifest, 'targets:\n  - name: web\n    provider: aws\n    image: ami-0006118602dfc1c09\n    type: t3.micro\n  - name: vm\n    provider: azure\n    image: img-1\n    type: Standard_B1s\n');
    const result = await run(['check', '--offline', '--manifest', manifest]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`imglint: ${manifest}:7: targets[1].provider: expected one of aws|rackspace|openstack (got "azure")`);
    expect(hasStackTrace(result.stderr)).toBe(false);
  });

  it('a config with an unknown rule id names the file, the line and the key', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'ci'));
    const file = path.join(dir, 'ci', '.imglint.yaml');
    writeFileSync(file, 'failOn: error\nrules:\n  nvme-support: error\n  previous-generaton: off\n');
    const result = await run(['check', '--offline', '--manifest', 'examples/manifest/imglint.yaml', '--config', file]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`imglint: ${file}:4: rules.previous-generaton: unknown rule id (did you mean previous-generation?)`);
    expect(hasStackTrace(result.stderr)).toBe(false);
  });
});
