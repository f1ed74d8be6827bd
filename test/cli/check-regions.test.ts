/**
 * `imglint check` and regions or zones it cannot judge offline, through the built CLI: a misspelt region is exit 2
 * with a suggestion (for --region; a plan's, a manifest target's or a manifest template entry's is an input error of
 * those targets, and the others are checked), the region offline without --region is the AWS CLI's, a real region without
 * embedded offerings is checked with a notice that says so in every report format, and --availability-zone
 * reaches the rule.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Report } from '../../src/model/index.js';
import { KNOWN_AFTER_APPLY } from '../../src/model/placeholders.js';
import { hasStackTrace, repoRoot, runCli } from './run-cli.js';

const AL2023_X86 = 'examples/aws/ami-0006118602dfc1c09.json';
const scratch = mkdtempSync(path.join(tmpdir(), 'imglint-check-regions-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const offline = (...args: string[]) => runCli(['check', '--offline', '--image-file', AL2023_X86, '--type', 't3.micro', ...args]);

describe('a misspelt region', () => {
  it('--region: exit 2 with a suggestion, one line and a hint, no stack trace', () => {
    const run = offline('--region', 'us-est-1');
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')[0]).toBe(
      'imglint: Unknown AWS region "us-est-1": not a region of any AWS partition (aws, aws-cn, aws-eusc, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-us-gov)',
    );
    expect(run.stderr).toMatch(/^hint: Did you mean us-east-1, /m);
    expect(hasStackTrace(run.stderr)).toBe(false);
  });

  it('in a manifest: that target is an input error with the reason, the others are checked, exit 2', () => {
    const manifest = path.join(scratch, 'imglint.yaml');
    const image = path.join(repoRoot, AL2023_X86);
    writeFileSync(
      manifest,
      [
        'targets:',
        `  - { name: typo, provider: aws, region: eu-wset-1, imageFile: ${image}, type: t3.micro }`,
        `  - { name: fine, provider: aws, region: eu-west-1, imageFile: ${image}, type: t3.micro }`,
        '',
      ].join('\n'),
    );
    const run = runCli(['check', '--offline', '--manifest', manifest, '--format', 'json']);
    expect(run.status).toBe(2);
    const report = Report.parse(JSON.parse(run.stdout));
    expect(report.results.map((result) => [result.target.region, result.verdict])).toEqual([['eu-wset-1', 'error'], ['eu-west-1', 'pass']]);
    expect(report.results[0]!.error).toMatchObject({ kind: 'input', code: 'UnknownRegion', hint: expect.stringMatching(/^Did you mean eu-west-1\b/) });
  });
});

describe('a misspelt region in a plan or a template', () => {
  const images = readdirSync(path.join(repoRoot, 'examples', 'aws')).filter((name) => name.endsWith('.json')).flatMap((name) => ['--image-file', `examples/aws/${name}`]);

  it("a plan's provider region: every target of it is an input error naming the region, also one known only after apply", () => {
    const plan = path.join(scratch, 'plan.json');
    const text = readFileSync(path.join(repoRoot, 'examples', 'terraform', 'plan.json'), 'utf8');
    expect(text).toContain('"constant_value": "us-east-1"');
    writeFileSync(plan, text.replace('"constant_value": "us-east-1"', '"constant_value": "us-est-1"'));
    const run = runCli(['check', '--offline', '--plan', plan, ...images, '--format', 'json']);
    expect(run.status).toBe(2);
    const report = Report.parse(JSON.parse(run.stdout));
    expect(report.results.length).toBeGreaterThan(1);
    expect(report.results.some((result) => result.target.image === KNOWN_AFTER_APPLY)).toBe(true);
    for (const result of report.results) {
      expect([result.target.region, result.verdict, result.error?.code]).toEqual(['us-est-1', 'error', 'UnknownRegion']);
      expect(result.error!.hint).toMatch(/^Did you mean us-east-1\b/);
    }
  });

  it('--region for a template: exit 2 with a suggestion', () => {
    const run = runCli(['check', '--offline', '--cloudformation', 'examples/cloudformation/template.yaml', '--region', 'us-est-1', ...images]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^imglint: Unknown AWS region "us-est-1"/);
    expect(run.stderr).toContain('Did you mean us-east-1');
  });

  it("a manifest's template entry region: that template's targets are input errors, the plan's and the others are checked", () => {
    const manifest = path.join(scratch, 'deployment.yaml');
    const text = readFileSync(path.join(repoRoot, 'examples', 'manifest', 'deployment.yaml'), 'utf8');
    expect(text).toContain('region: us-east-1 # AWS::Region');
    const inExamples = (file: string) => path.join(repoRoot, 'examples', file);
    writeFileSync(
      manifest,
      text
        .replace('region: us-east-1 # AWS::Region', 'region: us-est-1 # AWS::Region')
        .replaceAll('../terraform/', `${inExamples('terraform')}/`)
        .replace('../cloudformation/', `${inExamples('cloudformation')}/`)
        .replace('../rackspace/', `${inExamples('rackspace')}/`),
    );
    const run = runCli(['check', '--offline', '--manifest', manifest, ...images, '--format', 'json']);
    expect(run.status).toBe(2);
    const report = Report.parse(JSON.parse(run.stdout));
    const fromTemplate = report.results.filter((result) => result.target.source?.file.endsWith('template.yaml'));
    const others = report.results.filter((result) => !result.target.source?.file.endsWith('template.yaml'));
    expect(fromTemplate.length).toBeGreaterThan(0);
    for (const result of fromTemplate) expect([result.target.region, result.verdict, result.error?.code]).toEqual(['us-est-1', 'error', 'UnknownRegion']);
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((result) => result.verdict !== 'error')).toBe(true);
    expect(others.map((result) => result.verdict)).toContain('pass');
  });
});

describe('a real region without embedded offerings (ap-southeast-7) says so in every format', () => {
  const notice = /ap-southeast-7 is an aws region the embedded offerings do not cover \(an opt-in or newer region; they cover 30 regions of the aws partition, moto data of 2026-08-01\): whether instance types are offered there was not judged/;
  const catalogLine = /no offerings for ap-southeast-7: availability not judged/;

  it.each([
    ['text', [notice, catalogLine]],
    ['json', [notice, catalogLine]],
    ['sarif', [notice, catalogLine]],
    ['junit', [new RegExp(`<property name="notice" value="${notice.source}`), catalogLine]],
    ['github', [notice]],
  ])('%s', (format, patterns) => {
    const run = offline('--region', 'ap-southeast-7', '--format', format);
    expect(run.status).toBe(0);
    for (const pattern of patterns) expect(run.stdout).toMatch(pattern);
  });

  it('gitlab: Code Quality has no place for it, so it is on stderr; not when another format carries it', () => {
    const gitlab = offline('--region', 'ap-southeast-7', '--format', 'gitlab');
    expect(gitlab.status).toBe(0);
    expect(gitlab.stdout).toBe('[]\n');
    expect(gitlab.stderr).toMatch(new RegExp(`^imglint: note: ${notice.source}`));
    const both = offline('--region', 'ap-southeast-7', '--format', 'json', '--format', `gitlab=${path.join(scratch, 'gl-code-quality.json')}`);
    expect(both.stderr).toBe('');
    expect(both.stdout).toMatch(notice);
  });

  it('a region with embedded offerings has no such notice, and its catalog line names the zones', () => {
    const run = offline('--region', 'sa-east-1', '--format', 'json');
    const report = Report.parse(JSON.parse(run.stdout));
    expect(report.notices).toEqual([]);
    expect(report.catalogs[0]!.description).toContain('offerings of sa-east-1 and its 3 zones as of 2026-08-01 (30 aws regions, 94 zones embedded)');
  });
});

describe('the region offline without --region: where the live path reads it, never a default', () => {
  const awsConfig = path.join(scratch, 'aws-config');
  writeFileSync(awsConfig, '[default]\nregion = eu-west-1\n\n[profile brazil]\nregion = sa-east-1\n');
  const judgedIn = (env: Record<string, string>) => {
    const run = runCli(['check', '--offline', '--image-file', AL2023_X86, '--type', 't3.micro', '--format', 'json'], env);
    expect(run.status).toBe(0);
    const report = Report.parse(JSON.parse(run.stdout));
    expect(report.catalogs[0]!.description).toContain(`offerings of ${report.results[0]!.target.region} and its`);
    return report.results[0]!.target.region;
  };

  it('AWS_REGION, then AWS_DEFAULT_REGION, then the region of the AWS_PROFILE profile (default: default) in AWS_CONFIG_FILE', () => {
    expect(judgedIn({ AWS_REGION: 'ap-south-1', AWS_DEFAULT_REGION: 'eu-north-1', AWS_CONFIG_FILE: awsConfig })).toBe('ap-south-1');
    expect(judgedIn({ AWS_DEFAULT_REGION: 'eu-north-1', AWS_CONFIG_FILE: awsConfig })).toBe('eu-north-1');
    expect(judgedIn({ AWS_CONFIG_FILE: awsConfig })).toBe('eu-west-1');
    expect(judgedIn({ AWS_CONFIG_FILE: awsConfig, AWS_PROFILE: 'brazil' })).toBe('sa-east-1');
  });

  it("the profile's region in AWS_SHARED_CREDENTIALS_FILE first, as the SDK reads it live, and alone it is enough", () => {
    const credentials = path.join(scratch, 'aws-credentials');
    writeFileSync(credentials, '[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nregion = us-west-2\n');
    expect(judgedIn({ AWS_CONFIG_FILE: awsConfig, AWS_SHARED_CREDENTIALS_FILE: credentials })).toBe('us-west-2');
    expect(judgedIn({ AWS_SHARED_CREDENTIALS_FILE: credentials })).toBe('us-west-2');
    // The brazil profile has no [brazil] section there: the config file's region stands.
    expect(judgedIn({ AWS_CONFIG_FILE: awsConfig, AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_PROFILE: 'brazil' })).toBe('sa-east-1');
  });

  it("a template's AWS::Region is that region too: its region -> AMI mapping resolves as for --region", () => {
    const images = readdirSync(path.join(repoRoot, 'examples', 'aws')).filter((name) => name.endsWith('.json')).flatMap((name) => ['--image-file', `examples/aws/${name}`]);
    const template = ['check', '--offline', '--cloudformation', 'examples/cloudformation/template.yaml', ...images, '--format', 'json'];
    const verdicts = (env: Record<string, string>, ...args: string[]) =>
      Report.parse(JSON.parse(runCli([...template, ...args], env).stdout)).results.map((result) => [result.target.region, result.verdict]);
    const flagged = verdicts({}, '--region', 'us-east-1');
    expect(flagged.filter(([, verdict]) => verdict === 'pass').length).toBeGreaterThan(0);
    expect(verdicts({ AWS_CONFIG_FILE: awsConfig, AWS_DEFAULT_REGION: 'us-east-1' })).toEqual(flagged);
    // Without any region, the mapping cannot be read: unverifiable, never us-east-1's AMIs.
    expect(verdicts({}).every(([, verdict]) => verdict === 'unverifiable')).toBe(true);
  });

  it('a misspelt configured region is exit 2 with a suggestion, as --region', () => {
    const run = runCli(['check', '--offline', '--image-file', AL2023_X86, '--type', 't3.micro'], { AWS_DEFAULT_REGION: 'eu-wset-1' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^imglint: Unknown AWS region "eu-wset-1"/);
    expect(run.stderr).toContain('Did you mean eu-west-1');
  });

  it('none at all: check and matrix exit 2 naming the places read, with no report and no stack trace', () => {
    for (const args of [
      ['check', '--offline', '--image-file', AL2023_X86, '--type', 't3.micro'],
      ['matrix', '--offline', '--image-file', AL2023_X86],
    ]) {
      const run = runCli(args, { AWS_PROFILE: 'brazil' });
      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(
        'imglint: No AWS region is configured\n' +
          'hint: offline, the instance type offerings are judged per region: pass --region (e.g. --region us-east-1), or set AWS_REGION (not empty), AWS_DEFAULT_REGION, or region in profile brazil of /nonexistent/imglint-test-credentials or /nonexistent/imglint-test-config\n',
      );
    }
  });

  it('in a manifest, targets without a region are input errors; those with one are checked', () => {
    const manifest = path.join(scratch, 'no-region.yaml');
    const image = path.join(repoRoot, AL2023_X86);
    writeFileSync(manifest, ['targets:', `  - { provider: aws, imageFile: ${image}, type: t3.micro }`, `  - { provider: aws, region: eu-west-1, imageFile: ${image}, type: t3.micro }`, ''].join('\n'));
    const run = runCli(['check', '--offline', '--manifest', manifest, '--format', 'json']);
    expect(run.status).toBe(2);
    const report = Report.parse(JSON.parse(run.stdout));
    expect(report.results.map((result) => [result.verdict, result.error?.message])).toEqual([
      ['error', 'No AWS region is configured'],
      ['pass', undefined],
    ]);
  });
});

describe('--availability-zone', () => {
  it('by zone ID: a zone that does not offer the type fails with EC2\'s text; one that does passes', () => {
    const offerings = JSON.parse(readFileSync(path.join(repoRoot, 'src', 'catalog', 'aws', 'meta.json'), 'utf8')) as { counts: { zones: Record<string, number> } };
    expect(offerings.counts.zones['us-east-1']).toBe(12);
    // use1-az3 offers 58 types: t2.micro is one of them, m5.large is not.
    const fails = runCli(['check', '--offline', '--image-file', AL2023_X86, '--type', 't2.micro', '--type', 'm5.large', '--region', 'us-east-1', '--availability-zone', 'use1-az3', '--format', 'json']);
    expect(fails.status).toBe(1);
    const report = Report.parse(JSON.parse(fails.stdout));
    expect(report.results.map((result) => [result.target.type, result.target.availabilityZones, result.verdict])).toEqual([
      ['t2.micro', ['use1-az3'], 'pass'],
      ['m5.large', ['use1-az3'], 'fail'],
    ]);
    expect(report.results[1]!.findings.find((finding) => finding.ruleId === 'instance-type-offering')!.providerError!.message).toMatch(
      /^Your requested instance type \(m5\.large\) is not supported in your requested Availability Zone \(use1-az3\)\. Please retry your request by not specifying an Availability Zone or choosing use1-az1, /,
    );
  });

  it('is for AWS --image/--type targets only, and a zone of another region is exit 2', () => {
    const rackspace = runCli(['check', '--offline', '--provider', 'rackspace', '--region', 'IAD', '--image-file', 'examples/rackspace/ubuntu-14.04-pv.json', '--flavor', 'general1-1', '--availability-zone', 'nova']);
    expect(rackspace.status).toBe(2);
    expect(rackspace.stderr).toMatch(/^imglint: --availability-zone applies to AWS --image\/--type targets/);
    const elsewhere = offline('--region', 'us-east-1', '--availability-zone', 'eu-west-1a');
    expect(elsewhere.status).toBe(2);
    expect(elsewhere.stderr).toMatch(/^imglint: eu-west-1a is not an availability zone of us-east-1/);
  });

  it('is in --help', () => {
    expect(runCli(['check', '--help']).stdout).toContain('--availability-zone <name|id>');
  });
});
