/**
 * The words of the `unverifiable` finding, by cause: what is missing and what to do, never "before apply" for what
 * is not a Terraform value. Through checkTargets (as plans, templates and manifests reach it) and the built CLI.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEmbeddedAwsProvider } from '../../src/catalog/aws-embedded.js';
import { checkTargets } from '../../src/engine/check-targets.js';
import { readCloudFormationTemplate } from '../../src/input/cloudformation/template.js';
import { readTerraformPlan } from '../../src/input/terraform/plan.js';
import { Report, type TargetRequest } from '../../src/model/index.js';
import { runCli } from '../cli/run-cli.js';
import { resourceChange } from '../input/plan-json.js';
import { exampleAl2023x86 as AL2023 } from '../rules/images.js';
import { useTempDir } from '../support/temp-dir.js';

const dir = useTempDir('imglint-unverifiable-');
const source = { file: 'plan.json', address: 'aws_instance.web' };

/** The unverifiable finding of each request, checked offline against the embedded catalog. */
async function findings(requests: TargetRequest[], knownImages = [AL2023]) {
  const report = await checkTargets(requests, { offline: true, knownImages, now: new Date('2026-08-10T00:00:00Z') });
  return report.results.map((result) => {
    expect(result.verdict).toBe('unverifiable');
    const [finding] = result.findings;
    return { message: finding!.message, fix: finding!.fix };
  });
}

describe('the unverifiable finding says what is missing and what to do', () => {
  it('a Terraform value known only after apply', async () => {
    const plan = path.join(dir(), 'plan.json');
    writeFileSync(
      plan,
      JSON.stringify({
        format_version: '1.2',
        resource_changes: [resourceChange('aws_instance.web', { instance_type: 't3.micro' }, { ami: true })],
        configuration: { provider_config: { aws: { name: 'aws', expressions: { region: { constant_value: 'us-east-1' } } } } },
      }),
    );
    const [web] = await findings(await readTerraformPlan(plan));
    expect(web).toEqual({
      message: 'Cannot check before apply: ami is known only after apply',
      fix: 'Pin the value in the Terraform configuration (a literal, or a variable the plan records), or check the values once applied: imglint check --image <id> --type <type>',
    });
  });

  it('a CloudFormation value known only at deploy: "before deploy", and the template\'s own remedies', async () => {
    const template = path.join(dir(), 'template.yaml');
    writeFileSync(template, 'Resources:\n  Bastion:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: !ImportValue shared-BastionAmi\n      InstanceType: t3.nano\n');
    const [bastion] = await findings(await readCloudFormationTemplate(template, { region: 'us-east-1' }));
    expect(bastion!.message).toBe('Cannot check before deploy: ImageId: Fn::ImportValue shared-BastionAmi is the output of another stack, known only at deploy');
    expect(bastion!.fix).toBe(
      "Give the value in the template (a literal, or a parameter's Default or --parameter KEY=VALUE), or check the values of the deployed stack: imglint check --image <id> --type <type>",
    );
  });

  it('offline, an image no --image-file describes: which file is missing, and how to make it', async () => {
    const [legacy] = await findings([{ provider: 'aws', region: 'us-east-1', image: 'ami-0e972d2890378139a', type: 't2.micro', source }]);
    expect(legacy).toEqual({
      message: 'Cannot check offline: no --image-file describes image ami-0e972d2890378139a, and an offline run cannot look images up',
      fix: "Save the image's `aws ec2 describe-images --image-ids ami-0e972d2890378139a` output to a file and pass it with --image-file, or run without --offline",
    });
  });

  it('offline, a type the catalog lacks: the catalog and its date, close names, and running live', async () => {
    const [mikro] = await findings([{ provider: 'aws', region: 'us-east-1', image: AL2023.id, type: 't3.mikro', source }]);
    expect(mikro!.message).toBe("Cannot check offline: Unknown instance type t3.mikro: not in imglint's embedded EC2 catalog (data as of 2026-08-02).");
    expect(mikro!.fix).toMatch(/^Did you mean t3\.micro\b.*run without --offline to ask EC2/);
  });

  it('an SSM parameter an offline run cannot read (from the CLI: a template parameter)', () => {
    const template = path.join(dir(), 'ssm.yaml');
    writeFileSync(
      template,
      'Parameters:\n  Ami:\n    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>\n    Default: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64\n' +
        'Resources:\n  Web:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: !Ref Ami\n      InstanceType: t3.micro\n',
    );
    const run = runCli(['check', '--offline', '--cloudformation', template, '--region', 'us-east-1', '--format', 'json']);
    const [finding] = Report.parse(JSON.parse(run.stdout)).results[0]!.findings;
    expect(finding!.message).toBe('Cannot check offline: the image is the SSM parameter /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64, which an offline run cannot read');
    expect(finding!.fix).toBe('Run without --offline, so that imglint can ask the provider, or give the value itself (--parameter KEY=VALUE for a template parameter)');
    // An SSM parameter is not an image missing from --image-file: no exit 2 for it.
    expect(run.status).toBe(0);
  });

  it('instance requirements the catalog cannot evaluate: what to narrow, or how to list the types', async () => {
    const [group] = await findings([
      { provider: 'aws', region: 'us-east-1', image: AL2023.id, instanceRequirements: { VCpuCount: { Min: 2, Max: 4 }, MemoryMiB: { Min: 4096 }, BaselinePerformanceFactors: { Cpu: { References: [{ InstanceFamily: 'c6i' }] } } }, source },
    ]);
    expect(group!.message).toMatch(
      /^Cannot judge the instance requirements: instance requirements \(VCpuCount 2-4, MemoryMiB 4096-∞, BaselinePerformanceFactors\): imglint cannot decide BaselinePerformanceFactors \(CPU performance relative to a family is in no EC2 answer\) against the catalog/,
    );
    expect(group!.fix).toMatch(/^Narrow the requirements so that the undecided types are excluded or decided .*aws ec2 get-instance-types-from-instance-requirements/);
  });

  it('a region without embedded offerings, for instance requirements: run live', async () => {
    const requests: TargetRequest[] = [{ provider: 'aws', region: 'ap-southeast-7', image: AL2023.id, instanceRequirements: { VCpuCount: { Min: 2, Max: 4 }, MemoryMiB: { Min: 4096 } }, source }];
    const report = await checkTargets(requests, {
      offline: true,
      knownImages: [AL2023],
      providerFor: async () => createEmbeddedAwsProvider({ region: 'ap-southeast-7', images: [AL2023] }),
    });
    expect(report.results[0]!.findings[0]!.fix).toMatch(/^Run without --offline \(EC2 answers for the region's offerings\)/);
  });

  it("a library caller's request without a value, an SSM image given to checkTargets, a reason with no stage", async () => {
    const [image, type, ssm, other] = await findings([
      { provider: 'aws', region: 'us-east-1', type: 't3.micro' },
      { provider: 'openstack', region: 'RegionOne', image: 'cirros' },
      { provider: 'aws', region: 'us-east-1', image: 'resolve:ssm:/my/ami', type: 't3.micro' },
      { provider: 'aws', region: 'us-east-1', image: AL2023.id, type: 't3.micro', unknown: 'the group picks its type at launch' },
    ]);
    expect(image!.message).toBe('Cannot check before apply: the image is known only after apply');
    expect(type!.message).toBe('Cannot check before apply: the flavor is known only after apply');
    expect(ssm).toEqual({
      message: 'Cannot check: the image is the SSM parameter /my/ami, which EC2 resolves at launch; checkTargets does not read SSM',
      fix: 'Check with imglint check (it reads the parameter with SSM GetParameters), or pass the AMI ID the parameter holds',
    });
    expect(other).toEqual({
      message: 'Cannot check: the group picks its type at launch',
      fix: 'Give imglint the missing value, or check the launched image and type: imglint check --image <id> --type <type>',
    });
  });
});
