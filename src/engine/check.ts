import { readImageFile } from '../../providers/aws/image-file.js';
import { UsageError } from '../errors.js';
import { REPORT_SCHEMA_VERSION, reaches } from '../model/severity.js';
import type {
  CatalogSource,
  FailOn,
  Finding,
  ImageFacts,
  Report,
  TargetResult,
} from '../model/index.js';
import { rules } from '../rules/index.js';
import { suggestAlternatives } from './alternatives.js';
import { lint } from './lint.js';
import { createProvider, resolveFacts, type ResolvedFacts } from './resolve.js';
import { VERSION } from '../version.js';

/** A check request: every image is checked against every type (AWS). */
export interface CheckOptions {
  /** AMI IDs to look up with DescribeImages. */
  image?: string | readonly string[];
  /** Files holding `aws ec2 describe-images` output (`{"Images":[...]}`) or one Image object. */
  imageFile?: string | readonly string[];
  /** Instance type names (`t3.micro`). */
  type: string | readonly string[];
  /** AWS region; default: the SDK's resolution (AWS_REGION, profile), or us-east-1 offline. */
  region?: string;
  /** Use the embedded catalog instead of EC2; images must then come from `imageFile`. */
  offline?: boolean;
  /** Lowest severity that fails a target (default `error`). */
  failOn?: FailOn;
  /** Clock for deprecation checks (default: now). */
  now?: Date;
  /** An `EC2Client` from `@aws-sdk/client-ec2` to use instead of creating one (for tests and custom setups). */
  ec2Client?: unknown;
}

function list(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
}

/**
 * Checks every image x instance type pair and returns the report `imglint check --format json` prints.
 * Never prints or exits.
 * @throws UsageError (bad options), InputError (unknown AMI or type, malformed image file),
 *   ProviderApiError (credentials, throttling after retries, network, timeouts).
 */
export async function check(options: CheckOptions): Promise<Report> {
  const imageIds = list(options.image);
  const imageFiles = list(options.imageFile);
  const typeNames = list(options.type);
  if (imageIds.length + imageFiles.length === 0) {
    throw new UsageError('no image given', { hint: 'pass --image ami-... or --image-file describe-images.json' });
  }
  const fileImages = (await Promise.all(imageFiles.map((file) => readImageFile(file)))).flat();
  const offline = options.offline ?? false;
  const provider = await createProvider({ offline, region: options.region, fileImages, ec2Client: options.ec2Client });
  const facts = await resolveFacts(provider, imageIds, fileImages, typeNames);
  const images = [...new Map([...fileImages, ...imageIds.map((id) => facts.images.get(id)!)].map((i) => [i.id, i])).values()];
  const failOn = options.failOn ?? 'error';
  const now = options.now ?? new Date();

  const results: TargetResult[] = [];
  for (const image of images) {
    for (const typeName of new Set(typeNames)) {
      const findings = lint({ image, type: facts.types.get(typeName)!, region: facts.region, offeredInRegion: facts.offered?.has(typeName), now });
      results.push({
        target: { provider: 'aws', region: facts.region, image: image.id, type: typeName },
        verdict: findings.some((finding) => reaches(finding.severity, failOn)) ? 'fail' : 'pass',
        imageName: image.name,
        findings,
      });
    }
  }
  await addAlternatives(results, facts, images, now);
  return buildReport(results, failOn, provider.catalogSource);
}

const curedByOtherType = new Set(rules.filter((rule) => rule.curedByOtherType).map((rule) => rule.id));

/** Adds the embedded catalog's nearest compatible types to every finding another type would cure. */
async function addAlternatives(results: TargetResult[], facts: ResolvedFacts, images: ImageFacts[], now: Date): Promise<void> {
  const needing = results.filter((result) => result.findings.some((f) => f.severity === 'error' && curedByOtherType.has(f.ruleId)));
  if (needing.length === 0) return;
  const { loadAwsCatalog } = await import('../catalog/aws-embedded.js');
  const catalog = await loadAwsCatalog();
  const scope = { region: facts.region, offered: catalog.offeredIn(facts.region), now };
  const byId = new Map(images.map((image) => [image.id, image]));
  for (const result of needing) {
    const reference = facts.types.get(result.target.type)!;
    const alternatives = suggestAlternatives(byId.get(result.target.image)!, reference, catalog.types.values(), scope);
    const note =
      alternatives.length > 0
        ? `types that can run it: ${alternatives.join(', ')} (${catalog.source.description}, data as of ${catalog.source.dataAsOf})`
        : `no instance type in the catalog can run this image (${catalog.source.description}, data as of ${catalog.source.dataAsOf})`;
    for (const finding of result.findings) {
      if (finding.severity !== 'error' || !curedByOtherType.has(finding.ruleId)) continue;
      finding.alternatives = alternatives;
      finding.fix = `${finding.fix}; ${note}`;
    }
  }
}

function buildReport(results: TargetResult[], failOn: FailOn, catalog: CatalogSource): Report {
  const count = (severity: Finding['severity']) =>
    results.reduce((sum, result) => sum + result.findings.filter((f) => f.severity === severity).length, 0);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'imglint', version: VERSION },
    failOn,
    catalog,
    results,
    summary: {
      targets: results.length,
      failed: results.filter((result) => result.verdict === 'fail').length,
      errors: count('error'),
      warnings: count('warning'),
      infos: count('info'),
    },
  };
}
