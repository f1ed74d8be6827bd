/**
 * Runs every example that can run: the library deploy script, the manifest, the example configuration, the
 * Terraform plan (offline, and against a local EC2-compatible endpoint for the verdicts its README promises), the
 * commands of examples/README.md, and the imglint command lines of the GitHub Actions and GitLab CI files. Expected
 * outcomes are read from the examples' own READMEs, so the documentation and the tests cannot drift apart.
 * Needs `npm run build` (the CLI bin and the library's self-reference both load dist/).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
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
  words,
  type Run,
} from './harness.js';

const read = (file: string) => readFileSync(path.join(repoRoot, file), 'utf8');
const DEPLOY_SCRIPT = path.join(repoRoot, 'examples', 'library', 'deploy-check.mjs');

/** `npx imglint check ...` or `imglint check ...` as arguments of the bin. */
function imglintArgs(commandLine: string): string[] {
  const all = words(commandLine);
  const args = all[0] === 'npx' ? all.slice(1) : all;
  expect(args[0]).toBe('imglint');
  return args.slice(1);
}

function jsonReport(result: Run): Report {
  return Report.parse(JSON.parse(result.stdout));
}

/** Rows of the first Markdown table after `heading` (or in the file), as cells. */
function markdownTable(markdown: string, heading?: string): string[][] {
  const from = heading === undefined ? markdown : markdown.slice(markdown.indexOf(heading));
  const lines = from.split('\n');
  const start = lines.findIndex((line) => line.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(start)) {
    if (!line.startsWith('|')) break;
    rows.push(line.split('|').slice(1, -1).map((cell) => cell.trim()));
  }
  return rows.slice(2); // header and separator
}

const backticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);

// ---------------------------------------------------------------------------------------------------------------

describe('examples/library/deploy-check.mjs', () => {
  it('checks the fleet offline, prints the failing target with its first finding and fix, exits 1', async () => {
    const result = await run([], { script: DEPLOY_SCRIPT });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.filter((line) => line.startsWith('FAIL '))).toEqual([
      'FAIL ami-0e972d2890378139a (amzn-ami-pv-2018.03.0.20231218.0-x86_64-ebs) on t2.micro in us-east-1',
    ]);
    expect(lines[1]).toBe('  virtualization-type: AMI ami-0e972d2890378139a is paravirtual; t2.micro supports only hvm');
    expect(lines[2]).toBe('  launch error: InvalidParameterCombination');
    expect(lines[3]).toMatch(/^ {2}fix: Use an HVM build of the same OS, .*instance types that can run it: t1\.micro, /);
    expect(lines.at(-1)).toBe('deploy-check: 1 of 3 targets cannot launch; not deploying');
  });

  it('exits 0 when every target can launch', async () => {
    const result = await run(['examples/aws/ami-0006118602dfc1c09.json=t3.micro,c5.large', 'examples/aws/ami-04fc404d256fd34a2.json=m6g.large'], {
      script: DEPLOY_SCRIPT,
    });
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(result.stdout).toBe('deploy-check: all 3 targets can launch\n');
  });

  it("reports imglint's typed errors with their kind, code and hint, and exits 2, without a stack trace", async () => {
    const unknownType = await run(['examples/aws/ami-0006118602dfc1c09.json=q9.huge'], { script: DEPLOY_SCRIPT });
    expect(unknownType.status).toBe(2);
    expect(unknownType.stdout).toBe('');
    expect(unknownType.stderr).toMatch(/^deploy-check: input error \(InstanceTypeNotFound\): Unknown instance type q9\.huge: .*\n {2}hint: /);
    const missingFile = await run(['examples/aws/nope.json=t3.micro'], { script: DEPLOY_SCRIPT });
    expect(missingFile.status).toBe(2);
    expect(missingFile.stderr).toMatch(/^deploy-check: input error \(\w+\): examples\/aws\/nope\.json: /);
    for (const result of [unknownType, missingFile]) expect(hasStackTrace(result.stderr)).toBe(false);
  });

  it('honours the .imglint.yaml of its working directory: ignores (with reasons), and an invalid file is a usage error', async () => {
    const accepted = tempDir();
    writeFileSync(
      path.join(accepted, '.imglint.yaml'),
      'ignore:\n  - rule: virtualization-type\n    image: ami-0e972d2890378139a\n    reason: "legacy fleet, moving to HVM"\n',
    );
    const ignored = await run([], { script: DEPLOY_SCRIPT, cwd: accepted });
    expect(ignored).toMatchObject({ status: 0, stderr: '' });
    expect(ignored.stdout).toBe('deploy-check: all 3 targets can launch (1 accepted finding(s) ignored by .imglint.yaml)\n');

    const invalid = tempDir();
    writeFileSync(path.join(invalid, '.imglint.yaml'), 'failOn: error\nrules:\n  previous-generaton: off\n');
    const broken = await run([], { script: DEPLOY_SCRIPT, cwd: invalid });
    expect(broken.status).toBe(2);
    expect(broken.stderr).toContain('deploy-check: usage error (Usage): .imglint.yaml:3: rules.previous-generaton: unknown rule id');
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('examples/manifest/imglint.yaml', () => {
  /** name -> expected verdict and failing rules, from the README's table. */
  const expected = markdownTable(read('examples/manifest/README.md')).map((cells) => {
    const outcome = cells.at(-1)!;
    return { name: backticked(cells[0]!)[0]!, verdict: outcome.startsWith('fails') ? 'fail' : 'pass', rules: outcome.startsWith('fails') ? backticked(outcome) : [] };
  });

  it('has the README table to check against', () => {
    expect(expected.map((row) => row.name)).toEqual(['legacy-batch', 'api', 'graviton-workers', 'rs-web', 'rs-db', 'rs-app', 'rs-windows']);
  });

  it('gives the verdicts and rule IDs of the README offline, one result per entry, and exits 1', async () => {
    const result = await run(['check', '--offline', '--manifest', 'examples/manifest/imglint.yaml', '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    const report = jsonReport(result);
    const actual = report.results.map((entry) => ({
      name: entry.target.source?.address,
      verdict: entry.verdict,
      rules: entry.findings.filter((finding) => finding.severity === 'error').map((finding) => finding.ruleId),
    }));
    expect(actual).toEqual(expected);
    for (const entry of report.results) expect(entry.target.source?.file).toBe('examples/manifest/imglint.yaml');
    expect(report.summary).toMatchObject({ targets: 7, passed: 4, failed: 3, unverifiable: 0, errored: 0 });
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('examples/config/.imglint.yaml', () => {
  const CONFIG = 'examples/config/.imglint.yaml';
  const configText = read(CONFIG);
  const lineOf = (text: string) => configText.split('\n').findIndex((line) => line.includes(text)) + 1;

  it('is valid, and applies to the example manifest: overrides, ignores with reasons, the unused ignore noticed', async () => {
    const result = await run(['check', '--offline', '--manifest', 'examples/manifest/imglint.yaml', '--config', CONFIG, '--format', 'json']);
    expect(result.stderr).toBe('');
    // rs-app and rs-windows fail whatever the file says (it ignores only AWS findings).
    expect(result.status).toBe(1);
    const report = jsonReport(result);
    const byName = new Map(report.results.map((entry) => [entry.target.source?.address, entry]));
    expect(byName.get('rs-app')!.verdict).toBe('fail');
    expect(byName.get('rs-windows')!.verdict).toBe('fail');

    // `ignore[0]`: virtualization-type of ami-0e972d2890378139a on t2.*, until 2027-01-31 (the whole day, UTC).
    const legacy = byName.get('legacy-batch')!;
    const finding = legacy.findings.find((f) => f.ruleId === 'virtualization-type')!;
    if (Date.now() < Date.parse('2027-02-01T00:00:00Z')) {
      expect(legacy.verdict).toBe('pass');
      expect(finding.suppressed).toEqual({ reason: 'legacy fleet, moving to HVM (OPS-1234)', expires: '2027-01-31' });
      expect(report.summary.suppressed).toBe(1);
    } else {
      expect(legacy.verdict).toBe('fail');
      expect(finding.suppressed).toBeUndefined();
      expect(report.notices).toContainEqual(expect.stringMatching(/expired on 2027-01-31 and no longer applies/));
    }
    // `ignore[1]` names a plan resource this run does not have: reported as unused, at its line.
    expect(report.notices).toContainEqual(expect.stringMatching(new RegExp(`^${CONFIG.replaceAll('.', '\\.')}:${lineOf('rule: "*"')}: .*matched no finding`)));
    // previous-generation is off: no finding of it anywhere.
    expect(report.results.flatMap((entry) => entry.findings).filter((f) => f.ruleId === 'previous-generation')).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------

/** The rows of examples/terraform/README.md's table, one per resource instance. */
function terraformExpectations() {
  return markdownTable(read('examples/terraform/README.md'), '## What is in it').flatMap((cells) => {
    const [addressCell, , , typeCell, lineCell, outcome] = cells as [string, string, string, string, string, string];
    const addresses: string[] = [];
    for (const name of backticked(addressCell)) {
      if (name.startsWith('[')) addresses.push(addresses.at(-1)!.replace(/\[\d+\]$/, name));
      else if (!name.includes('=')) addresses.push(name);
    }
    const lines = [...lineCell.matchAll(/\d+/g)].map((match) => Number(match[0]));
    const verdict = outcome.startsWith('fails') ? 'fail' : outcome.startsWith('pass') ? 'pass' : outcome.startsWith('unverifiable') ? 'unverifiable' : 'none';
    return addresses.map((address, index) => ({
      address,
      type: backticked(typeCell)[0],
      line: lines[index],
      verdict,
      rules: verdict === 'fail' ? backticked(outcome) : [],
      reason: verdict === 'unverifiable' ? backticked(outcome)[0] : undefined,
    }));
  });
}

describe('examples/terraform/plan.json', () => {
  const expected = terraformExpectations();
  const checked = expected.filter((row) => row.verdict !== 'none');

  it('has the README table to check against: 8 resource instances, 6 of them targets', () => {
    expect(expected.map((row) => `${row.address} ${row.verdict}`)).toEqual([
      'aws_ami_copy.hardened none',
      'aws_instance.bastion none',
      'aws_instance.hardened unverifiable',
      'aws_instance.legacy fail',
      'aws_instance.web pass',
      'aws_launch_template.batch fail',
      'module.workers.aws_instance.this[0] pass',
      'module.workers.aws_instance.this[1] pass',
    ]);
  });

  it('offline: every target of the README at its line, the unknown AMI unverifiable, no AMI guessed', async () => {
    const result = await run(['check', '--offline', '--plan', PLAN, '--format', 'json']);
    const report = jsonReport(result);
    expect(report.results.map((entry) => [entry.target.source?.address, entry.target.source?.line, entry.target.type])).toEqual(
      checked.map((row) => [row.address, row.line, row.type]),
    );
    const hardened = report.results[0]!;
    expect(hardened.verdict).toBe('unverifiable');
    expect(hardened.findings.map((f) => [f.ruleId, f.message])).toEqual([['unverifiable', `Cannot check before apply: ${checked[0]!.reason}`]]);
    // Offline, an AMI ID cannot be looked up (images are never embedded): never a pass, never a made-up failure.
    for (const entry of report.results.slice(1)) {
      expect(entry.verdict).toBe('unverifiable');
      expect(JSON.stringify(entry)).toContain(entry.target.image);
    }
    // The missing input is the user's to give: a notice names --image-file, and the run exits 2, as
    // examples/README.md says (not 0, as if an unchecked plan were clean).
    expect(report.notices).toEqual([
      '1 target is a machine the plan keeps unchanged (its findings are infos): the deployment launches no new machine for it.',
      '5 targets name images no --image-file describes (ami-0e972d2890378139a, ami-0006118602dfc1c09, ami-04fc404d256fd34a2, ami-05448533fbe614dce), ' +
        "so offline they cannot be checked: pass each image's `aws ec2 describe-images --image-ids <id>` output with --image-file, or run without --offline (exit 2)",
    ]);
    expect(result.status).toBe(2);
    const text = await run(['check', '--offline', '--plan', PLAN, '--on-unverifiable', 'error']);
    expect(text.status).toBe(2);
    expect(text.stdout).toContain('note: 5 targets name images no --image-file describes');
  });

  it("offline with the AMIs' image files: the README's verdicts", async () => {
    const files = readdirSync('examples/aws').filter((name) => name.endsWith('.json')).flatMap((name) => ['--image-file', `examples/aws/${name}`]);
    const result = await run(['check', '--offline', '--plan', PLAN, ...files, '--format', 'json']);
    const report = jsonReport(result);
    expect(report.results.map((entry) => [entry.target.source?.address, entry.verdict])).toEqual([
      ['aws_instance.hardened', 'unverifiable'],
      ['aws_instance.legacy', 'fail'],
      ['aws_instance.web', 'pass'],
      ['aws_launch_template.batch', 'fail'],
      ['module.workers.aws_instance.this[0]', 'pass'],
      ['module.workers.aws_instance.this[1]', 'pass'],
    ]);
    expect(result.status).toBe(1);
  });

  describe('against an EC2-compatible endpoint that knows its AMIs', () => {
    const planEndpoint = usePlanEndpoint();

    it("gives the README's verdicts, rule IDs and lines, including the unverifiable target, and exits 1", async () => {
      const result = await run(['check', '--plan', PLAN, '--format', 'json'], { env: planEndpoint().env });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(1);
      const report = jsonReport(result);
      const actual = report.results.map((entry) => ({
        address: entry.target.source!.address!,
        type: entry.target.type,
        line: entry.target.source!.line,
        verdict: entry.verdict,
        rules: entry.findings.filter((f) => f.severity === 'error').map((f) => f.ruleId),
        reason: entry.verdict === 'unverifiable' ? entry.findings[0]!.message.replace('Cannot check before apply: ', '') : undefined,
      }));
      expect(actual).toEqual(checked);
      // One call of each kind for the whole plan.
      expect(Object.fromEntries(planEndpoint().endpoint.calls)).toEqual({ DescribeImages: 1, DescribeInstanceTypes: 1, DescribeInstanceTypeOfferings: 1 });
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('examples/README.md', () => {
  const rows = markdownTable(read('examples/README.md')).map((cells) => ({
    example: backticked(cells[0]!)[0]!,
    command: backticked(cells[2]!).find((text) => /^(npx imglint|imglint|node) /.test(text))!,
    exit: Number(cells[3]),
  }));

  it('lists every example directory, each with a command and its exit code', () => {
    const directories = ['aws/', 'rackspace/', 'openstack/', 'manifest/', 'config/', 'library/', 'terraform/', 'cloudformation/', 'github-actions/', 'gitlab-ci/'];
    expect(rows.map((row) => row.example).sort()).toEqual(directories.sort());
    for (const row of rows) {
      expect(row.command).toBeDefined();
      expect(Number.isInteger(row.exit)).toBe(true);
    }
  });

  it.each(rows.filter((row) => row.command.includes('--offline') || row.command.startsWith('node ')))('$example: `$command` exits $exit', async ({ command, exit }) => {
    const result = command.startsWith('node ')
      ? await run(words(command).slice(2), { script: path.join(repoRoot, words(command)[1]!) })
      : await run(imglintArgs(command));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(exit);
  });

  /** The `npx imglint ...   # ...: exit N` lines of the README's sh blocks. */
  const commentedLines = [...read('examples/README.md').matchAll(/^```sh\n([\s\S]*?)^```$/gm)]
    .flatMap(([, body]) => body!.split('\n'))
    .filter((line) => line.startsWith('npx imglint '))
    .map((line) => {
      const [command, comment = ''] = line.split(/\s+# /);
      return { command: command!, comment, exit: Number(/exit (\d)$/.exec(comment)?.[1]) };
    });

  it('gives every command of its sh blocks the exit code it expects', () => {
    expect(commentedLines.length).toBeGreaterThanOrEqual(5);
    for (const line of commentedLines) expect(Number.isInteger(line.exit), line.comment).toBe(true);
  });

  it.each(commentedLines)('`$command` ($comment)', async ({ command, exit }) => {
    const result = await run(imglintArgs(command));
    expect(result.status).toBe(exit);
    expect(hasStackTrace(result.stderr)).toBe(false);
  });

  it('names the same imglint command lines as the CI files', () => {
    expect(rows.find((row) => row.example === 'github-actions/')!.command).toBe(['imglint', ...githubImglintArgs()].join(' '));
    expect(rows.find((row) => row.example === 'gitlab-ci/')!.command).toBe(gitlabImglintLine());
  });
});

// ---------------------------------------------------------------------------------------------------------------

interface WorkflowStep {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Workflow {
  permissions: Record<string, string>;
  jobs: Record<string, { 'runs-on': string; env?: Record<string, string>; steps: WorkflowStep[] }>;
}

const parsedWorkflow = parseYaml(read('examples/github-actions/imglint.yml')) as Workflow;
const workflow = () => parsedWorkflow;
const job = () => Object.values(workflow().jobs)[0]!;
const stepUsing = (action: string) => job().steps.find((step) => step.uses?.startsWith(`${action}@`));
/** The workflow's imglint step: the imglint GitHub Action (action.yml), with its inputs. */
function githubImglintStep(): WorkflowStep & { with: Record<string, string | boolean> } {
  const steps = job().steps.filter((step) => step.uses?.startsWith('imglint/imglint@'));
  expect(steps).toHaveLength(1);
  return steps[0] as WorkflowStep & { with: Record<string, string | boolean> };
}

interface ActionStep {
  id?: string;
  uses?: string;
  if?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
const action = parseYaml(read('action.yml')) as { inputs: Record<string, { default?: string }>; runs: { steps: ActionStep[] } };

/**
 * The `imglint` arguments the action runs for the workflow's inputs: the action's own check script, run with an
 * `imglint` on PATH that prints its arguments.
 */
function githubImglintArgs(): string[] {
  const step = action.runs.steps.find((candidate) => candidate.id === 'imglint')!;
  const inputs = Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [name, String(githubImglintStep().with[name] ?? input.default ?? '')]));
  const env = Object.fromEntries(
    Object.entries(step.env!).map(([key, value]) => [key, value.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, name: string) => inputs[name] ?? '')]),
  );
  const dir = tempDir('imglint-action-args-');
  mkdirSync(path.join(dir, 'bin'));
  writeFileSync(path.join(dir, 'bin', 'imglint'), '#!/usr/bin/env node\nconsole.log(JSON.stringify(process.argv.slice(2)));\n');
  chmodSync(path.join(dir, 'bin', 'imglint'), 0o755);
  writeFileSync(path.join(dir, 'step.sh'), step.run!);
  const stdout = execFileSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', path.join(dir, 'step.sh')], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ...env, PATH: `${path.join(dir, 'bin')}:${process.env.PATH}`, GITHUB_OUTPUT: path.join(dir, 'output') },
  });
  return JSON.parse(stdout.trim().split('\n')[0]!) as string[];
}

interface GitlabJob {
  stage?: string;
  image?: string | { name: string };
  variables?: Record<string, string>;
  cache?: { key: unknown; paths: string[]; when?: string }[];
  script?: string[];
  artifacts?: { when?: string; reports?: Record<string, string>; paths?: string[] };
}
const parsedGitlab = parseYaml(read('examples/gitlab-ci/.gitlab-ci.yml')) as Record<string, GitlabJob | unknown>;
const gitlab = () => parsedGitlab;
const gitlabJob = (): GitlabJob => Object.values(gitlab()).find((value) => (value as GitlabJob).script?.some((line) => line.startsWith('imglint check'))) as GitlabJob;
function gitlabImglintLine(): string {
  const lines = gitlabJob().script!.filter((line) => line.startsWith('imglint check'));
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

/** `--format FORMAT=FILE` pairs of an argument list. */
function formatFiles(args: readonly string[]): Map<string, string> {
  const files = new Map<string, string>();
  args.forEach((arg, index) => {
    if (args[index - 1] !== '--format' || !arg.includes('=')) return;
    files.set(arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1));
  });
  return files;
}

/** A working directory like the CI job's: plan.json (the example plan) at the root, nothing else. */
function ciWorkspace(): string {
  const dir = tempDir('imglint-ci-');
  copyFileSync(path.join(repoRoot, PLAN), path.join(dir, 'plan.json'));
  return dir;
}

describe('examples/github-actions/imglint.yml', () => {
  it('is a workflow with every step the gate needs', () => {
    const { permissions } = workflow();
    expect(permissions).toMatchObject({ contents: 'read', 'id-token': 'write', 'security-events': 'write' });
    expect(stepUsing('actions/checkout')).toBeDefined();
    expect(stepUsing('aws-actions/configure-aws-credentials')!.with).toHaveProperty('role-to-assume');
    expect(stepUsing('hashicorp/setup-terraform')!.with).toMatchObject({ terraform_wrapper: false });
    expect(job().steps.some((step) => step.run?.includes('terraform show -json tf.plan > plan.json'))).toBe(true);

    // The action uploads the SARIF it writes, even when the gate failed; the JUnit file is the one uploaded after it.
    expect(githubImglintStep().with).toMatchObject({ plan: 'plan.json', 'upload-sarif': true });
    const args = githubImglintArgs();
    expect(formatFiles(args).get('sarif')).toBe(githubImglintStep().with['sarif-file']);
    const upload = action.runs.steps.find((step) => step.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    expect(upload.if).toMatch(/^always\(\)/);
    expect(stepUsing('actions/upload-artifact')!.with!.path).toBe(formatFiles(args).get('junit'));

    // The catalog cache: the directory imglint writes (IMGLINT_CACHE_DIR) is the one actions/cache keeps.
    const cacheDir = job().env!.IMGLINT_CACHE_DIR!;
    expect(stepUsing('actions/cache')!.with!.path).toBe(cacheDir);
    // Steps run in order: the cache and credentials are in place before the gate, the upload comes after it.
    const index = (step: WorkflowStep | undefined) => job().steps.indexOf(step!);
    expect(index(stepUsing('actions/cache'))).toBeLessThan(index(githubImglintStep()));
    expect(index(stepUsing('aws-actions/configure-aws-credentials'))).toBeLessThan(index(githubImglintStep()));
    expect(index(stepUsing('actions/upload-artifact'))).toBeGreaterThan(index(githubImglintStep()));
  });

  describe('its imglint step, run on examples/terraform/plan.json', () => {
    const planEndpoint = usePlanEndpoint();

    it('exits 1 and writes annotations, the step summary, SARIF, JUnit and the catalog cache where the workflow expects them', async () => {
      const args = githubImglintArgs();
      const cwd = ciWorkspace();
      const summary = path.join(cwd, 'step-summary.md');
      const result = await run(args, { cwd, env: { ...planEndpoint().env, ...job().env, GITHUB_STEP_SUMMARY: summary } });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(1);
      expect(result.stdout).toMatch(/^::error file=plan\.json,line=473,title=virtualization-type::/m);
      expect(readFileSync(summary, 'utf8')).toContain('### imglint: 2 of 6 targets failed');

      const files = formatFiles(args);
      const validate = sarifValidator();
      const sarif = JSON.parse(readFileSync(path.join(cwd, files.get('sarif')!), 'utf8'));
      expect(validate(sarif) ? [] : validate.errors).toEqual([]);
      const junit = parseXml(readFileSync(path.join(cwd, files.get('junit')!), 'utf8'));
      expect(junitCounts(junit)).toEqual({ tests: 6, failures: 2, errors: 0, skipped: 1 });
      expect(elements(junit, 'testcase')).toHaveLength(6);

      const cacheDir = path.join(cwd, job().env!.IMGLINT_CACHE_DIR!);
      expect(existsSync(path.join(cacheDir, 'aws'))).toBe(true);
    });
  });
});

describe('examples/gitlab-ci/.gitlab-ci.yml', () => {
  it('is a job that publishes Code Quality and JUnit reports, always, and caches the catalog', () => {
    const imglintJob = gitlabJob();
    const files = formatFiles(imglintArgs(gitlabImglintLine()));
    expect(imglintJob.artifacts).toMatchObject({
      when: 'always',
      reports: { codequality: files.get('gitlab'), junit: files.get('junit') },
    });
    expect(files.get('gitlab')).toBe('gl-code-quality-report.json');
    const cacheDir = imglintJob.variables!.IMGLINT_CACHE_DIR!;
    expect(imglintJob.cache!.flatMap((cache) => cache.paths).map((entry) => entry.replace(/\/$/, ''))).toContain(cacheDir);
    const plan = Object.values(gitlab()).find((value) => (value as GitlabJob).script?.some((line) => line.includes('terraform show -json tf.plan > plan.json')));
    expect(plan).toBeDefined();
  });

  describe('its imglint line, run on examples/terraform/plan.json', () => {
    const planEndpoint = usePlanEndpoint();

    it('exits 1 and writes the Code Quality report and JUnit the artifacts name', async () => {
      const args = imglintArgs(gitlabImglintLine());
      const cwd = ciWorkspace();
      const result = await run(args, { cwd, env: { ...planEndpoint().env, ...gitlabJob().variables } });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(1);
      expect(result.stdout).toContain('6 targets checked: 2 failed, 3 passed, 1 unverifiable;');

      const files = formatFiles(args);
      const issues = JSON.parse(readFileSync(path.join(cwd, files.get('gitlab')!), 'utf8')) as { fingerprint: string; location: { path: string } }[];
      expect(Array.isArray(issues)).toBe(true);
      expect(issues.length).toBeGreaterThan(0);
      expect(new Set(issues.map((issue) => issue.fingerprint)).size).toBe(issues.length);
      for (const issue of issues) expect(issue.location.path).toBe('plan.json');
      expect(junitCounts(parseXml(readFileSync(path.join(cwd, files.get('junit')!), 'utf8')))).toEqual({ tests: 6, failures: 2, errors: 0, skipped: 1 });
      expect(existsSync(path.join(cwd, gitlabJob().variables!.IMGLINT_CACHE_DIR!, 'aws'))).toBe(true);
    });
  });
});
