/**
 * An image file of the other kind of cloud, through the built CLI: an OpenStack image (`openstack image show -f json`
 * output, a Glance v2 image) for AWS instance types, or an EC2 AMI (`aws ec2 describe-images` output) for Rackspace or
 * OpenStack flavors, is an input error (`ImageFileOfOtherProvider`): exit 2 for flags and `matrix`, that target's error
 * in a manifest (the others are checked). Before, the pair passed: the rules of one cloud found none of their facts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Report } from '../../src/model/index.js';
import { hasStackTrace, repoRoot, runCli } from './run-cli.js';

const AMI = 'examples/aws/ami-0e972d2890378139a.json';
/** `openstack image show -f json` output (python-openstackclient 6). */
const OSC_IMAGE = 'test/fixtures/openstack/openstack_image_show_osc6.json';
/** A Rackspace Glance v2 image. */
const GLANCE_IMAGE = 'examples/rackspace/ubuntu-14.04-pv.json';
const FLAVOR_FILE = 'test/fixtures/openstack/openstack_flavor_show_osc6.json';

const scratch = mkdtempSync(path.join(tmpdir(), 'imglint-image-file-provider-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function expectRefused(run: ReturnType<typeof runCli>, file: string, described: RegExp, against: string) {
  expect(run.status).toBe(2);
  expect(run.stdout).toBe('');
  const [message, hint] = run.stderr.split('\n');
  expect(message).toMatch(new RegExp(`^imglint: ${file.replace(/[.]/g, '\\.')} describes ${described.source}, but is checked against ${against}$`));
  expect(hint).toMatch(/^hint: pass the /);
  expect(hasStackTrace(run.stderr)).toBe(false);
}

describe('imglint check with an image file of another cloud', () => {
  it.each([OSC_IMAGE, GLANCE_IMAGE])('--provider aws, %s: exit 2 naming the file and the image', (file) => {
    const run = runCli(['check', '--offline', '--region', 'us-east-1', '--image-file', file, '--type', 't3.micro']);
    expectRefused(run, file, /an OpenStack image \([0-9a-f-]{36}, Glance or Nova JSON\)/, 'AWS instance types');
  });

  it('--provider openstack or rackspace with an EC2 describe-images file: exit 2', () => {
    const openstack = runCli(['check', '--offline', '--provider', 'openstack', '--image-file', AMI, '--flavor-file', FLAVOR_FILE]);
    expectRefused(openstack, AMI, /an AWS AMI \(ami-0e972d2890378139a\)/, 'OpenStack flavors');
    const rackspace = runCli(['check', '--offline', '--provider', 'rackspace', '--region', 'IAD', '--image-file', AMI, '--flavor', 'general1-1']);
    expectRefused(rackspace, AMI, /an AWS AMI \(ami-0e972d2890378139a\)/, 'Rackspace flavors');
  });

  it('in a manifest: those targets are input errors with the reason, the others are checked, exit 2', () => {
    const manifest = path.join(scratch, 'imglint.yaml');
    const at = (file: string) => path.join(repoRoot, file);
    writeFileSync(
      manifest,
      [
        'targets:',
        `  - { name: glance-on-ec2, provider: aws, region: us-east-1, imageFile: ${at(GLANCE_IMAGE)}, type: t3.micro }`,
        `  - { name: ami-on-rackspace, provider: rackspace, region: IAD, imageFile: ${at(AMI)}, flavor: general1-1 }`,
        `  - { name: fine, provider: aws, region: us-east-1, imageFile: ${at(AMI)}, type: t2.micro }`,
        '',
      ].join('\n'),
    );
    const run = runCli(['check', '--offline', '--manifest', manifest, '--format', 'json']);
    expect(run.status).toBe(2);
    const report = Report.parse(JSON.parse(run.stdout));
    expect(report.results.map((result) => [result.target.provider, result.verdict, result.error?.code])).toEqual([
      ['aws', 'error', 'ImageFileOfOtherProvider'],
      ['rackspace', 'error', 'ImageFileOfOtherProvider'],
      ['aws', 'fail', undefined],
    ]);
    expect(report.results[0]!.error).toMatchObject({ kind: 'input', message: expect.stringContaining('but is checked against AWS instance types') });
    expect(report.results[2]!.findings.map((finding) => finding.ruleId)).toContain('virtualization-type');
  });
});

describe('imglint matrix with an image file of another cloud', () => {
  it('--image side: an AMI against Rackspace flavors, an OpenStack image against EC2 types: exit 2', () => {
    expectRefused(runCli(['matrix', '--offline', '--provider', 'rackspace', '--region', 'IAD', '--image-file', AMI]), AMI, /an AWS AMI \(ami-0e972d2890378139a\)/, 'Rackspace flavors');
    expectRefused(runCli(['matrix', '--offline', '--region', 'us-east-1', '--image-file', OSC_IMAGE]), OSC_IMAGE, /an OpenStack image \([0-9a-f-]{36}, Glance or Nova JSON\)/, 'AWS instance types');
  });

  it('--type side: one image of another cloud among several refuses the run', () => {
    const run = runCli(['matrix', '--offline', '--region', 'us-east-1', '--type', 't3.micro', '--image-file', AMI, '--image-file', GLANCE_IMAGE]);
    expectRefused(run, GLANCE_IMAGE, /an OpenStack image \([0-9a-f-]{36}, Glance or Nova JSON\)/, 'AWS instance types');
  });
});
