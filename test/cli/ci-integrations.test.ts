/**
 * What CI users plug in: the composite GitHub Action (action.yml), the pre-commit hooks (.pre-commit-hooks.yaml) and
 * the Dockerfile. Their scripts run here for real, on a copy of this checkout, with one stand-in: the npm commands
 * that download the dependencies (`npm ci`, a bare `npm install`) get this checkout's node_modules instead, since
 * tests have no network, and skip the build a bare `npm install` runs (pre-commit's `npm pack` right after it builds
 * again). Every other npm command (build, pack, global install of the tarball) is the real one, run with --offline.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDir } from '../support/temp-dir.js';
import { repoRoot, runCli } from './run-cli.js';

const TIMEOUT = 300_000;
const dir = useTempDir('imglint-ci-');

/** The environment of these runs: nothing of the `npm test` around them, no colour, no AWS configuration. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const kept = Object.entries(process.env).filter(([key]) => {
    const lower = key.toLowerCase();
    return (!lower.startsWith('npm_') || lower === 'npm_config_cache') && !key.startsWith('AWS_') && !key.startsWith('GITHUB_') && !key.startsWith('INPUT_');
  });
  return { ...Object.fromEntries(kept), NO_COLOR: '1', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', ...extra };
}

/** A copy of the checkout's tracked files (as they are in the working tree), committed in a repository of its own. */
function copyOfCheckout(to: string): string {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: repoRoot, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(to, file)), { recursive: true });
    copyFileSync(join(repoRoot, file), join(to, file));
  }
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=imglint-test', '-c', 'user.email=test@imglint.invalid', ...args], { cwd: to, stdio: 'pipe' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'imglint');
  return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: to, encoding: 'utf8' }).trim();
}

/** A directory holding an `npm` that stands in for the dependency download and runs the real npm otherwise. */
function npmStandIn(at: string): string {
  const realNpm = execFileSync('bash', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim();
  mkdirSync(at, { recursive: true });
  writeFileSync(
    join(at, 'npm'),
    `#!/usr/bin/env bash
# npm ci, or npm install without a package: this checkout's node_modules instead of the registry.
packages=0; for arg in "\${@:2}"; do case "$arg" in -*) ;; *) packages=1 ;; esac; done
if [ "$1" = ci ] || { [ "$1" = install ] && [ "$packages" = 0 ]; }; then
  rm -rf node_modules
  cp -al ${JSON.stringify(join(repoRoot, 'node_modules'))} node_modules 2>/dev/null || cp -a ${JSON.stringify(join(repoRoot, 'node_modules'))} node_modules
  # A real bare npm install would also run prepare (the build); npm pack, which always follows it, builds again.
  exit 0
fi
exec ${JSON.stringify(realNpm)} "$@" --offline
`,
  );
  chmodSync(join(at, 'npm'), 0o755);
  return at;
}

interface Step {
  name?: string;
  uses?: string;
  id?: string;
  if?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
  'working-directory'?: string;
}

const action = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string; description: string }>;
  runs: { using: string; steps: Step[] };
};

/** `${{ inputs.x }}`, `${{ github.action_path }}`, `${{ runner.temp }}`: the expressions the script steps use. */
function evaluate(text: string, context: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_, name: string) => {
    if (!(name in context)) throw new Error(`action.yml uses \${{ ${name} }}, which the test does not provide`);
    return context[name]!;
  });
}

describe('action.yml (composite GitHub Action)', () => {
  it('is a composite action: setup-node, an install from its own checkout, the check, and a SARIF upload when asked', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.runs.steps.map((step) => step.uses ?? step.name)).toEqual(['actions/setup-node@v4', 'Install imglint', 'imglint check', 'github/codeql-action/upload-sarif@v3']);
    expect(action.runs.steps[3]!.if).toBe("always() && steps.imglint.outputs.sarif-file != ''");
    // Inputs reach scripts through env, never pasted into the script text (no script injection).
    for (const step of action.runs.steps) if (step.run) expect(step.run).not.toMatch(/\$\{\{/);
  });

  it('its script steps install imglint from the checkout and check a manifest: annotations, SARIF, exit code', () => {
    const checkout = join(dir(), 'action');
    copyOfCheckout(checkout);
    const standIn = npmStandIn(join(dir(), 'stand-in'));
    const prefix = join(dir(), 'global');
    const runnerTemp = join(dir(), 'runner-temp');
    mkdirSync(runnerTemp);
    const output = join(dir(), 'github-output');
    const summary = join(dir(), 'step-summary');
    writeFileSync(output, '');
    const workspace = join(dir(), 'workspace');
    mkdirSync(workspace);
    copyFileSync(join(repoRoot, 'examples/aws/ami-0e972d2890378139a.json'), join(workspace, 'pv.json'));
    writeFileSync(join(workspace, 'imglint.yaml'), 'targets:\n  - name: legacy\n    provider: aws\n    region: us-east-1\n    imageFile: pv.json\n    type: t2.micro\n');

    const inputs: Record<string, string> = Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [name, input.default ?? '']));
    Object.assign(inputs, { manifest: 'imglint.yaml', args: '--offline', 'upload-sarif': 'true', 'working-directory': workspace });
    const context = {
      ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`inputs.${name}`, value])),
      'github.action_path': checkout,
      'runner.temp': runnerTemp,
    };
    const statuses: Record<string, number | null> = {};
    for (const step of action.runs.steps.filter((candidate) => candidate.run !== undefined)) {
      expect(step.shell).toBe('bash');
      const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([key, value]) => [key, evaluate(value, context)]));
      // GitHub runs `shell: bash` steps as `bash --noprofile --norc -eo pipefail {0}`.
      const script = join(dir(), `${step.id ?? 'install'}.sh`);
      writeFileSync(script, step.run!);
      const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
        cwd: step['working-directory'] ? evaluate(step['working-directory'], context) : workspace,
        encoding: 'utf8',
        env: cleanEnv({
          ...env,
          PATH: `${standIn}:${join(prefix, 'bin')}:${process.env.PATH}`,
          npm_config_prefix: prefix,
          GITHUB_OUTPUT: output,
          GITHUB_STEP_SUMMARY: summary,
          RUNNER_TEMP: runnerTemp,
        }),
        timeout: TIMEOUT,
      });
      statuses[step.name!] = result.status;
      if (step.id === 'imglint') {
        expect(result.stdout).toMatch(/^::error file=imglint\.yaml,line=2,title=virtualization-type::AMI ami-0e972d2890378139a is paravirtual/m);
      } else {
        expect(result.status, result.stderr).toBe(0);
        expect(result.stdout.trim().split('\n').at(-1)).toBe('0.1.0');
      }
    }
    // The check step fails the job with imglint's exit code, after recording it and the SARIF path for the upload.
    expect(statuses).toEqual({ 'Install imglint': 0, 'imglint check': 1 });
    expect(readFileSync(output, 'utf8')).toBe(`exit-code=1\nsarif-file=${workspace}/imglint.sarif\n`);
    expect(JSON.parse(readFileSync(join(workspace, 'imglint.sarif'), 'utf8')).runs[0].results[0].ruleId).toBe('virtualization-type');
    expect(readFileSync(summary, 'utf8')).toMatch(/^### imglint: 1 of 1 target failed/);
  }, TIMEOUT);
});

describe('action.yml inputs for CloudFormation and Terraform sources', () => {
  const checkStep = action.runs.steps.find((step) => step.id === 'imglint')!;

  /** Runs the action's check step as GitHub would, with `inputs` over the defaults and `imglint` from `bin`. */
  function runCheckStep(inputs: Record<string, string>, bin: string, workspace: string) {
    const all = { ...Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [name, input.default ?? ''])), ...inputs };
    const context = Object.fromEntries(Object.entries(all).map(([name, value]) => [`inputs.${name}`, value]));
    const env = Object.fromEntries(Object.entries(checkStep.env ?? {}).map(([key, value]) => [key, evaluate(value, context)]));
    const script = join(dir(), 'check.sh');
    writeFileSync(script, checkStep.run!);
    const output = join(dir(), 'github-output');
    writeFileSync(output, '');
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
      cwd: workspace,
      encoding: 'utf8',
      env: cleanEnv({ ...env, PATH: `${bin}:${process.env.PATH}`, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: join(dir(), 'step-summary') }),
      timeout: TIMEOUT,
    });
    return { ...result, output: readFileSync(output, 'utf8') };
  }

  it('declares the inputs, each passed to scripts through env', () => {
    for (const name of ['cloudformation', 'parameters', 'source-dir']) {
      expect(action.inputs[name], name).toBeDefined();
      expect(Object.values(checkStep.env!)).toContain(`\${{ inputs.${name} }}`);
    }
  });

  it('turns them into --cloudformation, --parameter (one a line, spaces kept) and --source-dir arguments', () => {
    const bin = join(dir(), 'echo-bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'imglint'), '#!/usr/bin/env node\nconsole.log(JSON.stringify(process.argv.slice(2)));\n');
    chmodSync(join(bin, 'imglint'), 0o755);
    const result = runCheckStep(
      {
        plan: 'plan.json',
        'source-dir': 'infra/live env',
        cloudformation: 'stacks/web.yaml\nstacks/batch.yaml',
        parameters: 'Environment=prod\n  stacks/web.yaml:Title=two words  \n\n',
        args: '--offline',
      },
      bin,
      dir(),
    );
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout.trim())).toEqual([
      'check', '--format', 'github',
      '--plan', 'plan.json', '--source-dir', 'infra/live env',
      '--cloudformation', 'stacks/web.yaml', '--cloudformation', 'stacks/batch.yaml',
      '--parameter', 'Environment=prod', '--parameter', 'stacks/web.yaml:Title=two words',
      '--offline',
    ]);
  });

  it('checks a CloudFormation template with its parameters: annotations on the template, the exit code recorded', () => {
    const bin = join(dir(), 'imglint-bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'imglint'), `#!/usr/bin/env bash\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(repoRoot, 'bin/imglint.js'))} "$@"\n`);
    chmodSync(join(bin, 'imglint'), 0o755);
    const workspace = join(dir(), 'stack');
    mkdirSync(workspace);
    copyFileSync(join(repoRoot, 'examples/cloudformation/template.yaml'), join(workspace, 'template.yaml'));
    const images = ['ami-0e972d2890378139a', 'ami-0006118602dfc1c09', 'ami-04fc404d256fd34a2'];
    for (const id of images) copyFileSync(join(repoRoot, `examples/aws/${id}.json`), join(workspace, `${id}.json`));
    const args = `--offline --region us-east-1 ${images.map((id) => `--image-file ${id}.json`).join(' ')} --format json=report.json`;
    const report = (parameters: string) => {
      const result = runCheckStep({ cloudformation: 'template.yaml', parameters, args }, bin, workspace);
      return { result, json: JSON.parse(readFileSync(join(workspace, 'report.json'), 'utf8')) as { results: { target: { source: { address: string } }; verdict: string }[] } };
    };
    const verdictOf = (json: ReturnType<typeof report>['json'], address: string) => json.results.find((entry) => entry.target.source.address === address)?.verdict;

    // Tools takes its AMI from an SSM parameter: unverifiable offline, until the parameter is given.
    const defaults = report('');
    expect(verdictOf(defaults.json, 'Tools')).toBe('unverifiable');
    const given = report('Environment=prod\ntemplate.yaml:LatestAl2023=ami-0006118602dfc1c09\n');
    expect(verdictOf(given.json, 'Tools')).toBe('pass');
    expect(given.result.status).toBe(1);
    expect(given.result.stdout).toMatch(/^::error file=template\.yaml,line=\d+,title=virtualization-type::/m);
    expect(given.result.output).toBe('exit-code=1\n');
  });
});

const preCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
const havePreCommit = preCommit.status === 0;
if (!havePreCommit) console.log("skipped: the pre-commit hook test needs pre-commit on PATH (Debian: apt-get install pre-commit)");

describe('.pre-commit-hooks.yaml', () => {
  const hooks = parse(readFileSync(join(repoRoot, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; language: string; files: string }[];

  it('has a hook for plans, CloudFormation templates and manifests, each handing its files to imglint pre-commit', () => {
    expect(hooks.map((hook) => [hook.id, hook.entry, hook.language])).toEqual([
      ['imglint-plan', 'imglint pre-commit plan', 'node'],
      ['imglint-cloudformation', 'imglint pre-commit cloudformation', 'node'],
      ['imglint-manifest', 'imglint pre-commit manifest', 'node'],
    ]);
    const matches = (id: string, path: string) => new RegExp(hooks.find((hook) => hook.id === id)!.files).test(path);
    expect([matches('imglint-plan', 'infra/plan.json'), matches('imglint-plan', 'package.json')]).toEqual([true, false]);
    expect([matches('imglint-cloudformation', 'stacks/web.template.yaml'), matches('imglint-manifest', 'deploy/imglint.yaml')]).toEqual([true, true]);
  });

  it('a mistyped kind in a hook entry is a usage error with a suggestion, before any file is read', () => {
    const result = runCli(['pre-commit', 'plann', 'no-such-plan.json']);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('imglint: unknown kind of file "plann" (did you mean plan?)\nhint: use one of plan, manifest, cloudformation\n');
  });

  it.skipIf(!havePreCommit)(
    `runs with ${preCommit.stdout?.trim() || 'pre-commit'} on a sample repository: a failing manifest fails the commit`,
    () => {
      const source = join(dir(), 'imglint');
      const rev = copyOfCheckout(source);
      const sample = join(dir(), 'sample');
      mkdirSync(sample);
      execFileSync('git', ['init', '-q'], { cwd: sample });
      copyFileSync(join(repoRoot, 'examples/aws/ami-0e972d2890378139a.json'), join(sample, 'pv.json'));
      copyFileSync(join(repoRoot, 'examples/aws/ami-0006118602dfc1c09.json'), join(sample, 'al2023.json'));
      writeFileSync(join(sample, 'imglint.yaml'), 'targets:\n  - name: api\n    provider: aws\n    region: us-east-1\n    imageFile: al2023.json\n    type: t3.micro\n');
      const config = `repos:\n  - repo: ${source}\n    rev: ${rev}\n    hooks:\n      - id: imglint-manifest\n        args: [--offline]\n`;
      writeFileSync(join(sample, '.pre-commit-config.yaml'), config);
      execFileSync('git', ['add', '-A'], { cwd: sample });
      const standIn = npmStandIn(join(dir(), 'stand-in'));
      const env = cleanEnv({ PRE_COMMIT_HOME: join(dir(), 'pre-commit-home'), PATH: `${standIn}:${process.env.PATH}` });
      const run = () => spawnSync('pre-commit', ['run', '--all-files', '--color', 'never'], { cwd: sample, encoding: 'utf8', env, timeout: TIMEOUT });

      const passing = run();
      expect(passing.status, passing.stdout + passing.stderr).toBe(0);
      expect(passing.stdout).toMatch(/^imglint \(manifest\)\.+Passed$/m);

      writeFileSync(join(sample, 'imglint.yaml'), 'targets:\n  - name: legacy\n    provider: aws\n    region: us-east-1\n    imageFile: pv.json\n    type: t2.micro\n');
      execFileSync('git', ['add', '-A'], { cwd: sample });
      const failing = run();
      expect(failing.status).toBe(1);
      expect(failing.stdout).toMatch(/^imglint \(manifest\)\.+Failed$/m);
      expect(failing.stdout).toContain('virtualization-type  AMI ami-0e972d2890378139a is paravirtual; t2.micro supports only hvm');
    },
    TIMEOUT,
  );
});

describe('Dockerfile', () => {
  const lines = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const instructions = lines.map((line) => {
    const [instruction = '', ...rest] = line.split(/\s+/);
    return { instruction: instruction.toUpperCase(), args: rest.join(' ') };
  });
  const stages = instructions.filter(({ instruction }) => instruction === 'FROM');
  const runtime = instructions.slice(instructions.lastIndexOf(stages.at(-1)!));

  it("follows hadolint's rules that apply to it (hadolint itself cannot be installed here; the build is not run)", () => {
    // DL3006 / DL3007: every base image is tagged, and not `latest`; a small Node base.
    for (const { args } of stages) expect(args).toMatch(/^node:20-alpine(\s+AS\s+\w+)?$/);
    // DL3002: the last USER is not root.
    expect(runtime.filter(({ instruction }) => instruction === 'USER').at(-1)?.args).toBe('node');
    // DL3025: ENTRYPOINT and CMD in JSON (exec) form, so signals reach imglint.
    expect(runtime.find(({ instruction }) => instruction === 'ENTRYPOINT')?.args).toBe('["imglint"]');
    expect(JSON.parse(runtime.find(({ instruction }) => instruction === 'CMD')!.args)).toEqual(['--help']);
    // DL3020: COPY, not ADD. DL3000: absolute WORKDIR. DL3059: no consecutive RUN to merge.
    expect(instructions.some(({ instruction }) => instruction === 'ADD')).toBe(false);
    for (const { args } of instructions.filter(({ instruction }) => instruction === 'WORKDIR')) expect(args.startsWith('/')).toBe(true);
    instructions.forEach(({ instruction }, index) => {
      if (index > 0 && instruction === 'RUN') expect(instructions[index - 1]!.instruction).not.toBe('RUN');
    });
  });

  it('installs the tarball npm pack makes for this version', () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect(runtime.find(({ instruction }) => instruction === 'RUN')?.args).toContain(`/tmp/pack/imglint-${version}.tgz`);
  });
});
