import type { Provider } from '../../providers/provider.js';
import { UsageError } from '../errors.js';
import type { CatalogSource, FailOn, Finding, ImageFacts, LaunchOptions, MachineTypeFacts, ProviderId, Report, TargetResult } from '../model/index.js';
import { REPORT_SCHEMA_VERSION, reaches } from '../model/severity.js';
import { rules } from '../rules/index.js';
import { VERSION } from '../version.js';
import { machineTypeRef, suggestAlternatives } from './alternatives.js';
import { lint } from './lint.js';
import { createProvider, readImageFiles, resolveFacts, type ResolvedFacts } from './resolve.js';

/** A check request: every image is checked against every instance type or flavor. */
export interface CheckOptions {
  /** `aws` (default), `rackspace` or `openstack`. */
  provider?: ProviderId;
  /** Images to look up: AMI IDs; Glance image IDs or names. */
  image?: string | readonly string[];
  /**
   * Image description files: `aws ec2 describe-images` output (`{"Images":[...]}`) or one Image (AWS);
   * Glance v2 JSON (`openstack image show -f json`) or Nova image JSON (OpenStack).
   */
  imageFile?: string | readonly string[];
  /** Instance type names (`t3.micro`), or flavor IDs or names (`general1-1`). */
  type?: string | readonly string[];
  /** Alias of `type` for OpenStack users. */
  flavor?: string | readonly string[];
  /** Region; default: the SDK's resolution (AWS), `OS_REGION_NAME` / `RAX_REGION` (OpenStack). */
  region?: string;
  /** Use the embedded catalog instead of the provider's API; images must then come from `imageFile`. */
  offline?: boolean;
  /** How the server would be created (OpenStack: `diskConfig`, `bootFromVolume`, `volumeSizeGiB`). */
  launch?: LaunchOptions;
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
 * Checks every image x instance type (or flavor) pair and returns the report `imglint check --format json`
 * prints. Never prints or exits.
 * @throws UsageError (bad options), InputError (unknown image, type or flavor; malformed image file),
 *   ProviderApiError (credentials, throttling after retries, network, timeouts, malformed responses).
 */
export async function check(options: CheckOptions): Promise<Report> {
  const provider = options.provider ?? 'aws';
  const imageRefs = list(options.image);
  const imageFiles = list(options.imageFile);
  const typeRefs = [...list(options.type), ...list(options.flavor)];
  if (imageRefs.length + imageFiles.length === 0) {
    const example = provider === 'aws' ? '--image ami-... or --image-file describe-images.json' : '--image <id|name> or --image-file image.json';
    throw new UsageError('no image given', { hint: `pass ${example}` });
  }
  const fileImages = await readImageFiles(provider, imageFiles);
  const adapter = await createProvider({ provider, offline: options.offline ?? false, region: options.region, fileImages, ec2Client: options.ec2Client });
  const facts = await resolveFacts(adapter, imageRefs, fileImages, typeRefs);
  const images = [...new Map([...fileImages, ...imageRefs.map((ref) => facts.images.get(ref)!)].map((image) => [image.id, image])).values()];
  const failOn = options.failOn ?? 'error';
  const now = options.now ?? new Date();
  const launch = options.launch ?? {};

  const results: TargetResult[] = [];
  for (const image of images) {
    for (const typeRef of new Set(typeRefs)) {
      const type = facts.types.get(typeRef)!;
      const findings = lint({ image, type, region: facts.region, offeredInRegion: facts.offered?.has(typeRef), launch, now });
      results.push({
        target: { provider, region: facts.region, image: image.id, type: typeRef, ...(options.launch ? { launch } : {}) },
        verdict: findings.some((finding) => reaches(finding.severity, failOn)) ? 'fail' : 'pass',
        imageName: image.name,
        findings,
      });
    }
  }
  await addAlternatives(results, adapter, facts, images, launch, now);
  return buildReport(results, failOn, adapter.catalogSource);
}

const curedByOtherType = new Set(rules.filter((rule) => rule.curedByOtherType).map((rule) => rule.id));

/** Adds the nearest compatible types of the region's catalog to every finding another type would cure. */
async function addAlternatives(
  results: TargetResult[],
  provider: Provider,
  facts: ResolvedFacts,
  images: ImageFacts[],
  launch: LaunchOptions,
  now: Date,
): Promise<void> {
  const needing = results.filter((result) => result.findings.some((f) => f.severity === 'error' && curedByOtherType.has(f.ruleId)));
  if (needing.length === 0) return;
  const candidates = await provider.candidateTypes();
  const types = [...candidates.types];
  const scope = { region: facts.region, offered: candidates.offered, launch, now };
  const where = `${candidates.source.description}${candidates.source.dataAsOf ? `, data as of ${candidates.source.dataAsOf}` : ''}`;
  const byId = new Map(images.map((image) => [image.id, image]));
  const byRef = new Map(types.map((type) => [machineTypeRef(type), type]));
  const noun = provider.id === 'aws' ? 'instance type' : 'flavor';
  for (const result of needing) {
    const reference = facts.types.get(result.target.type)!;
    const alternatives = suggestAlternatives(byId.get(result.target.image)!, reference, types, scope);
    const note =
      alternatives.length > 0
        ? `${noun}s that can run it: ${alternatives.map((ref) => label(byRef.get(ref))).join(', ')} (${where})`
        : `no ${noun} in the catalog can run this image (${where})`;
    for (const finding of result.findings) {
      if (finding.severity !== 'error' || !curedByOtherType.has(finding.ruleId)) continue;
      finding.alternatives = alternatives;
      finding.fix = `${finding.fix}; ${note}`;
    }
  }
}

/** How a suggested type is named in a fix: the instance type; the flavor ID with its name (`7 (15GB Standard Instance)`). */
function label(type: MachineTypeFacts | undefined): string {
  if (type === undefined) return '';
  return type.provider === 'aws' || type.name === type.id ? machineTypeRef(type) : `${type.id} (${type.name})`;
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
