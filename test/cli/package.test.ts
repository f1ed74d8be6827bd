/**
 * The package as users get it: `npm pack` gives a tarball that `npm i -g` turns into a working `imglint`, and that a
 * project can import the library from. Installs run offline (`--offline`: npm's cache only, which `npm ci` filled),
 * into temporary directories.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeConsumerTsconfig } from '../support/consumer-project.js';
import { useTempDir } from '../support/temp-dir.js';
import { repoRoot } from './run-cli.js';

const INSTALL_TIMEOUT = 240_000;
const dir = useTempDir('imglint-package-');

/** npm with nothing of the `npm test` that runs it (its prefix, its scripts' variables), offline, quiet. */
function npm(args: readonly string[], cwd: string): string {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_') || key.toLowerCase() === 'npm_config_cache'));
  return execFileSync('npm', [...args, '--offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    env: { ...env, npm_config_update_notifier: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

interface PackedFile {
  path: string;
  size: number;
}

let tarball: string;
let packed: { size: number; unpackedSize: number; files: PackedFile[] };
beforeAll(() => {
  // dist/ is built by `npm test` before vitest runs; --ignore-scripts skips `prepare` (a second build).
  const [info] = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir()], repoRoot)) as [typeof packed & { filename: string }];
  packed = info;
  tarball = join(dir(), info.filename);
}, INSTALL_TIMEOUT);

describe('npm pack', () => {
  it('ships the bundle, declarations, docs, JSON Schema, README and LICENSE, and no source maps or sources', () => {
    const paths = packed.files.map((file) => file.path);
    expect(tarball.endsWith('imglint-0.1.0.tgz')).toBe(true);
    for (const path of ['LICENSE', 'README.md', 'package.json', 'bin/imglint.js', 'dist/cli/loader.cjs', 'dist/cli/start.cjs', 'dist/index.js', 'dist/types/src/index.d.ts']) expect(paths).toContain(path);
    expect(paths).toContain('docs/rules/virtualization-type.md');
    expect(paths).toContain('schema/imglint-config.schema.json');
    expect(paths.filter((path) => path.endsWith('.map'))).toEqual([]);
    expect(paths.filter((path) => /^(src|test|scripts|providers)\//.test(path))).toEqual([]);
  });
});

describe('package.json', () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));

  it('installs nothing: every dependency is bundled, the AWS SDK clients too (dist/aws-sdk/)', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.optionalDependencies ?? {}).toEqual({});
    // Exact pins, as the lockfile resolves them.
    for (const version of Object.values(pkg.devDependencies) as string[]) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('says where the project lives and under which licence, with the licence text', () => {
    expect(pkg.license).toBe('Apache-2.0');
    expect(pkg.repository).toEqual({ type: 'git', url: 'git+https://github.com/imglint/imglint.git' });
    expect(pkg.homepage).toBe('https://github.com/imglint/imglint#readme');
    expect(pkg.bugs).toEqual({ url: 'https://github.com/imglint/imglint/issues' });
    expect(readFileSync(join(repoRoot, 'LICENSE'), 'utf8')).toMatch(/^\s+Apache License\n\s+Version 2\.0, January 2004/);
  });
});

describe('npm install --global . in a clone (README "Install")', () => {
  it('builds the checkout (prepare) and links a working imglint', () => {
    // A clone after `npm ci`: the tracked files, without dist/, and the dependencies (this checkout's, linked).
    const clone = join(dir(), 'clone');
    for (const file of execFileSync('git', ['ls-files', '-z'], { cwd: repoRoot, encoding: 'utf8' }).split('\0').filter(Boolean)) {
      mkdirSync(dirname(join(clone, file)), { recursive: true });
      copyFileSync(join(repoRoot, file), join(clone, file));
    }
    symlinkSync(join(repoRoot, 'node_modules'), join(clone, 'node_modules'), 'dir');
    const prefix = join(dir(), 'global-from-clone');
    npm(['install', '--global', '--prefix', prefix, '.'], clone);
    const check = spawnSync(join(prefix, 'bin', 'imglint'), ['check', '--offline', '--region', 'us-east-1', '--image-file', 'examples/aws/ami-0e972d2890378139a.json', '--type', 't2.micro'], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(1);
    expect(check.stdout).toMatch(/^FAIL ami-0e972d2890378139a .* on t2\.micro in us-east-1$/m);
  }, INSTALL_TIMEOUT);
});

describe('npm i -g ./imglint-0.1.0.tgz', () => {
  it('gives a working imglint that checks the examples offline', () => {
    const prefix = join(dir(), 'global');
    npm(['install', '--global', '--prefix', prefix, tarball], dir());
    const imglint = join(prefix, 'bin', 'imglint');
    const run = (args: string[]) => {
      try {
        return { status: 0, stdout: execFileSync(imglint, args, { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } }) };
      } catch (error) {
        const failed = error as { status: number; stdout: string };
        return { status: failed.status, stdout: failed.stdout };
      }
    };
    expect(run(['--version']).stdout.trim()).toBe('0.1.0');
    const check = run(['check', '--offline', '--region', 'us-east-1', '--image-file', 'examples/aws/ami-0e972d2890378139a.json', '--type', 't2.micro']);
    expect(check.status).toBe(1);
    expect(check.stdout).toMatch(/^FAIL ami-0e972d2890378139a .* on t2\.micro in us-east-1$/m);
    expect(run(['check', '--offline', '--manifest', 'examples/manifest/imglint.yaml', '--format', 'junit']).stdout).toMatch(/^<\?xml/);
    expect(run(['explain', 'ena-support']).stdout).toMatch(/^## Why the launch fails$/m);
    const sarif = JSON.parse(run(['check', '--offline', '--manifest', 'examples/manifest/imglint.yaml', '--format', 'sarif']).stdout);
    expect(sarif.runs[0].tool.driver.rules[0].help.markdown).toMatch(/^# /);
    // The live path runs the AWS SDK bundled in the package: against a port nothing listens on, a network error (exit 3).
    const live = spawnSync(imglint, ['check', '--image', 'ami-0abcdef1234567890', '--type', 't3.micro', '--region', 'us-east-1', '--timeout', '5'], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_MAX_ATTEMPTS: '1' },
    });
    expect(live.stderr).not.toMatch(/internal error|Cannot find (module|package)/);
    expect(live.status).toBe(3);
  }, INSTALL_TIMEOUT);
});

describe('a project that installs the tarball', () => {
  it('imports check(), renderReport and the formatters docs/formats.md documents', () => {
    const project = join(dir(), 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'deploy', private: true, type: 'module' }));
    npm(['install', tarball], project);
    const script = `
      import * as imglint from 'imglint';
      const report = await imglint.check({
        imageFile: ${JSON.stringify(join(repoRoot, 'examples/aws/ami-0e972d2890378139a.json'))},
        type: ['t2.micro', 't1.micro'], offline: true, region: 'us-east-1', config: false,
      });
      const sarif = JSON.parse(await imglint.renderReport(report, 'sarif', { fallbackFile: 'imglint.yaml' }));
      const out = {
        formats: imglint.FORMATS,
        verdicts: report.results.map((result) => result.verdict),
        sarifRules: sarif.runs[0].tool.driver.rules.map((rule) => rule.id),
        sarifHelp: sarif.runs[0].tool.driver.rules[0].help.markdown.split('\\n')[0],
        junit: imglint.formatJunit(report).includes('failures="1"'),
        github: imglint.formatGithub(report).split('\\n')[0].slice(0, 40),
        summary: imglint.githubStepSummary(report).split('\\n')[0],
        gitlab: JSON.parse(imglint.formatGitlab(report, { fallbackFile: 'imglint.yaml' })).length,
        text: imglint.formatText(report, { color: false }).split('\\n')[0].slice(0, 30),
        json: JSON.parse(imglint.formatJson(report)).schemaVersion,
        direct: typeof imglint.formatSarif(report, { fallbackFile: 'x' }),
        spec: imglint.parseFormatSpec('junit=out.xml'),
      };
      console.log(JSON.stringify(out));
    `;
    writeFileSync(join(project, 'use.mjs'), script);
    const out = JSON.parse(execFileSync(process.execPath, ['use.mjs'], { cwd: project, encoding: 'utf8' }));
    expect(out).toEqual({
      formats: ['text', 'json', 'sarif', 'junit', 'github', 'gitlab'],
      verdicts: ['fail', 'pass'],
      sarifRules: ['virtualization-type', 'previous-generation'],
      sarifHelp: '# virtualization-type',
      junit: true,
      github: "::error title=virtualization-type::AMI a",
      summary: '### imglint: 1 of 2 targets failed',
      gitlab: 2,
      text: 'FAIL ami-0e972d2890378139a (am',
      json: 1,
      direct: 'string',
      spec: { format: 'junit', path: 'out.xml' },
    });
  }, INSTALL_TIMEOUT);
});

describe('a TypeScript project that installs the tarball', () => {
  it('type-checks a consumer of check() and the report (strict, skipLibCheck false), with zod as its only other package, and Node types', () => {
    const project = join(dir(), 'typed');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'typed-deploy', private: true, type: 'module' }));
    // zod is the declarations' optional peer (the report types are zod schemas); the AWS SDK is not needed. Node's
    // types are the project's own (zod's declarations name URL, ours AbortSignal): here this checkout's @types/node.
    const [zod] = JSON.parse(npm(['pack', join(repoRoot, 'node_modules', 'zod'), '--ignore-scripts', '--json', '--pack-destination', dir()], dir())) as [{ filename: string }];
    npm(['install', tarball, join(dir(), zod.filename)], project);
    writeConsumerTsconfig(project, ['deploy.ts'], { skipLibCheck: false });
    writeFileSync(
      join(project, 'deploy.ts'),
      `import { check, formatJunit, InputError, Report as ReportSchema, type Ec2ClientLike, type Finding, type Report } from 'imglint';

// Any object with send() and config.region() is a client: a test double needs no AWS SDK.
const ec2Client: Ec2ClientLike = { send: async () => ({ Images: [] }), config: { region: async () => 'us-east-1' } };
export const live: Promise<Report> = check({ image: 'ami-0abcdef1234567890', type: 't3.micro', ec2Client, config: false });

const report: Report = await check({ imageFile: 'ami.json', type: ['t2.micro', 't3.micro'], offline: true, region: 'us-east-1', config: false });
export const failed: number = report.summary.failed + report.summary.warnings;
const findings: readonly Finding[] = report.results.flatMap((result) => result.findings);
export const rules: string[] = findings.map((finding) => \`\${finding.ruleId}: \${finding.severity}\`);
export const verdict: 'pass' | 'fail' | 'unverifiable' | 'error' | undefined = report.results[0]?.verdict;
export const junit: string = formatJunit(report);
export const valid: Report = ReportSchema.parse(JSON.parse('{}'));
export const typed = (error: unknown): boolean => error instanceof InputError && error.code.length > 0;
// @ts-expect-error the types are real, not any: a count is no string
export const wrong: string = report.summary.failed;
`,
    );
    const tsc = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], { cwd: project, encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, INSTALL_TIMEOUT);
});
