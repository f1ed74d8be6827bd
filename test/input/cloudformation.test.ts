/**
 * CloudFormation templates: JSON and YAML (short-form tags) give the same targets and verdicts; intrinsics are
 * evaluated as far as parameters, the region and mappings make them knowable; bad templates get one-line errors
 * with file:line; checked offline with image files and live against local EC2 and SSM endpoints.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCloudFormationTemplate } from '../../src/input/cloudformation/template.js';
import { Report } from '../../src/model/index.js';
import { hasStackTrace, runCliAsync } from '../cli/run-cli.js';
import type { Ec2Endpoint } from '../e2e/ec2-endpoint.js';
import { inputError } from '../support/errors.js';
import { useTempDir } from '../support/temp-dir.js';
import { localAwsEnv, startSsmEndpoint, type SsmEndpoint } from './ssm-endpoint.js';

const YAML = 'examples/cloudformation/template.yaml';
const JSON_TEMPLATE = 'examples/cloudformation/template.json';
const imageFiles = ['ami-0006118602dfc1c09', 'ami-04fc404d256fd34a2', 'ami-0e972d2890378139a', 'ami-05448533fbe614dce', 'ami-01f446d4eeaed8a3c'].flatMap((id) => [
  '--image-file',
  `examples/aws/${id}.json`,
]);

const parse = (text: string, options = {}) => parseCloudFormationTemplate(text, 't.yaml', { region: 'us-east-1', ...options }).targets;
const withoutLines = (targets: ReturnType<typeof parse>) => targets.map(({ source, ...rest }) => ({ ...rest, address: source?.address }));

describe('examples/cloudformation', () => {
  const yaml = parse(readFileSync(YAML, 'utf8'));
  const json = parseCloudFormationTemplate(readFileSync(JSON_TEMPLATE, 'utf8'), 't.json', { region: 'us-east-1' }).targets;

  it('reads every launch: group overrides, requirements, launch configuration, fleet, instances', () => {
    expect(yaml.map((t) => [t.source?.address, t.image, t.type ?? (t.instanceRequirements ? 'requirements' : undefined)])).toEqual([
      ['WebGroup', 'ami-0006118602dfc1c09', 'c5.large'],
      ['WebGroup', 'ami-0006118602dfc1c09', 'm5.large'],
      ['WebGroup', 'ami-04fc404d256fd34a2', 'm6g.large'],
      ['FlexGroup', 'ami-0006118602dfc1c09', 'requirements'],
      ['LegacyGroup', 'ami-0e972d2890378139a', 't2.micro'],
      ['BatchFleet', 'ami-0006118602dfc1c09', 'c5.xlarge'],
      ['BatchFleet', 'ami-0006118602dfc1c09', 'm1.small'],
      ['Bastion', undefined, 't3.nano'],
      ['Tools', 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64', 't3.micro'],
    ]);
    expect(yaml[7]!.unknown).toMatch(/Fn::ImportValue shared-network-BastionAmi is the output of another stack/);
  });

  it('gives the same targets from the JSON and the YAML form, each at its resource line', () => {
    expect(withoutLines(json)).toEqual(withoutLines(yaml));
    const text = readFileSync(YAML, 'utf8').split('\n');
    for (const target of yaml) expect(text[target.source!.line! - 1]).toBe(`  ${target.source!.address}:`);
  });

  it('follows parameters: --parameter over Default; !If on a decidable condition', () => {
    const dev = parse(readFileSync(YAML, 'utf8'), { parameters: { Environment: 'dev', LatestAl2023: 'ami-0006118602dfc1c09' } });
    expect(dev[0]!.type).toBe('t3.small');
    // An AMI ID given for an SSM-typed parameter is its value.
    expect(dev.at(-1)!.image).toBe('ami-0006118602dfc1c09');
  });
});

describe('intrinsics and bad templates', () => {
  const instance = (imageId: string, extra = '') => `Parameters:\n  Ami:\n    Type: String\n${extra}Resources:\n  Web:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ${imageId}\n      InstanceType: t3.micro\n`;

  it('evaluates Sub, Join, Select and pseudo parameters; AccountId and GetAtt stay unknown', () => {
    expect(parse(instance('!Join ["-", [ami, 0006118602dfc1c09]]'))[0]!.image).toBe('ami-0006118602dfc1c09');
    expect(parse(instance('!Select [1, [ami-1, ami-2]]'))[0]!.image).toBe('ami-2');
    expect(parse(instance('!Sub ["ami-${X}", {X: 0006118602dfc1c09}]'))[0]!.image).toBe('ami-0006118602dfc1c09');
    expect(parse(instance('!Sub "${AWS::Partition}-${AWS::Region}"'))[0]!.image).toBe('aws-us-east-1');
    expect(parse(instance('!Sub "${AWS::AccountId}"'))[0]!.unknown).toMatch(/AWS::AccountId is known only at deploy/);
    expect(parse(instance('!GetAtt Other.ImageId'))[0]!.unknown).toMatch(/Fn::GetAtt Other\.ImageId is known only at deploy/);
    expect(parse(instance('!Ref Ami'))[0]!.unknown).toMatch(/parameter Ami has no Default and no --parameter value/);
    expect(parseCloudFormationTemplate(instance('!FindInMap [M, !Ref "AWS::Region", x]', ''), 't.yaml', {}).targets[0]!.unknown).toMatch(/AWS::Region is not known/);
  });

  it('refuses a missing mapping key, a Ref to nothing, a circular condition, naming file and line', () => {
    const mapping = `Mappings:\n  M:\n    eu-west-1: {x: ami-1}\n${instance('!FindInMap [M, !Ref "AWS::Region", x]')}`;
    expect(inputError(() => parse(mapping)).message).toBe('t.yaml:8: Resources.Web: Fn::FindInMap: mapping M has no key us-east-1');
    expect(inputError(() => parse(instance('!Ref Nothing'))).message).toBe('t.yaml:5: Resources.Web: Ref Nothing: no parameter or resource of that name');
    const circular = `Conditions:\n  A: !Condition B\n  B: !Condition A\nResources:\n  Web:\n    Type: AWS::EC2::Instance\n    Condition: A\n    Properties: {ImageId: ami-1}\n`;
    expect(inputError(() => parse(circular)).message).toMatch(/^t\.yaml:5: Resources\.Web: condition A refers to itself/);
    expect(inputError(() => parse(instance('ami-1'), { parameters: { Amy: 'x' } }))).toMatchObject({ code: 'UnknownCloudFormationParameter', message: 't.yaml: --parameter Amy: the template declares no such parameter (did you mean Ami?)' });
  });

  it('refuses YAML aliases (CloudFormation does not support them) and deep nesting, in one line', () => {
    const bomb = `a: &a [x, x, x]\nResources:\n  Web:\n    Type: AWS::EC2::Instance\n    Properties: {ImageId: *a}\n`;
    expect(inputError(() => parse(bomb)).message).toBe('t.yaml:5: aliases (*a) are not supported in this format');
    const deep = `Resources: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    const error = inputError(() => parse(deep));
    expect(error.message).toMatch(/^t\.yaml:1(:\d+)?: nested too deeply \(imglint reads at most 100 levels\)$/);
    expect(error.message).not.toMatch(/call stack/);
  });
});

describe('imglint check --cloudformation', () => {
  const dir = useTempDir('imglint-cfn-');

  it('offline with image files: JSON and YAML forms give the same verdicts; SARIF points at template lines', async () => {
    const verdicts = async (template: string) => {
      const sarif = path.join(dir(), `${path.basename(template)}.sarif`);
      const run = await runCliAsync(['check', '--offline', '--cloudformation', template, '--region', 'us-east-1', ...imageFiles, '--format', 'json', '--format', `sarif=${sarif}`]);
      expect(hasStackTrace(run.stderr)).toBe(false);
      expect(run.status).toBe(1);
      const report = Report.parse(JSON.parse(run.stdout));
      const results = (JSON.parse(readFileSync(sarif, 'utf8')) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] }).runs[0]!.results;
      return { verdicts: report.results.map((r) => [r.target.source?.address, r.target.type, r.verdict]), report, results };
    };
    const yaml = await verdicts(YAML);
    const json = await verdicts(JSON_TEMPLATE);
    expect(json.verdicts).toEqual(yaml.verdicts);
    expect(yaml.verdicts).toContainEqual(['LegacyGroup', 't2.micro', 'fail']);
    const failing = yaml.results.find((result) => result.ruleId === 'virtualization-type')!;
    const lines = readFileSync(YAML, 'utf8').split('\n');
    expect(failing.locations[0]!.physicalLocation.artifactLocation.uri).toBe(YAML);
    expect(lines[failing.locations[0]!.physicalLocation.region.startLine - 1]).toBe('  LegacyGroup:');
  });

  it('--parameter of a name the template does not declare exits 2 with one line', async () => {
    const run = await runCliAsync(['check', '--offline', '--cloudformation', YAML, '--parameter', 'Enviroment=dev', ...imageFiles]);
    expect(run.status).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(`imglint: ${YAML}: --parameter Enviroment: the template declares no such parameter (did you mean Environment?)`);
  });

  it('--parameter KEY=VALUE goes to the templates that declare KEY; TEMPLATE:KEY=VALUE to one; a KEY none declares exits 2', async () => {
    const a = path.join(dir(), 'a.yaml');
    const b = path.join(dir(), 'b.yaml');
    writeFileSync(a, 'Parameters:\n  Ami: {Type: AWS::EC2::Image::Id, Default: ami-0e972d2890378139a}\nResources:\n  A: {Type: AWS::EC2::Instance, Properties: {ImageId: !Ref Ami, InstanceType: t3.micro}}\n');
    writeFileSync(b, 'Parameters:\n  Type: {Type: String, Default: t3.micro}\nResources:\n  B: {Type: AWS::EC2::Instance, Properties: {ImageId: ami-0006118602dfc1c09, InstanceType: !Ref Type}}\n');
    const run = (...parameters: string[]) =>
      runCliAsync(['check', '--offline', '--region', 'us-east-1', '--cloudformation', a, '--cloudformation', b, ...parameters.flatMap((p) => ['--parameter', p]), ...imageFiles, '--format', 'json']);
    const both = await run('Ami=ami-0006118602dfc1c09', `${b}:Type=t3.small`);
    expect(both.stderr).toBe('');
    expect(Report.parse(JSON.parse(both.stdout)).results.map((r) => [r.target.source?.address, r.target.image, r.target.type, r.verdict])).toEqual([
      ['A', 'ami-0006118602dfc1c09', 't3.micro', 'pass'],
      ['B', 'ami-0006118602dfc1c09', 't3.small', 'pass'],
    ]);
    const misspelt = await run('Amy=ami-0006118602dfc1c09');
    expect(misspelt.status).toBe(2);
    expect(misspelt.stderr.split('\n')[0]).toBe('imglint: --parameter Amy: none of the 2 templates declares such a parameter (did you mean Ami?)');
    const scoped = await run(`${a}:Type=t3.small`);
    expect(scoped.status).toBe(2);
    expect(scoped.stderr.split('\n')[0]).toBe(`imglint: ${a}: --parameter Type: the template declares no such parameter`);
  });

  it('names an --image-file no target uses (the CLI adds it to the report notices)', async () => {
    const { readImageFiles } = await import('../../src/engine/resolve.js');
    const { unusedImageFiles } = await import('../../src/cli/check-inputs.js');
    const files = await Promise.all(['ami-0006118602dfc1c09', 'ami-0e972d2890378139a'].map(async (id) => ({ path: `examples/aws/${id}.json`, images: await readImageFiles('aws', [`examples/aws/${id}.json`]) })));
    expect(unusedImageFiles(files, parse('Resources:\n  I: {Type: AWS::EC2::Instance, Properties: {ImageId: ami-0006118602dfc1c09}}\n'))).toEqual([
      '--image-file examples/aws/ami-0e972d2890378139a.json: no target names its image (ami-0e972d2890378139a); check the image IDs the plan, template or manifest use, or drop the file',
    ]);
  });

  it('names a misspelt --region as such, before any mapping is looked up', async () => {
    const run = await runCliAsync(['check', '--offline', '--cloudformation', YAML, '--region', 'us-est-1', ...imageFiles]);
    expect(run.status).toBe(2);
    expect(run.stderr.split('\n')).toEqual([
      'imglint: Unknown AWS region "us-est-1": not a region of any AWS partition (aws, aws-cn, aws-eusc, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-us-gov)',
      expect.stringMatching(/^hint: Did you mean us-east-1/),
      '',
    ]);
  });

  it('says what it cannot check of a template (a zone known only at deploy); the pair is still checked', async () => {
    const file = path.join(dir(), 'azs.yaml');
    writeFileSync(file, "Resources:\n  Web:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ami-0e972d2890378139a\n      InstanceType: t2.micro\n      AvailabilityZone: !Select [0, !GetAZs '']\n");
    const run = await runCliAsync(['check', '--offline', '--cloudformation', file, '--region', 'us-east-1', '--image-file', 'examples/aws/ami-0e972d2890378139a.json', '--format', 'json']);
    expect(run.status).toBe(1);
    const report = Report.parse(JSON.parse(run.stdout));
    expect(report.results[0]!.verdict).toBe('fail');
    // A report notice once the CLI adds the inputs' notices to the report; until then a note on stderr.
    const notice = `${file}:2: Web: availability zone not checked (the availability zone: Fn::GetAZs lists the account's availability zones in us-east-1 (those with a default subnet), known only at deploy); its image and type are checked in the region`;
    expect([...report.notices, run.stderr.replace(/^imglint: note: /, '').trimEnd()]).toContain(notice);
  });

  describe('live, against local EC2 and SSM endpoints', () => {
    let ec2: Ec2Endpoint;
    let ssm: SsmEndpoint;
    beforeAll(async () => {
      const images = ['ami-0006118602dfc1c09', 'ami-04fc404d256fd34a2', 'ami-0e972d2890378139a'].map(
        (id) => (JSON.parse(readFileSync(`examples/aws/${id}.json`, 'utf8')) as { Images: Record<string, unknown>[] }).Images[0]!,
      );
      const { startEc2Endpoint } = await import('../e2e/ec2-endpoint.js');
      ec2 = await startEc2Endpoint(images);
      const parameters = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`/imglint/ami-${i}`, 'ami-0006118602dfc1c09']));
      ssm = await startSsmEndpoint({ ...parameters, '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64': 'ami-0006118602dfc1c09' });
    });
    afterAll(async () => {
      await ec2?.close();
      await ssm?.close();
    });
    const env = () => ({ ...localAwsEnv(ec2.url, ssm.url), AWS_REGION: 'us-east-1' });

    it('gives the offline verdicts, and resolves the SSM parameter image', async () => {
      const run = await runCliAsync(['check', '--cloudformation', YAML, '--region', 'us-east-1', '--format', 'json'], env());
      expect(run.stderr).toBe('');
      const report = Report.parse(JSON.parse(run.stdout));
      const tools = report.results.find((r) => r.target.source?.address === 'Tools')!;
      expect(tools).toMatchObject({ verdict: 'pass', target: { image: 'ami-0006118602dfc1c09' } });
      expect(report.results.find((r) => r.target.source?.address === 'LegacyGroup')!.verdict).toBe('fail');
      expect(ssm.calls).toEqual([['/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64']]);
    });

    it('batches SSM: ten names a call, per region', async () => {
      ssm.calls.length = 0;
      const resources = Array.from({ length: 12 }, (_, i) => `  Web${i}:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: "{{resolve:ssm:/imglint/ami-${i}}}"\n      InstanceType: t3.micro\n`).join('');
      const file = path.join(dir(), 'ssm.yaml');
      writeFileSync(file, `Resources:\n${resources}`);
      const run = await runCliAsync(['check', '--cloudformation', file, '--region', 'us-east-1', '--format', 'json'], env());
      expect(run.stderr).toBe('');
      expect(Report.parse(JSON.parse(run.stdout)).results.every((r) => r.verdict === 'pass')).toBe(true);
      expect(ssm.calls.map((names) => names.length)).toEqual([10, 2]);
    });
  });
});
