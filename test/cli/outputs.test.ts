import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../support/temp-dir.js';
import { hasStackTrace, repoRoot, runCli } from './run-cli.js';

const PV_FILE = 'examples/aws/ami-0e972d2890378139a.json';
const PV_CHECK = ['check', '--offline', '--region', 'us-east-1', '--image-file', PV_FILE, '--type', 't2.micro'];
const dir = useTempDir('imglint-outputs-', { each: true });

describe('check: where reports go', () => {
  it('refuses two formats on standard output (they would be mixed), naming the fix', () => {
    for (const formats of [['json', 'json'], ['text', 'json']]) {
      const run = runCli([...PV_CHECK, ...formats.flatMap((format) => ['--format', format])]);
      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(
        `imglint: --format ${formats[0]} and --format ${formats[1]} both write to standard output\nhint: write all but one to a file: --format ${formats[0]} --format ${formats[1]}=imglint.json\n`,
      );
    }
  });

  it('refuses two formats written to one file, by real path', () => {
    const out = join(dir(), 'out.txt');
    const run = runCli([...PV_CHECK, '--format', `json=${out}`, '--format', `sarif=${dir()}/./sub/../out.txt`]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`both write ${dir()}/./sub/../out.txt`);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a report path that is an input, also through a symbolic link, and leaves the input whole', () => {
    const image = join(dir(), 'image.json');
    copyFileSync(join(repoRoot, PV_FILE), image);
    symlinkSync(image, join(dir(), 'link.json'));
    const before = readFileSync(image, 'utf8');
    for (const target of [image, join(dir(), 'link.json')]) {
      const run = runCli(['check', '--offline', '--region', 'us-east-1', '--image-file', image, '--type', 't2.micro', '--format', `json=${target}`]);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(`--format json=${target} would overwrite ${image}, which is read as --image-file`);
    }
    const plan = runCli(['check', '--offline', '--plan', 'examples/terraform/plan.json', '--format', 'sarif=examples/terraform/plan.json']);
    expect(plan.status).toBe(2);
    expect(plan.stderr).toContain('which is read as --plan');
    expect(readFileSync(image, 'utf8')).toBe(before);
  });

  it('writes all report files or none: a bad second path leaves the first file as it was', () => {
    const first = join(dir(), 'first.json');
    writeFileSync(first, 'previous report\n');
    writeFileSync(join(dir(), 'a-file'), '');
    const run = runCli([...PV_CHECK, '--format', `json=${first}`, '--format', `sarif=${dir()}/a-file/out.sarif`]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`imglint: cannot write ${dir()}/a-file/out.sarif: ${dir()}/a-file is a file, not a directory\nhint: pick a path whose parent is a directory\n`);
    expect(run.stderr).not.toContain('EEXIST');
    expect(readFileSync(first, 'utf8')).toBe('previous report\n');
    expect(readdirSync(dir()).sort()).toEqual(['a-file', 'first.json']);
  });

  it('replaces a report by renaming a complete temporary file into place, leaving no temporary file', () => {
    const out = join(dir(), 'reports', 'imglint.json');
    const run = runCli([...PV_CHECK, '--format', `json=${out}`, '--format', `junit=${dir()}/reports/imglint.xml`]);
    expect(run.status).toBe(1);
    expect(JSON.parse(readFileSync(out, 'utf8')).summary.failed).toBe(1);
    expect(readdirSync(join(dir(), 'reports')).sort()).toEqual(['imglint.json', 'imglint.xml']);
  });

  it('a killed run never leaves a truncated report: the previous one stays whole', async () => {
    const out = join(dir(), 'imglint.json');
    const previous = `${JSON.stringify({ previous: true })}\n`;
    writeFileSync(out, previous);
    // Killed as soon as it starts, and again while it runs: the file is either the old report or a new whole one.
    for (const delay of [0, 150, 300]) {
      const child = spawn(process.execPath, [join(repoRoot, 'bin/imglint.js'), ...PV_CHECK, '--format', `json=${out}`], { cwd: repoRoot, stdio: 'ignore' });
      // Listening before the kill: a run that ends first has exited by then.
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await new Promise((resolve) => setTimeout(resolve, delay));
      child.kill('SIGKILL');
      await exited;
      const text = readFileSync(out, 'utf8');
      expect(text === previous || JSON.parse(text).summary !== undefined).toBe(true);
    }
  });

  it('a text report written to a file has no colour, even with --color', () => {
    const out = join(dir(), 'report.txt');
    runCli(['--color', ...PV_CHECK, '--format', `text=${out}`]);
    expect(readFileSync(out, 'utf8')).not.toMatch(/\u001b\[/);
  });
});

describe('check: terminal conventions', () => {
  const colored = (text: string) => /\u001b\[/.test(text);

  it('--color and --no-color decide; else FORCE_COLOR wins over NO_COLOR; else no colour off a terminal', () => {
    expect(colored(runCli(['--color', ...PV_CHECK]).stdout)).toBe(true);
    expect(colored(runCli([...PV_CHECK, '--color']).stdout)).toBe(true);
    expect(colored(runCli(['--no-color', ...PV_CHECK], { FORCE_COLOR: '1' }).stdout)).toBe(false);
    expect(colored(runCli(PV_CHECK, { FORCE_COLOR: '1' }).stdout)).toBe(true);
    expect(colored(runCli(PV_CHECK, { FORCE_COLOR: '0', NO_COLOR: '' }).stdout)).toBe(false);
    // run-cli sets NO_COLOR=1 and stdout is a pipe.
    expect(colored(runCli(PV_CHECK).stdout)).toBe(false);
    expect(colored(runCli(PV_CHECK, { NO_COLOR: '' }).stdout)).toBe(false);
  });

  it('--quiet prints only errors and the summary line', () => {
    const manifest = runCli(['check', '--offline', '--manifest', 'examples/manifest/imglint.yaml', '--quiet']);
    expect(manifest.status).toBe(1);
    expect(manifest.stdout).not.toMatch(/^PASS /m);
    expect(manifest.stdout).not.toMatch(/^\s+(warning|info) /m);
    expect(manifest.stdout).not.toContain('catalog:');
    expect(manifest.stdout).toMatch(/^FAIL /m);
    expect(manifest.stdout.trim().split('\n').at(-1)).toMatch(/^\d+ targets checked: /);
    const clean = runCli(['check', '--offline', '--region', 'us-east-1', '--image-file', 'examples/aws/ami-0006118602dfc1c09.json', '--type', 't3.micro', '--quiet']);
    expect(clean.stdout).toBe('1 target checked: 0 failed, 1 passed; 0 error(s), 0 warning(s), 0 info (fail on: error)\n');
  });

  it.each([
    [['--format', 'sarf'], 'did you mean sarif?'],
    [['--fail-on', 'err'], 'Did you mean error?'],
    [['--on-unverifiable', 'warn'], 'Did you mean warning?'],
    [['--provider', 'rackspce'], 'Did you mean rackspace?'],
    [['--disk-config', 'auto'], 'Did you mean AUTO?'],
  ])('"did you mean" for an enumerated value: %j', (flag, suggestion) => {
    const run = runCli([...PV_CHECK, ...flag]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(suggestion);
    expect(hasStackTrace(run.stderr)).toBe(false);
  });

  it('"did you mean" for the other commands\' choices too', () => {
    expect(runCli(['rules', '--format', 'jsno']).stderr).toContain('Did you mean json?');
    expect(runCli(['matrix', '--offline', '--region', 'us-east-1', '--image-file', PV_FILE, '--format', 'markdwn']).stderr).toContain('Did you mean markdown?');
  });

  it('help shows no "(default: [])" for repeatable flags', () => {
    for (const command of ['check', 'matrix']) {
      const help = runCli([command, '--help']).stdout;
      expect(help).toContain('--image-file <file>');
      expect(help).not.toContain('(default: [])');
    }
  });

  it("names the catalog once, not in every finding's fix", () => {
    const report = JSON.parse(runCli([...PV_CHECK, '--format', 'json']).stdout);
    const fix: string = report.results[0].findings[0].fix;
    expect(fix).toBe('Use an HVM build of the same OS, or an instance type that supports paravirtual; instance types that can run it: t1.micro, m1.small, m1.medium, m3.medium, m1.large');
    expect(fix).not.toContain('data as of');
    const text = runCli(PV_CHECK).stdout;
    expect(text.match(/data as of/g)).toHaveLength(1);
  });
});

describe('imglint init', () => {
  it('writes a commented .imglint.yaml with the JSON Schema line that loads as an empty configuration, once', () => {
    const init = () => execFileSync(process.execPath, [join(repoRoot, 'bin/imglint.js'), 'init'], { cwd: dir(), encoding: 'utf8', stdio: 'pipe' });
    mkdirSync(join(dir(), '.git'));
    expect(init()).toContain('wrote .imglint.yaml');
    const text = readFileSync(join(dir(), '.imglint.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=https://raw.githubusercontent.com/imglint/imglint/main/schema/imglint-config.schema.json');
    for (const key of ['provider', 'region', 'failOn', 'maxWarnings', 'onUnverifiable', 'rules', 'ignore']) expect(text).toMatch(new RegExp(`^# ${key}:`, 'm'));
    const check = runCli(['check', '--offline', '--region', 'us-east-1', '--image-file', join(repoRoot, PV_FILE), '--type', 't2.micro', '--config', join(dir(), '.imglint.yaml')]);
    expect(check.status).toBe(1);
    expect(check.stderr).toBe('');
    expect(() => init()).toThrow(/\.imglint\.yaml already exists/);
    execFileSync(process.execPath, [join(repoRoot, 'bin/imglint.js'), 'init', '--force'], { cwd: dir() });
  });
});

describe('check --write-baseline / --baseline', () => {
  it('accepts what is there today, then fails only on new findings', () => {
    const baseline = join(dir(), 'imglint-baseline.json');
    const write = runCli([...PV_CHECK, '--write-baseline', baseline]);
    expect(write.status).toBe(0);
    expect(JSON.parse(readFileSync(baseline, 'utf8')).findings.map((entry: { ruleId: string }) => entry.ruleId)).toEqual(['virtualization-type']);
    const same = runCli([...PV_CHECK, '--baseline', baseline]);
    expect(same.status).toBe(0);
    expect(same.stdout).toContain('(in baseline: in the baseline');
    const more = runCli([...PV_CHECK, '--type', 'c5.large', '--baseline', baseline, '--format', 'json']);
    expect(more.status).toBe(1);
    const report = JSON.parse(more.stdout);
    expect(report.results.map((result: { target: { type: string }; verdict: string }) => [result.target.type, result.verdict])).toEqual([
      ['t2.micro', 'pass'],
      ['c5.large', 'fail'],
    ]);
    const bad = runCli([...PV_CHECK, '--baseline', join(dir(), 'missing.json')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--baseline');
  });
});

describe('check --offline: targets whose images no --image-file describes', () => {
  it('a manifest entry with its own image file and a type unknown offline is unverifiable, without the --image-file notice', () => {
    const manifest = join(dir(), 'imglint.yaml');
    copyFileSync(join(repoRoot, PV_FILE), join(dir(), 'pv.json'));
    writeFileSync(manifest, 'targets:\n  - name: future\n    provider: aws\n    region: us-east-1\n    imageFile: pv.json\n    type: q9.huge\n');
    const run = runCli(['check', '--offline', '--manifest', manifest, '--format', 'json']);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.results[0].verdict).toBe('unverifiable');
    expect(report.notices).toEqual([]);
  });

  it('a plan run says on stderr why it exits 2 when the text report is not on standard output', () => {
    const run = runCli(['check', '--offline', '--plan', 'examples/terraform/plan.json', '--format', 'json']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^imglint: 5 targets name images no --image-file describes \(ami-0e972d2890378139a, /);
  });
});

describe('check: a run that fails only on --max-warnings says so in every report', () => {
  it('exit 1, a failed JUnit test case, the threshold in the JSON report and the text summary', () => {
    // One target, unverifiable offline (a type no catalog knows): a warning and no failing finding.
    const manifest = join(dir(), 'imglint.yaml');
    writeFileSync(manifest, `targets:\n  - provider: aws\n    region: us-east-1\n    imageFile: ${join(repoRoot, PV_FILE)}\n    type: m9.large\n`);
    const [junit, json] = [join(dir(), 'imglint.xml'), join(dir(), 'imglint.json')];
    const args = ['check', '--offline', '--manifest', manifest, '--format', 'text', '--format', `junit=${junit}`, '--format', `json=${json}`];
    expect(runCli(args).status).toBe(0);
    const run = runCli([...args, '--max-warnings', '0']);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('1 target checked: 0 failed, 0 passed, 1 unverifiable; 0 error(s), 1 warning(s), 0 info (fail on: error, max warnings: 0)\n');
    expect(run.stdout).toContain('FAIL 1 warning, more than --max-warnings 0 allows: the run fails\n');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testsuites name="imglint" tests="2" failures="1" errors="0" skipped="1">/);
    expect(xml).toContain('<failure message="1 warning, more than --max-warnings 0 allows" type="max-warnings">');
    const report = JSON.parse(readFileSync(json, 'utf8')) as { maxWarnings?: number; summary: { warnings: number } };
    expect([report.maxWarnings, report.summary.warnings]).toEqual([0, 1]);
    // The configuration's maxWarnings counts the same; the flag wins over it.
    const config = join(dir(), '.imglint.yaml');
    writeFileSync(config, 'maxWarnings: 0\n');
    expect(runCli([...args, '--config', config]).status).toBe(1);
    expect(JSON.parse(readFileSync(json, 'utf8')).maxWarnings).toBe(0);
    expect(runCli([...args, '--config', config, '--max-warnings', '1']).status).toBe(0);
    expect(readFileSync(junit, 'utf8')).toMatch(/tests="2" failures="0"/);
  });
});
