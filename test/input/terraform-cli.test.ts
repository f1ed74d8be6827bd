/**
 * `imglint check --plan` end to end (the built bin, offline): verdicts on plans in the exact shape `terraform show
 * -json` writes, and `--source-dir` mistakes as usage errors.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Report } from '../../src/model/index.js';
import { hasStackTrace, runCli } from '../cli/run-cli.js';
import { useTempDir } from '../support/temp-dir.js';
import { resourceChange } from './plan-json.js';

const IMAGES = ['--image-file', 'examples/aws/ami-0006118602dfc1c09.json', '--image-file', 'examples/aws/ami-04fc404d256fd34a2.json'];
const dir = useTempDir('imglint-tf-cli-');

/** Writes a plan with a root `aws` provider configuration in us-east-1 and returns its path. */
function writePlan(name: string, changes: unknown[], resources: unknown[] = []): string {
  const file = path.join(dir(), name);
  const provider_config = { aws: { name: 'aws', full_name: 'registry.terraform.io/hashicorp/aws', version_constraint: '~> 6.0', expressions: { region: { constant_value: 'us-east-1' } } } };
  writeFileSync(file, JSON.stringify({ format_version: '1.2', terraform_version: '1.9.8', planned_values: { root_module: {} }, resource_changes: changes, configuration: { provider_config, root_module: { resources } } }, null, 2));
  return file;
}

const verdicts = (stdout: string) => Report.parse(JSON.parse(stdout)).results.map((result) => [result.target.source?.address, result.target.region, result.verdict]);

describe('imglint check --plan', () => {
  it('judges an Auto Scaling group of provider 6 in its own region, not the provider configuration\'s (no false failure)', () => {
    const west = { region: { constant_value: 'us-west-2' } };
    const plan = writePlan(
      'asg-west.json',
      [
        resourceChange('aws_launch_template.app', { image_id: 'ami-0006118602dfc1c09', name: 'app', instance_type: null, region: 'us-west-2' }, { id: true, latest_version: true, default_version: true }),
        resourceChange('aws_autoscaling_group.web', {
          region: 'us-west-2',
          mixed_instances_policy: [{ launch_template: [{ launch_template_specification: [{ launch_template_name: 'app', version: '$Latest' }], override: [{ instance_type: 'x8aedz.large', instance_requirements: [], launch_template_specification: [] }] }] }],
        }),
      ],
      [
        { address: 'aws_launch_template.app', mode: 'managed', type: 'aws_launch_template', name: 'app', provider_config_key: 'aws', expressions: west },
        { address: 'aws_autoscaling_group.web', mode: 'managed', type: 'aws_autoscaling_group', name: 'web', provider_config_key: 'aws', expressions: west },
      ],
    );
    const run = runCli(['check', '--offline', '--plan', plan, ...IMAGES, '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(verdicts(run.stdout)).toEqual([['aws_autoscaling_group.web', 'us-west-2', 'pass']]);
    expect(run.status).toBe(0);
  });

  it('gives capacity reservations and dedicated hosts no target: they reserve capacity and launch nothing', () => {
    const plan = writePlan('reservations.json', [
      resourceChange('aws_ec2_capacity_reservation.cr', { instance_type: 'c5.large', instance_platform: 'Linux/UNIX', availability_zone: 'us-east-1a', instance_count: 2 }),
      resourceChange('aws_ec2_host.h', { instance_type: 'c5.large', availability_zone: 'us-east-1a' }),
    ]);
    const run = runCli(['check', '--offline', '--plan', plan, '--on-unverifiable', 'error', '--format', 'json']);
    expect(Report.parse(JSON.parse(run.stdout)).results).toEqual([]);
    expect(run.status).toBe(0);
  });
});

describe('--source-dir', () => {
  const plan = () => writePlan('plan.json', [resourceChange('aws_instance.web', { ami: 'ami-0006118602dfc1c09', instance_type: 't3.micro' })]);

  it.each([
    ['a directory that does not exist', () => path.join(dir(), 'typo'), 'no such directory'],
    ['a file', () => plan(), 'not a directory'],
    [
      'a directory without Terraform configuration',
      () => {
        mkdirSync(path.join(dir(), 'empty'), { recursive: true });
        return path.join(dir(), 'empty');
      },
      'holds no Terraform configuration (no .tf or .tf.json file)',
    ],
  ])('is a usage error for %s (exit 2), never quietly ignored', (_, sourceDir, message) => {
    const given = sourceDir();
    const run = runCli(['check', '--offline', '--plan', plan(), ...IMAGES, '--source-dir', given]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`imglint: --source-dir ${given}: ${message}`);
    expect(hasStackTrace(run.stderr)).toBe(false);
  });

  it('is a usage error without --plan', () => {
    const run = runCli(['check', '--offline', ...IMAGES, '--type', 't3.micro', '--source-dir', dir()]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('imglint: --source-dir applies to Terraform plans');
  });

  it('stays silent by default, when the plan has no .tf files beside it', () => {
    const run = runCli(['check', '--offline', '--plan', plan(), ...IMAGES, '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(verdicts(run.stdout)).toEqual([['aws_instance.web', 'us-east-1', 'pass']]);
    expect(run.status).toBe(0);
  });
});
