import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path, { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Report } from '../../src/model/index.js';
import { rules } from '../../src/rules/index.js';
import { useTempDir } from '../support/temp-dir.js';
import { hasStackTrace, repoRoot, runCli } from './run-cli.js';

const PV_AMI = 'examples/aws/ami-0e972d2890378139a.json';
const AL2023_X86 = 'examples/aws/ami-0006118602dfc1c09.json';
const AL2023_ARM = 'examples/aws/ami-04fc404d256fd34a2.json';

describe('imglint check --offline (embedded catalog)', () => {
  it('reports the README quick start: a PV AMI on t2.micro fails with exit 1', () => {
    const run = runCli(['check', '--offline', '--region', 'us-east-1', '--image-file', PV_AMI, '--type', 't2.micro']);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('FAIL ami-0e972d2890378139a');
    expect(run.stdout).toContain('virtualization-type');
    expect(run.stdout).toContain("Virtualization type 'hvm' is required for instances of type 't2.micro'");
    expect(run.stdout).toMatch(/types that can run it: t1\.micro, /);
    expect(run.stderr).toBe('');
  });

  it('prints a JSON report that matches the schema, one result per image x type', () => {
    const run = runCli(['check', '--offline', '--region', 'us-east-1', '--image-file', PV_AMI, '--image-file', AL2023_ARM, '--type', 't2.micro', '--type', 'm6g.large', '--format', 'json']);
    expect(run.status).toBe(1);
    const report = Report.parse(JSON.parse(run.stdout));
    expect(report.schemaVersion).toBe(1);
    expect(report.catalogs.map((catalog) => catalog.kind)).toEqual(['embedded']);
    expect(report.catalogs[0]!.dataAsOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(report.results.map((r) => `${r.target.image} ${r.target.type} ${r.verdict}`)).toEqual([
      'ami-0e972d2890378139a t2.micro fail',
      'ami-0e972d2890378139a m6g.large fail',
      'ami-04fc404d256fd34a2 t2.micro fail',
      'ami-04fc404d256fd34a2 m6g.large pass',
    ]);
    expect(report.summary).toMatchObject({ targets: 4, failed: 3 });
    const pvOnGraviton = report.results[1]!.findings.map((f) => f.ruleId);
    expect(pvOnGraviton).toEqual(expect.arrayContaining(['virtualization-type', 'architecture', 'ena-support']));
  });

  it('exits 0 for a compatible pair', () => {
    const run = runCli(['check', '--offline', '--region', 'us-east-1', '--image-file', AL2023_X86, '--type', 't3.micro']);
    expect(run.stdout).toContain('PASS ami-0006118602dfc1c09');
    expect(run.status).toBe(0);
  });

  it('honours --fail-on: info findings fail only at --fail-on info, nothing fails at never', () => {
    const args = ['check', '--offline', '--region', 'us-east-1', '--image-file', AL2023_X86, '--type', 'c4.large'];
    expect(runCli(args).status).toBe(0);
    const info = runCli([...args, '--fail-on', 'info']);
    expect(info.stdout).toContain('previous-generation');
    expect(info.status).toBe(1);
    expect(runCli(['check', '--offline', '--region', 'us-east-1', '--image-file', PV_AMI, '--type', 't2.micro', '--fail-on', 'never']).status).toBe(0);
  });

  it('uses the region offerings of the embedded catalog', () => {
    const run = runCli(['check', '--offline', '--region', 'eu-west-1', '--image-file', AL2023_X86, '--type', 't3.micro', '--format', 'json']);
    const report = Report.parse(JSON.parse(run.stdout));
    expect(report.results[0]!.target.region).toBe('eu-west-1');
    expect(run.status).toBe(0);
  });
});

describe('bad input exits 2 with a clear message and no stack trace', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown flag', ['check', '--bogus'], /unknown option '--bogus'/],
    ['unknown command', ['chekc'], /unknown command 'chekc'/],
    ['invalid --format', ['check', '--format', 'xml'], /--format/],
    ['no type', ['check', '--offline', '--region', 'us-east-1', '--image-file', PV_AMI], /no instance type given/],
    ['no image', ['check', '--offline', '--region', 'us-east-1', '--type', 't2.micro'], /no image given/],
    ['unknown type offline', ['check', '--offline', '--region', 'us-east-1', '--image-file', PV_AMI, '--type', 't2.mikro'], /t2\.mikro/],
    ['AMI ID offline', ['check', '--offline', '--region', 'us-east-1', '--image', 'ami-0e972d2890378139a', '--type', 't2.micro'], /--image-file/],
    ['missing file', ['check', '--offline', '--region', 'us-east-1', '--image-file', 'examples/aws/nope.json', '--type', 't2.micro'], /examples\/aws\/nope\.json/],
    ['malformed file', ['check', '--offline', '--region', 'us-east-1', '--image-file', 'package.json', '--type', 't2.micro'], /package\.json/],
  ];
  it.each(cases)('%s', (_name, args, message) => {
    const run = runCli(args);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(hasStackTrace(run.stderr)).toBe(false);
  });

  it('--debug shows the stack', () => {
    const run = runCli(['check', '--offline', '--region', 'us-east-1', '--image-file', 'examples/aws/nope.json', '--type', 't2.micro', '--debug']);
    expect(run.status).toBe(2);
    expect(hasStackTrace(run.stderr)).toBe(true);
  });
});

describe('help and rules', () => {
  it('--help teaches exit codes and exits 0', () => {
    const run = runCli(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Exit codes:');
  });

  it('check --help shows examples', () => {
    const run = runCli(['check', '--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('imglint check --offline --region us-east-1 --image-file');
  });

  it('rules lists every rule with its severity', () => {
    const run = runCli(['rules']);
    expect(run.status).toBe(0);
    for (const rule of rules) expect(run.stdout).toMatch(new RegExp(`^${rule.id}\\s+${rule.severity}\\s`, 'm'));
  });
});

describe('start-up path', () => {
  const dir = useTempDir('imglint-startup-');

  it('an offline check through the built CLI never loads the AWS SDK; a live one does', async () => {
    const { execFileSync } = await import('node:child_process');
    // The CLI's scripts (dist/cli/, the bundled SDK in dist/cli/aws-sdk/ among them) are read by its loader with
    // fs.readFileSync; a preloaded probe records those reads, and require.cache shows any CommonJS SDK package.
    const probeFile = path.join(dir(), 'probe.cjs');
    writeFileSync(
      probeFile,
      `const fs = require('node:fs'); const read = fs.readFileSync; const seen = [];
       fs.readFileSync = function (file, ...rest) { if (typeof file === 'string') seen.push(file); return read.call(this, file, ...rest); };
       process.on('exit', () => {
         const sdk = seen.some((file) => /[\\/]dist[\\/]cli[\\/]aws-sdk[\\/]/.test(file)) || Object.keys(require.cache).some((file) => file.includes('@aws-sdk'));
         process.stderr.write(sdk ? 'sdk loaded' : 'sdk not loaded');
       });`,
    );
    const probe = (args: string[], env: Record<string, string | undefined> = {}) => {
      try {
        execFileSync(process.execPath, ['--require', probeFile, 'bin/imglint.js', ...args], {
          encoding: 'utf8',
          stdio: 'pipe',
          env: { ...process.env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_MAX_ATTEMPTS: '1', AWS_EC2_METADATA_DISABLED: 'true', IMGLINT_CACHE_DIR: path.join(dir(), 'cache'), ...env },
        });
      } catch (error) {
        return String((error as { stderr: string }).stderr).split('\n').at(-1);
      }
      return 'exited 0';
    };
    expect(probe(['check', '--offline', '--region', 'us-east-1', '--image-file', PV_AMI, '--type', 't2.micro'])).toBe('sdk not loaded');
    // The region from the shared config file is read without the SDK too.
    const config = path.join(dir(), 'aws-config');
    writeFileSync(config, '[profile probe]\nregion = eu-west-1\n');
    // Unset, not empty: an empty AWS_REGION configures no region, as for the SDK (child_process drops undefined values).
    const fromProfile = { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: path.join(dir(), 'none'), AWS_PROFILE: 'probe', AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined };
    expect(probe(['check', '--offline', '--image-file', PV_AMI, '--type', 't2.micro'], fromProfile)).toBe('sdk not loaded');
    expect(probe(['check', '--image', 'ami-0e972d2890378139a', '--type', 't2.micro', '--region', 'us-east-1'])).toBe('sdk loaded');
  });

  it('only a target with instance requirements loads the embedded selection facts', async () => {
    const { spawnSync } = await import('node:child_process');
    // src/catalog/aws/selection.json is a chunk of its own, named after the file; the CLI's loader reads it with readFileSync.
    const probeFile = path.join(dir(), 'selection-probe.cjs');
    writeFileSync(
      probeFile,
      `const fs = require('node:fs'); const read = fs.readFileSync; const seen = [];
       fs.readFileSync = function (file, ...rest) { if (typeof file === 'string') seen.push(file); return read.call(this, file, ...rest); };
       process.on('exit', () => process.stderr.write(seen.some((file) => /[\\/]dist[\\/]cli[\\/]chunks[\\/]selection-\\w+\\.c?js$/.test(file)) ? 'loaded' : 'not loaded'));`,
    );
    const probe = (args: string[]) => {
      const run = spawnSync(process.execPath, ['--require', probeFile, 'bin/imglint.js', ...args], {
        encoding: 'utf8',
        env: { ...process.env, IMGLINT_CACHE_DIR: path.join(dir(), 'cache') },
      });
      return run.stderr.split('\n').at(-1);
    };
    expect(probe(['check', '--offline', '--image-file', PV_AMI, '--type', 't2.micro'])).toBe('not loaded');
    // FlexGroup's override selects its types by InstanceRequirements.
    const images = ['ami-0006118602dfc1c09', 'ami-04fc404d256fd34a2', 'ami-0e972d2890378139a'].flatMap((id) => ['--image-file', `examples/aws/${id}.json`]);
    expect(probe(['check', '--offline', '--cloudformation', 'examples/cloudformation/template.yaml', '--region', 'us-east-1', ...images])).toBe('loaded');
  });
});

describe('plans and templates named by a manifest or .imglint.yaml', () => {
  const dir = useTempDir('imglint-named-', { each: true });
  /** Every example AMI, so the plan's and the template's images are known offline. */
  const images = readdirSync(join(repoRoot, 'examples/aws'))
    .filter((name) => name.endsWith('.json'))
    .flatMap((name) => ['--image-file', `examples/aws/${name}`]);
  const sources = (report: Report) => [...new Set(report.results.map((result) => result.target.source?.file))];

  it('--manifest examples/manifest/deployment.yaml checks its targets, the plan and the template in one run', () => {
    const run = runCli(['check', '--offline', '--manifest', 'examples/manifest/deployment.yaml', ...images, '--format', 'json']);
    expect(run.status).toBe(1);
    const report = Report.parse(JSON.parse(run.stdout));
    expect(sources(report)).toEqual(['examples/manifest/deployment.yaml', 'examples/terraform/every-launch/main.tf', 'examples/cloudformation/template.yaml']);
    expect(report.summary).toMatchObject({ targets: 22, failed: 3, unverifiable: 4 });
    const failed = report.results.filter((result) => result.verdict === 'fail').map((result) => `${result.target.source?.address} ${result.findings[0]!.ruleId}`);
    expect(failed).toEqual(['rs-app auto-disk-config', 'aws_spot_fleet_request.batch architecture', 'LegacyGroup virtualization-type']);
  });

  it('--parameter reaches a template only a manifest names', () => {
    const run = runCli(['check', '--offline', '--manifest', 'examples/manifest/deployment.yaml', ...images, '--parameter', 'Environment=dev', '--format', 'json']);
    expect(run.stderr).toBe('');
    const report = Report.parse(JSON.parse(run.stdout));
    expect(report.results.find((result) => result.target.source?.address === 'WebGroup')!.target.type).toBe('t3.small');
  });

  it('.imglint.yaml plans: and cloudformation: are checked with every run, relative to the file', () => {
    const config = join(dir(), '.imglint.yaml');
    const examples = join(repoRoot, 'examples');
    const plan = join(examples, 'terraform/every-launch/plan.json');
    writeFileSync(config, `plans:\n  - plan: ${plan}\ncloudformation:\n  - template: template.yaml\n    region: us-east-1\n`);
    copyFileSync(join(examples, 'cloudformation/template.yaml'), join(dir(), 'template.yaml'));
    const run = runCli(['check', '--offline', '--config', config, ...images, '--format', 'json']);
    expect(run.status).toBe(1);
    expect(sources(Report.parse(JSON.parse(run.stdout)))).toEqual([join(examples, 'terraform/every-launch/main.tf'), join(dir(), 'template.yaml')]);
    writeFileSync(config, `plans:\n  - plna: plan.json\n`);
    const typo = runCli(['check', '--offline', '--config', config, ...images]);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain(`${config}:2: plans[0].plna: unknown key (did you mean plan?)`);
  });

  it('refuses a report path that is a file a manifest names, and leaves it whole', () => {
    const template = join(dir(), 'template.yaml');
    copyFileSync(join(repoRoot, 'examples/cloudformation/template.yaml'), template);
    const manifest = join(dir(), 'imglint.yaml');
    writeFileSync(manifest, 'cloudformation:\n  - template: template.yaml\n    region: us-east-1\n');
    const before = readFileSync(template, 'utf8');
    const run = runCli(['check', '--offline', '--manifest', manifest, ...images, '--format', `sarif=${template}`]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`--format sarif=${template} would overwrite ${template}, which is read as an input of this run`);
    expect(readFileSync(template, 'utf8')).toBe(before);
  });
});
