/**
 * examples/terraform/every-launch: one plan with every kind of launching resource imglint reads, its .tf
 * configuration beside it. Counts of targets per kind, findings on the resource blocks' lines, offline verdicts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readTerraformPlan } from '../../src/input/terraform/plan.js';
import { Report } from '../../src/model/index.js';
import { runCliAsync } from '../cli/run-cli.js';

const PLAN = 'examples/terraform/every-launch/plan.json';
const TF = 'examples/terraform/every-launch/main.tf';
const imageFiles = ['ami-0006118602dfc1c09', 'ami-04fc404d256fd34a2', 'ami-0e972d2890378139a', 'ami-05448533fbe614dce'].flatMap((id) => ['--image-file', `examples/aws/${id}.json`]);

describe(PLAN, () => {
  it('gives every launch of every kind its own target (count in = count out), templates through their users', async () => {
    const targets = await readTerraformPlan(PLAN);
    const perKind: Record<string, number> = {};
    for (const target of targets) {
      const kind = target.source!.address!.split('.')[0]!;
      perKind[kind] = (perKind[kind] ?? 0) + 1;
    }
    expect(perKind).toEqual({ aws_autoscaling_group: 5, aws_spot_fleet_request: 2, aws_ec2_fleet: 2, aws_eks_node_group: 1, aws_instance: 1 });
    // The provider's region is var.region: the plan's variables give us-east-1.
    expect(targets.every((target) => target.region === 'us-east-1')).toBe(true);
  });

  it('points every target at its resource block in main.tf', async () => {
    const lines = readFileSync(TF, 'utf8').split('\n');
    for (const target of await readTerraformPlan(PLAN)) {
      const [type, name] = target.source!.address!.split('.');
      expect(target.source!.file).toBe(TF);
      expect(lines[target.source!.line! - 1]).toBe(`resource "${type}" "${name}" {`);
    }
  });

  it('offline with the image files: the arm64 template on an x86_64 spot override fails, EKS is unverifiable', async () => {
    const run = await runCliAsync(['check', '--offline', '--plan', PLAN, ...imageFiles, '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const report = Report.parse(JSON.parse(run.stdout));
    expect(report.summary).toMatchObject({ targets: 11, passed: 9, failed: 1, unverifiable: 1 });
    const failed = report.results.find((result) => result.verdict === 'fail')!;
    expect(failed).toMatchObject({ target: { image: 'ami-04fc404d256fd34a2', type: 'c5.xlarge', source: { address: 'aws_spot_fleet_request.batch' } } });
    expect(failed.findings[0]!.ruleId).toBe('architecture');
  });
});
