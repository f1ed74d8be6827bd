/**
 * One offline run over a plan that launches on AWS and on Rackspace: each `--image-file` is recognised by its shape
 * (describe-images output, Glance v2 JSON), so both halves are checked.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Report } from '../../src/model/index.js';
import { hasStackTrace, runCliAsync } from '../cli/run-cli.js';
import { useTempDir } from '../support/temp-dir.js';

const change = (address: string, type: string, provider: string, after: Record<string, unknown>) => ({
  address,
  mode: 'managed',
  type,
  name: address.split('.')[1],
  provider_name: `registry.terraform.io/${provider}`,
  change: { actions: ['create'], before: null, after, after_unknown: {} },
});

describe('an offline plan with AWS and OpenStack targets', () => {
  const dir = useTempDir('imglint-mixed-');

  it('reads AMI and Glance image files by their shape and checks both clouds', async () => {
    const plan = path.join(dir(), 'plan.json');
    writeFileSync(
      plan,
      JSON.stringify({
        format_version: '1.2',
        resource_changes: [
          change('aws_instance.web', 'aws_instance', 'hashicorp/aws', { ami: 'ami-0e972d2890378139a', instance_type: 't2.micro' }),
          change('openstack_compute_instance_v2.app', 'openstack_compute_instance_v2', 'terraform-provider-openstack/openstack', {
            image_id: 'f8ae535e-67c0-41a5-bf55-b06d0ee40cc2',
            flavor_id: 'general1-1',
            block_device: [],
          }),
        ],
        configuration: {
          provider_config: {
            aws: { name: 'aws', expressions: { region: { constant_value: 'us-east-1' } } },
            openstack: { name: 'openstack', expressions: { auth_url: { constant_value: 'https://identity.api.rackspacecloud.com/v2.0/' }, region: { constant_value: 'IAD' } } },
          },
          root_module: {
            resources: [
              { address: 'aws_instance.web', provider_config_key: 'aws' },
              { address: 'openstack_compute_instance_v2.app', provider_config_key: 'openstack' },
            ],
          },
        },
      }),
    );
    const run = await runCliAsync([
      'check',
      '--offline',
      '--plan',
      plan,
      '--image-file',
      'examples/aws/ami-0e972d2890378139a.json',
      '--image-file',
      'examples/rackspace/centos-7-pvhvm.json',
      '--format',
      'json',
    ]);
    expect(hasStackTrace(run.stderr)).toBe(false);
    const report = Report.parse(JSON.parse(run.stdout));
    expect(report.results.map((result) => [result.target.provider, result.target.region, result.verdict])).toEqual([
      ['aws', 'us-east-1', 'fail'],
      ['rackspace', 'IAD', 'pass'],
    ]);
    expect(report.results[0]!.findings[0]!.ruleId).toBe('virtualization-type');
  });
});
