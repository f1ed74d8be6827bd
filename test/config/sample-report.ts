import { fileURLToPath } from 'node:url';
import { readImageFile } from '../../providers/aws/image-file.js';
import { loadAwsCatalog } from '../../src/catalog/aws-embedded.js';
import { lint } from '../../src/engine/lint.js';
import { summarize, verdictOf } from '../../src/engine/verdict.js';
import { REPORT_SCHEMA_VERSION, type FailOn, type Report, type SourceLocation, type TargetResult } from '../../src/model/index.js';
import { VERSION } from '../../src/version.js';

/** The PV Amazon Linux AMI of examples/aws: HVM-only and ENA-requiring types refuse it. */
export const PV_AMI = 'ami-0e972d2890378139a';
const IMAGE_FILE = fileURLToPath(new URL(`../../examples/aws/${PV_AMI}.json`, import.meta.url));

/** The clock of the sample reports and of the tests that apply configurations to them. */
export const NOW = new Date('2026-11-29T12:00:00Z');

/** Types checked, and where each target was read from. */
const PAIRS: readonly [type: string, source: SourceLocation | undefined][] = [
  // virtualization-type (error)
  ['t2.micro', { file: './plans/legacy.json', line: 12, address: 'aws_instance.legacy_web' }],
  // virtualization-type, ena-support (errors), previous-generation (info)
  ['c5.large', { file: 'plans/app.json', line: 40, address: 'aws_instance.app' }],
  // previous-generation (info)
  ['m3.medium', undefined],
];

/**
 * A report as `check --offline --image-file examples/aws/ami-0e972d2890378139a.json` would build it: the findings
 * `lint()` gives for the example AMI on t2.micro, c5.large and m3.medium with the embedded catalog.
 */
export async function sampleReport(failOn: FailOn = 'error'): Promise<Report> {
  const catalog = await loadAwsCatalog();
  const [image] = await readImageFile(IMAGE_FILE);
  const region = 'us-east-1';
  const results: TargetResult[] = PAIRS.map(([typeName, source]) => {
    const findings = lint({ image: image!, type: catalog.types.get(typeName)!, region, offeredInRegion: catalog.offeredIn(region)?.has(typeName), launch: {}, now: NOW });
    const result = { target: { provider: 'aws' as const, region, image: image!.id, type: typeName, ...(source ? { source } : {}) }, imageName: image!.name, findings };
    return { ...result, verdict: verdictOf({ verdict: 'pass', findings }, failOn) };
  });
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'imglint', version: VERSION },
    failOn,
    catalogs: [catalog.source],
    results,
    notices: [],
    summary: summarize(results),
  };
}
