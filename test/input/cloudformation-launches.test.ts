/**
 * CloudFormation templates, what they launch as CloudFormation would create it: `AWS::NoValue` removes list
 * elements and properties; every resource type that launches instances is counted (read, or unverifiable with the
 * reason); `Fn::ForEach` loops are expanded; a launch template's default version is not its current data;
 * parameters are checked as CloudFormation checks them; zones known only at deploy are said, never dropped.
 */
import { describe, expect, it } from 'vitest';
import { parseCloudFormationTemplate } from '../../src/input/cloudformation/template.js';
import { inputError } from '../support/errors.js';

const read = (text: string, options = {}) => parseCloudFormationTemplate(text, 't.yaml', { region: 'us-east-1', ...options });
const targets = (text: string, options = {}) => read(text, options).targets;
const pairs = (text: string, options = {}) => targets(text, options).map((t) => [t.source?.address, t.image, t.type, t.unknown]);

const LAUNCH_TEMPLATE = `  LT:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData: {ImageId: ami-04fc404d256fd34a2, InstanceType: c5.large}
`;

describe('AWS::NoValue', () => {
  // The reviewer's nov.yaml: with Env=dev the second override does not exist, so the group launches m6g.large only.
  const nov = `Parameters:
  Env: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
${LAUNCH_TEMPLATE}  G:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: "1"
      MaxSize: "2"
      MixedInstancesPolicy:
        LaunchTemplate:
          LaunchTemplateSpecification: {LaunchTemplateId: !Ref LT, Version: !GetAtt LT.LatestVersionNumber}
          Overrides:
            - InstanceType: m6g.large
            - !If [IsProd, {InstanceType: m6g.xlarge}, !Ref AWS::NoValue]
`;

  it('removes a list element that is AWS::NoValue: no phantom override on the template type', () => {
    expect(pairs(nov)).toEqual([['G', 'ami-04fc404d256fd34a2', 'm6g.large', undefined]]);
    expect(pairs(nov, { parameters: { Env: 'prod' } }).map(([, , type]) => type)).toEqual(['m6g.large', 'm6g.xlarge']);
  });

  it('removes a property that is AWS::NoValue: an instance without InstanceType gets RunInstances default m1.small', () => {
    const instance = (type: string) =>
      `Parameters:\n  Env: {Type: String, Default: dev}\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\nResources:\n${LAUNCH_TEMPLATE}  I:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ami-0006118602dfc1c09\n${type}`;
    expect(pairs(instance('      InstanceType: !If [IsProd, m5.large, !Ref AWS::NoValue]\n')).at(-1)).toEqual(['I', 'ami-0006118602dfc1c09', 'm1.small', undefined]);
    // With a launch template, the template's type applies; one without a type leaves it unknown, never guessed.
    const onTemplate = instance('      LaunchTemplate: {LaunchTemplateId: !Ref LT, Version: !GetAtt LT.LatestVersionNumber}\n      InstanceType: !If [IsProd, m5.large, !Ref AWS::NoValue]\n');
    expect(pairs(onTemplate)).toEqual([['I', 'ami-0006118602dfc1c09', 'c5.large', undefined]]);
    const bare = onTemplate.replace(', InstanceType: c5.large', '');
    expect(pairs(bare)[0]![3]).toBe('neither the instance nor its launch template sets InstanceType');
  });

  it('keeps an undecidable list element unknown, never the template type', () => {
    const undecidable = nov.replace('Default: dev', 'Default: !Ref AWS::NoValue').replace('  Env: {Type: String, Default: !Ref AWS::NoValue}', '  Env: {Type: String}');
    const [first, second] = targets(undecidable);
    expect(first).toMatchObject({ type: 'm6g.large', image: 'ami-04fc404d256fd34a2' });
    expect(second!.unknown).toMatch(/^an override: condition IsProd is not decidable before deploy \(parameter Env has no Default/);
  });
});

describe('every resource type that launches instances is counted', () => {
  const t2 = `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::LanguageExtensions
Parameters:
  ClusterName: {Type: String, Default: demo}
  Names: {Type: CommaDelimitedList, Default: "A,B"}
Resources:
  Nodes:
    Type: AWS::EKS::Nodegroup
    Properties:
      ClusterName: !Ref ClusterName
      NodeRole: arn:aws:iam::123456789012:role/node
      Subnets: [subnet-1]
      AmiType: AL2023_ARM_64_STANDARD
      InstanceTypes: [m5.large]
  Emr:
    Type: AWS::EMR::Cluster
    Properties:
      Name: x
      JobFlowRole: r
      ServiceRole: s
      Instances:
        MasterInstanceGroup: {InstanceCount: 1, InstanceType: m5.xlarge}
  Batch:
    Type: AWS::Batch::ComputeEnvironment
    Properties:
      Type: MANAGED
      ComputeResources: {Type: EC2, MaxvCpus: 4, Subnets: [s], InstanceTypes: [c5.large], ImageId: ami-0e972d2890378139a}
  Fargate:
    Type: AWS::Batch::ComputeEnvironment
    Properties:
      Type: MANAGED
      ComputeResources: {Type: FARGATE, MaxvCpus: 4, Subnets: [s]}
  Nested:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://s3.amazonaws.com/b/workers.yaml
  Fn::ForEach::Workers:
    - Name
    - !Ref Names
    - Worker\${Name}:
        Type: AWS::EC2::Instance
        Properties:
          ImageId: ami-0e972d2890378139a
          InstanceType: t2.micro
          Tags: [{Key: Name, Value: !Ref Name}]
`;

  it('reads the loop, the node group; EMR, managed EC2 Batch and the nested stack are unverifiable, naming why', () => {
    const found = targets(t2);
    expect(found.map((t) => [t.source?.address, t.source?.line, t.image, t.type])).toEqual([
      ['Nodes', 7, undefined, 'm5.large'],
      ['Emr', 15, undefined, undefined],
      ['Batch', 23, undefined, undefined],
      ['Nested', 33, undefined, undefined],
      ['WorkerA', 40, 'ami-0e972d2890378139a', 't2.micro'],
      ['WorkerB', 40, 'ami-0e972d2890378139a', 't2.micro'],
    ]);
    expect(found[0]!.unknown).toBe('EKS picks the AMI for AmiType AL2023_ARM_64_STANDARD at deploy: the AMI ID is not in the template (set ImageId in a launch template to check it)');
    expect(found[1]!.unknown).toBe('AWS::EMR::Cluster launches EC2 instances, which imglint does not read: check its image and types by hand');
    expect(found[2]!.unknown).toMatch(/^AWS::Batch::ComputeEnvironment launches EC2 instances/);
    expect(found[3]!.unknown).toBe('AWS::CloudFormation::Stack is a nested stack whose template imglint does not read: check that template with --cloudformation on its own');
    expect(found[4]!.unknown).toBeUndefined();
  });

  it('leaves each launching resource of a loop over a collection known only at deploy unverifiable', () => {
    const unknownCollection = t2.replace('!Ref Names', '!Split [",", !ImportValue worker-names]');
    const workers = targets(unknownCollection).filter((t) => t.source?.address?.startsWith('Worker'));
    expect(workers).toHaveLength(1);
    expect(workers[0]).toMatchObject({ source: { address: 'Worker${Name}', line: 40 } });
    expect(workers[0]!.unknown).toBe(
      'Fn::ForEach::Workers: its collection is not known before deploy (Fn::ImportValue worker-names is the output of another stack, known only at deploy)',
    );
  });

  it('expands nested loops, &{} identifiers and Fn::Sub over the identifier; refuses a loop without the transform', () => {
    const nested = `Transform: [AWS::LanguageExtensions]
Resources:
  Fn::ForEach::Tiers:
    - Tier
    - [web, api]
    - Fn::ForEach::Types:
        - Type
        - [t3.micro, m5.large]
        - \${Tier}&{Type}:
            Type: AWS::EC2::Instance
            Properties:
              ImageId: !Sub ami-\${Tier}
              InstanceType: !Ref Type
`;
    expect(pairs(nested).map(([id, image, type]) => [id, image, type])).toEqual([
      ['webt3micro', 'ami-web', 't3.micro'],
      ['webm5large', 'ami-web', 'm5.large'],
      ['apit3micro', 'ami-api', 't3.micro'],
      ['apim5large', 'ami-api', 'm5.large'],
    ]);
    const error = inputError(() => read(nested.replace('Transform: [AWS::LanguageExtensions]\n', '')));
    expect(error.message).toBe('t.yaml:2: Resources.Fn::ForEach::Tiers: Fn::ForEach needs the AWS::LanguageExtensions transform');
  });

  it('reads a node group on a launch template of the template that sets ImageId, as Terraform does', () => {
    const eks = `Resources:
${LAUNCH_TEMPLATE}  Nodes:
    Type: AWS::EKS::Nodegroup
    Properties:
      ClusterName: c
      NodeRole: r
      Subnets: [s]
      LaunchTemplate: {Id: !Ref LT, Version: !GetAtt LT.LatestVersionNumber}
`;
    expect(pairs(eks)).toEqual([['Nodes', 'ami-04fc404d256fd34a2', 'c5.large', undefined]]);
    const types = eks.replace('      LaunchTemplate:', '      InstanceTypes: [m6g.large, m7g.large]\n      LaunchTemplate:');
    expect(pairs(types).map(([, , type]) => type)).toEqual(['m6g.large', 'm7g.large']);
    // No type anywhere: EKS's documented default.
    expect(pairs(eks.replace(', InstanceType: c5.large', ''))[0]![2]).toBe('t3.medium');
  });

  it('says which transforms it does not apply', () => {
    const macro = `Transform: [AWS::Serverless-2016-10-31, MyCompany::Macro]\nResources:\n  I: {Type: AWS::EC2::Instance, Properties: {ImageId: ami-1, InstanceType: t3.micro}}\n`;
    expect(read(macro).notices).toEqual(['t.yaml:1: the template uses the transform MyCompany::Macro, which imglint does not apply: resources it adds or changes are not checked']);
  });
});

describe("a launch template's versions", () => {
  const group = (version: string) => `Resources:
${LAUNCH_TEMPLATE}  G:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: "1"
      MaxSize: "2"
      LaunchTemplate: {LaunchTemplateId: !Ref LT${version}}
`;

  it('judges the template data for LatestVersionNumber and $Latest', () => {
    expect(pairs(group(', Version: !GetAtt LT.LatestVersionNumber'))).toEqual([['G', 'ami-04fc404d256fd34a2', 'c5.large', undefined]]);
    expect(pairs(group(', Version: $Latest'))[0]![3]).toBeUndefined();
  });

  it('leaves the default version, version 1 and no version unverifiable: CloudFormation never moves the default', () => {
    for (const version of [', Version: !GetAtt LT.DefaultVersionNumber', ', Version: $Default', ', Version: "1"', '']) {
      const [target] = targets(group(version));
      expect(target!.unknown, version).toMatch(/^it launches (the default version|version "1") of launch template LT, which holds its LaunchTemplateData only until the stack is updated: CloudFormation never moves the default version \(1\), it adds a version on every update; launch !GetAtt LT\.LatestVersionNumber to have this template's data checked$/);
    }
    expect(targets(group(', Version: "3"'))[0]!.unknown).toMatch(/^it launches version "3" of launch template LT, whose data the template does not hold/);
    expect(targets(group(', Version: !ImportValue lt-version'))[0]!.unknown).toMatch(/^the version of launch template LT it launches: Fn::ImportValue lt-version/);
  });
});

describe('parameters as CloudFormation checks them', () => {
  const env = `Parameters:\n  Env:\n    Type: String\n    Default: dev\n    AllowedValues: [dev, prod]\n  Count: {Type: Number, Default: 2}\nResources:\n  I: {Type: AWS::EC2::Instance, Properties: {ImageId: ami-1, InstanceType: t3.micro}}\n`;

  it('refuses a value outside AllowedValues, and a Number that is not one, naming the parameter', () => {
    expect(inputError(() => read(env, { parameters: { Env: 'staging' } }))).toMatchObject({
      code: 'InvalidCloudFormationParameter',
      message: 't.yaml: --parameter Env=staging: "staging" is not one of the AllowedValues of parameter Env (dev, prod), so CloudFormation refuses the stack',
    });
    expect(inputError(() => read(env, { sharedParameters: { Count: 'two' } })).message).toBe(
      't.yaml: --parameter Count=two: "two" is not a number, which parameter Count (Number) must be, so CloudFormation refuses the stack',
    );
    expect(inputError(() => read(env.replace('Default: dev', 'Default: test'))).message).toBe(
      't.yaml:2: Parameters.Env: its Default test: "test" is not one of the AllowedValues of parameter Env (dev, prod), so CloudFormation refuses the stack',
    );
  });

  it('applies shared values only where declared; values of its own must be declared', () => {
    expect(read(env, { sharedParameters: { Ami: 'ami-2' } }).parameters).toEqual(['Env', 'Count']);
    expect(inputError(() => read(env, { parameters: { Ami: 'ami-2' } })).code).toBe('UnknownCloudFormationParameter');
  });

  it('reads SSM parameters of type String for instance types as SSM values; SSM lists are known only at deploy', () => {
    const ssm = `Parameters:\n  TypeParam: {Type: 'AWS::SSM::Parameter::Value<String>', Default: /myapp/instance-type}\n  Zones: {Type: 'AWS::SSM::Parameter::Value<List<String>>', Default: /myapp/zones}\nResources:\n  A: {Type: AWS::EC2::Instance, Properties: {ImageId: ami-1, InstanceType: !Ref TypeParam}}\n  B: {Type: AWS::EC2::Instance, Properties: {ImageId: ami-1, InstanceType: '{{resolve:ssm:/myapp/type}}'}}\n  C: {Type: AWS::EC2::Instance, Properties: {ImageId: '{{resolve:secretsmanager:ami:SecretString:id}}'}}\n  D: {Type: AWS::AutoScaling::AutoScalingGroup, Properties: {MinSize: '1', MaxSize: '1', AvailabilityZones: !Ref Zones, LaunchConfigurationName: !Ref LC}}\n  LC: {Type: AWS::AutoScaling::LaunchConfiguration, Properties: {ImageId: ami-1, InstanceType: t3.micro}}\n`;
    const { targets: found, notices } = read(ssm);
    expect(found.map((t) => [t.source?.address, t.type])).toEqual([
      ['A', 'resolve:ssm:/myapp/instance-type'],
      ['B', 'resolve:ssm:/myapp/type'],
      ['C', 'm1.small'],
      ['D', 't3.micro'],
    ]);
    expect(found[2]!.unknown).toBe('ImageId is a {{resolve:secretsmanager:...}} dynamic reference, which CloudFormation resolves at deploy');
    expect(found[3]!.availabilityZones).toBeUndefined();
    expect(notices).toEqual([
      't.yaml:8: D: availability zone not checked (the availability zone: parameter Zones is the SSM parameter /myapp/zones (List<String>), which CloudFormation reads at deploy); its image and type are checked in the region',
    ]);
  });
});

describe('zones known only at deploy', () => {
  it('says so in a notice and checks the pair in the region: !Select [0, !GetAZs ""]', () => {
    const azs = `Resources:\n  I:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ami-1\n      InstanceType: t3.micro\n      AvailabilityZone: !Select [0, !GetAZs '']\n`;
    const { targets: found, notices } = read(azs);
    expect(found).toEqual([{ provider: 'aws', region: 'us-east-1', image: 'ami-1', type: 't3.micro', source: { file: 't.yaml', line: 2, address: 'I' } }]);
    expect(notices).toEqual([
      "t.yaml:2: I: availability zone not checked (the availability zone: Fn::GetAZs lists the account's availability zones in us-east-1 (those with a default subnet), known only at deploy); its image and type are checked in the region",
    ]);
  });
});

describe('templates CloudFormation refuses, in one line', () => {
  it('refuses Resources that is not a map', () => {
    expect(inputError(() => read('Resources: []\n')).message).toBe('t.yaml:1: not a CloudFormation template: its "Resources" section is not a map of logical IDs to resources');
  });

  it('tells a JSON template\'s syntax error as JSON', () => {
    const error = inputError(() => parseCloudFormationTemplate('{bad', 't.json'));
    expect(error.message).toBe("t.json: not valid JSON: Expected property name or '}' at line 1, column 2");
  });

  it('gives hints that fit: the keys of a mapping without the region, the names near a Ref to nothing', () => {
    const mapping = `Mappings:\n  RegionMap:\n    eu-west-1: {Ami: ami-1}\nResources:\n  I: {Type: AWS::EC2::Instance, Properties: {ImageId: !FindInMap [RegionMap, !Ref AWS::Region, Ami]}}\n`;
    expect(inputError(() => read(mapping)).hint).toBe(
      'the mapping has keys eu-west-1: check --region, or add us-east-1 to the mapping (CloudFormation refuses the stack in a region the mapping lacks)',
    );
    const ref = `Parameters:\n  Ami: {Type: String, Default: ami-1}\nResources:\n  I: {Type: AWS::EC2::Instance, Properties: {ImageId: !Ref Amy}}\n`;
    expect(inputError(() => read(ref)).hint).toBe('did you mean Ami? the parameters and resources: Ami, I');
  });
});
