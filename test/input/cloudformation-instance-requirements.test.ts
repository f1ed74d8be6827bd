/**
 * `InstanceRequirements` of a CloudFormation template: what the reader hands the engine, and the verdict offline
 * against the embedded catalog. Templates are inline, each an Auto Scaling group whose mixed instances policy
 * overrides the launch template's type with requirements (the shape of a reviewer's reproductions).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createEmbeddedAwsProvider } from '../../src/catalog/aws-embedded.js';
import { checkTargets } from '../../src/engine/check-targets.js';
import { parseCloudFormationTemplate } from '../../src/input/cloudformation/template.js';
import type { AwsImageFacts } from '../../src/model/index.js';
import { imageFactsFromEc2 } from '../../providers/aws/normalize.js';

const raw = (JSON.parse(readFileSync('examples/aws/ami-0006118602dfc1c09.json', 'utf8')) as { Images: unknown[] }).Images[0];
/** AL2023 x86_64, runs on every x86_64 HVM type. */
const al2023: AwsImageFacts = imageFactsFromEc2(raw as never, 'us-east-1');
const now = new Date('2026-08-10T00:00:00Z');

/** A group whose one override gives `requirements` (YAML flow text), under `parameters` (YAML lines). */
function template(requirements: string, parameters: string[] = []): string {
  return [
    ...(parameters.length > 0 ? ['Parameters:', ...parameters.map((line) => `  ${line}`)] : []),
    'Resources:',
    '  T:',
    '    Type: AWS::EC2::LaunchTemplate',
    '    Properties:',
    '      LaunchTemplateData:',
    `        ImageId: ${al2023.id}`,
    '  G:',
    '    Type: AWS::AutoScaling::AutoScalingGroup',
    '    Properties:',
    '      MinSize: "0"',
    '      MaxSize: "1"',
    '      MixedInstancesPolicy:',
    '        LaunchTemplate:',
    '          LaunchTemplateSpecification:',
    '            LaunchTemplateId: !Ref T',
    '            Version: !GetAtt T.LatestVersionNumber',
    '          Overrides:',
    `            - InstanceRequirements: ${requirements}`,
    '',
  ].join('\n');
}

const targetOf = (text: string) => {
  const { targets } = parseCloudFormationTemplate(text, 'group.yaml', { region: 'us-east-1' });
  expect(targets).toHaveLength(1);
  return targets[0]!;
};

async function verdictOf(text: string) {
  const report = await checkTargets([targetOf(text)], {
    now,
    knownImages: [al2023],
    providerFor: async () => createEmbeddedAwsProvider({ region: 'us-east-1', images: [al2023] }),
  });
  return report.results[0]!;
}

describe('InstanceRequirements that are not a map of attributes', () => {
  it('null, a string, a list: the target is unverifiable with the reason, never attributes "0, 1, 2" nor a crash', async () => {
    for (const [given, shown] of [
      ['null', 'null'],
      ['"abc"', '"abc"'],
      ['[1, 2]', '[1,2]'],
    ] as const) {
      const target = targetOf(template(given));
      expect(target.instanceRequirements).toBeUndefined();
      expect(target.unknown).toBe(`InstanceRequirements is not a map of attributes (${shown})`);
      const result = await verdictOf(template(given));
      expect(result.verdict).toBe('unverifiable');
      expect(result.findings[0]!.message).toContain(`InstanceRequirements is not a map of attributes (${shown})`);
    }
  });

  it('keys that are members of every object (valueOf, toString, constructor, __proto__) are unknown attributes, named', async () => {
    for (const key of ['valueOf', 'toString', 'constructor', '__proto__']) {
      const text = template(`{ VCpuCount: { Min: 1 }, ${key}: { Min: 1 } }`);
      expect(Object.keys(targetOf(text).instanceRequirements!)).toEqual(['VCpuCount', key]);
      const result = await verdictOf(text);
      expect(result.verdict).toBe('unverifiable');
      expect(result.findings[0]!.message).toContain(`imglint cannot decide ${key} is no InstanceRequirements attribute imglint knows against the catalog`);
    }
  });
});

describe('numbers and booleans in strings, as CloudFormation passes them', () => {
  const typed = template('{ VCpuCount: { Min: 2, Max: 4 }, MemoryMiB: { Min: 4096 }, RequireHibernateSupport: false }');

  it('a Number parameter (Ref gives a string) and quoted Min, Max and booleans read as the numbers and booleans they are', async () => {
    const parameter = template('{ VCpuCount: { Min: !Ref MinV, Max: 4 }, MemoryMiB: { Min: 4096 }, RequireHibernateSupport: false }', ['MinV:', '  Type: Number', '  Default: 2']);
    const quoted = template('{ VCpuCount: { Min: "2", Max: "4" }, MemoryMiB: { Min: "4096" }, RequireHibernateSupport: "false" }');
    const expected = { VCpuCount: { Min: 2, Max: 4 }, MemoryMiB: { Min: 4096 }, RequireHibernateSupport: false };
    expect(targetOf(typed).instanceRequirements).toEqual(expected);
    expect(targetOf(parameter).instanceRequirements).toEqual(expected);
    expect(targetOf(quoted).instanceRequirements).toEqual(expected);
    const judged = await verdictOf(typed);
    expect(judged.verdict).not.toBe('unverifiable');
    expect(await verdictOf(parameter)).toEqual({ ...judged, target: { ...judged.target, source: expect.anything() } });
    expect(await verdictOf(quoted)).toMatchObject({ verdict: judged.verdict, findings: judged.findings });
    // Quoted true requires hibernation as true does.
    expect(targetOf(template('{ VCpuCount: { Min: 2 }, RequireHibernateSupport: "true" }')).instanceRequirements).toEqual({ VCpuCount: { Min: 2 }, RequireHibernateSupport: true });
  });

  it('a string that is no number or boolean stays what it is, and the attribute names it; names in lists stay names', async () => {
    const text = template('{ VCpuCount: { Min: "two" }, RequireHibernateSupport: "yes", AllowedInstanceTypes: ["2", "m5.*"] }');
    expect(targetOf(text).instanceRequirements).toEqual({ VCpuCount: { Min: 'two' }, RequireHibernateSupport: 'yes', AllowedInstanceTypes: ['2', 'm5.*'] });
    const result = await verdictOf(text);
    expect(result.verdict).toBe('unverifiable');
    expect(result.findings[0]!.message).toContain('VCpuCount is not { Min, Max } in numbers (got {"Min":"two"}), RequireHibernateSupport is not true or false (got "yes")');
  });

  it('a limit known only at deploy makes the target unverifiable with its reason', () => {
    const target = targetOf(template('{ VCpuCount: { Min: !ImportValue MinVCpus } }'));
    expect(target.instanceRequirements).toBeUndefined();
    expect(target.unknown).toMatch(/^InstanceRequirements\.VCpuCount: .*ImportValue/);
  });
});
