import { readImageFile } from '../../providers/aws/image-file.js';
import { readOpenStackImageFile } from '../../providers/openstack/image-file.js';
import { createEmbeddedAwsProvider, loadAwsCatalog } from '../../src/catalog/aws-embedded.js';
import { loadRackspaceCatalog } from '../../src/catalog/rackspace-embedded.js';
import { lint } from '../../src/engine/lint.js';
import { ImglintError } from '../../src/errors.js';
import {
  KNOWN_AFTER_APPLY,
  REPORT_SCHEMA_VERSION,
  reaches,
  type AwsImageFacts,
  type FailOn,
  type Finding,
  type ImageFacts,
  type LaunchOptions,
  type MachineTypeFacts,
  type Report,
  type Target,
  type TargetResult,
} from '../../src/model/index.js';
import { unverifiable } from '../../src/rules/unverifiable.js';
import { VERSION } from '../../src/version.js';

/**
 * A report as the engine would build it, with genuine findings: real AMIs from examples/aws and a real Rackspace
 * image from examples/rackspace, judged by `lint()` against the embedded catalogs. The one variant is an AMI given a
 * DeprecationTime (the example files carry none) to get a warning. Targets come from a Terraform plan, a manifest,
 * and the command line (no source file).
 */

/** The plan the Terraform targets point at. */
export const PLAN = 'examples/terraform/plan.json';
/** The manifest of the suppressed target. */
export const MANIFEST = 'deploy/imglint.yaml';
/** The clock: after the deprecated variant's DeprecationTime. */
export const NOW = new Date('2026-11-29T00:00:00Z');

const awsImage = async (id: string): Promise<AwsImageFacts> => (await readImageFile(`examples/aws/${id}.json`))[0]!;

async function awsTarget(
  image: ImageFacts,
  type: string,
  source: Target['source'],
): Promise<{ target: Target; findings: Finding[]; imageName: string | undefined }> {
  const catalog = await loadAwsCatalog();
  const facts = catalog.types.get(type)!;
  const region = 'us-east-1';
  const findings = lint({ image, type: facts, region, offeredInRegion: catalog.offeredIn(region)?.has(type), launch: {}, now: NOW });
  return { target: { provider: 'aws', region, image: image.id, type, ...(source ? { source } : {}) }, findings, imageName: image.name };
}

async function rackspaceTarget(file: string, flavorId: string, launch: LaunchOptions) {
  const [image] = await readOpenStackImageFile(`examples/rackspace/${file}`, 'rackspace');
  const flavor: MachineTypeFacts = (await loadRackspaceCatalog()).flavors.get('IAD')!.find((candidate) => candidate.id === flavorId)!;
  const findings = lint({ image: image!, type: flavor, region: 'IAD', offeredInRegion: true, launch, now: NOW });
  const target: Target = { provider: 'rackspace', region: 'IAD', image: image!.id, type: flavorId, launch };
  return { target, findings, imageName: image!.name };
}

function verdict(findings: readonly Finding[], failOn: FailOn): TargetResult['verdict'] {
  return findings.some((finding) => !finding.suppressed && reaches(finding.severity, failOn)) ? 'fail' : 'pass';
}

/**
 * Seven targets, in this order:
 * 1. PV AMI on c5.large (plan): virtualization-type and ena-support errors, previous-generation info: fails.
 * 2. AL2023 x86 with a past DeprecationTime on t3.micro (plan): image-deprecated warning.
 * 3. AL2023 arm64 on c5.large (manifest): architecture error, suppressed; previous-generation info.
 * 4. Rackspace CentOS 7 (auto_disk_config disabled) on general1-1 with diskConfig AUTO, from flags (no file): fails.
 * 5. AL2023 arm64 on m7g.large (plan): clean.
 * 6. An AMI known only after apply on t3.small (plan): unverifiable.
 * 7. An instance type the embedded catalog does not have (plan): error (InstanceTypeNotFound).
 */
export async function sampleReport(failOn: FailOn = 'error'): Promise<Report> {
  const pv = await awsImage('ami-0e972d2890378139a');
  const al2023 = await awsImage('ami-0006118602dfc1c09');
  const arm = await awsImage('ami-04fc404d256fd34a2');
  const deprecated: AwsImageFacts = { ...al2023, deprecationTime: '2026-09-01T00:00:00.000Z' };

  const judged = [
    await awsTarget(pv, 'c5.large', { file: PLAN, line: 41, address: 'aws_instance.legacy' }),
    await awsTarget(deprecated, 't3.micro', { file: PLAN, line: 88, address: 'aws_instance.web' }),
    await awsTarget(arm, 'c5.large', { file: MANIFEST, line: 12, address: 'batch' }),
    await rackspaceTarget('centos-7-pvhvm.json', 'general1-1', { diskConfig: 'AUTO' }),
    await awsTarget(arm, 'm7g.large', { file: PLAN, line: 102, address: 'aws_instance.graviton' }),
  ];
  const batch = judged[2]!;
  batch.findings = batch.findings.map((finding) =>
    finding.ruleId === 'architecture' ? { ...finding, suppressed: { reason: 'Graviton rollout, see OPS-1234', expires: '2027-03-31' } } : finding,
  );

  const results: TargetResult[] = judged.map(({ target, findings, imageName }) => ({
    target,
    verdict: verdict(findings, failOn),
    ...(imageName ? { imageName } : {}),
    findings,
  }));
  results.push({
    target: { provider: 'aws', region: 'us-east-1', image: KNOWN_AFTER_APPLY, type: 't3.small', source: { file: PLAN, line: 120, address: 'aws_instance.hardened' } },
    verdict: 'unverifiable',
    findings: [
      {
        ruleId: 'unverifiable',
        severity: 'warning',
        message: 'Cannot check before apply: ami is known only after apply (aws_ami_copy.hardened)',
        fix: 'Pin the value in the configuration, or check again after apply (imglint check --image <id> --type <type>)',
        docs: unverifiable.docsUrl,
      },
    ],
  });
  results.push(await unknownTypeResult());

  const count = (predicate: (result: TargetResult) => boolean) => results.filter(predicate).length;
  const findings = results.flatMap((result) => result.findings);
  const active = findings.filter((finding) => !finding.suppressed);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'imglint', version: VERSION },
    failOn,
    catalogs: [(await loadAwsCatalog()).source, (await loadRackspaceCatalog()).source],
    results,
    notices: ['ignore of architecture for ami-04fc404d256fd34a2 (deploy/imglint.yaml) expires 2027-03-31'],
    summary: {
      targets: results.length,
      passed: count((result) => result.verdict === 'pass'),
      failed: count((result) => result.verdict === 'fail'),
      unverifiable: count((result) => result.verdict === 'unverifiable'),
      errored: count((result) => result.verdict === 'error'),
      errors: active.filter((finding) => finding.severity === 'error').length,
      warnings: active.filter((finding) => finding.severity === 'warning').length,
      infos: active.filter((finding) => finding.severity === 'info').length,
      suppressed: findings.length - active.length,
    },
  };
}

/** The error the embedded EC2 catalog really throws for a type it lacks, as the engine records it on the target. */
async function unknownTypeResult(): Promise<TargetResult> {
  const target: Target = {
    provider: 'aws',
    region: 'us-east-1',
    image: 'ami-01f446d4eeaed8a3c',
    type: 'm9.large',
    source: { file: PLAN, line: 150, address: 'aws_instance.next' },
  };
  try {
    await createEmbeddedAwsProvider({ region: 'us-east-1' }).describeMachineTypes(['m9.large']);
  } catch (error) {
    if (!ImglintError.is(error)) throw error;
    const hint = error.hint === undefined ? {} : { hint: error.hint };
    return { target, verdict: 'error', findings: [], error: { kind: error.kind, code: error.code, message: error.message, ...hint } };
  }
  throw new Error('m9.large is in the embedded catalog: pick another unknown type');
}

/** The report with every source line moved by `delta` (a resource moved in its file). */
export function movedLines(report: Report, delta: number): Report {
  return {
    ...report,
    results: report.results.map((result) => {
      const { source } = result.target;
      if (source?.line === undefined) return result;
      return { ...result, target: { ...result.target, source: { ...source, line: source.line + delta } } };
    }),
  };
}
