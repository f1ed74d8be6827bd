import pLimit from 'p-limit';
import type { Ec2ClientLike } from '../../providers/aws/ec2-client.js';
import type { Provider } from '../../providers/provider.js';
import { ImglintError } from '../errors.js';
import type {
  CatalogSource,
  FailOn,
  Finding,
  ImageFacts,
  LaunchOptions,
  MachineTypeFacts,
  Report,
  Severity,
  TargetRequest,
  TargetResult,
} from '../model/index.js';
import { KNOWN_AFTER_APPLY } from '../model/target.js';
import { REPORT_SCHEMA_VERSION, type OnUnverifiable } from '../model/severity.js';
import { rules } from '../rules/index.js';
import { unverifiable as unverifiableRule } from '../rules/unverifiable.js';
import { VERSION } from '../version.js';
import { machineTypeRef, suggestAlternatives } from './alternatives.js';
import { lint } from './lint.js';
import { createProvider, readImageFiles, resolveFacts, type ProviderChoice, type ResolvedFacts } from './resolve.js';
import { summarize, verdictOf } from './verdict.js';

/** How a batch of targets is checked. */
export interface CheckTargetsOptions {
  /** Lowest severity that fails a target (default `error`). */
  failOn?: FailOn;
  /** Severity of the `unverifiable` finding (default `warning`); `ignore` reports the verdict without a finding. */
  onUnverifiable?: OnUnverifiable;
  /** Use embedded catalogs instead of the providers' APIs. */
  offline?: boolean;
  /** Clock for deprecation checks and ignores (default: now). */
  now?: Date;
  /** An `EC2Client` from `@aws-sdk/client-ec2` to use instead of creating one. */
  ec2Client?: Ec2ClientLike;
  /** Provider + region groups resolved at once (default 4). */
  concurrency?: number;
  /** Called after each provider + region group is done, for a progress line. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Images known without a lookup (`--image-file` next to a plan or manifest): a target naming one of their IDs uses
   * it, so plans can be checked offline.
   */
  knownImages?: readonly ImageFacts[];
  /** Builds the provider of a group instead of {@link createProvider} (catalog cache, snapshots). */
  providerFor?: (group: ProviderChoice) => Promise<Provider>;
  /**
   * Throw the first error instead of reporting it on its targets: for a single request typed on the command line,
   * where "unknown AMI" is a usage error (exit 2), not one verdict among many.
   */
  strict?: boolean;
}

/** A request whose image file has been read: one entry per image in the file. */
interface Pending {
  request: TargetRequest;
  image: ImageFacts | undefined;
}

/**
 * Checks every target and returns the report `imglint check --format json` prints. Targets are grouped by provider
 * and region; each group costs one call of each kind (images, types, offerings), groups run in parallel (bounded).
 * A group whose provider fails (credentials, network) reports its targets as `error` and the others go on; a value
 * known only after apply makes its target `unverifiable`. Every request gets a result: count in = count out
 * (a request naming an image file with several images gets one result per image).
 * @throws only with `strict`, or for a malformed image file (InputError), which no target can survive.
 */
export async function checkTargets(requests: readonly TargetRequest[], options: CheckTargetsOptions = {}): Promise<Report> {
  const failOn = options.failOn ?? 'error';
  const now = options.now ?? new Date();
  const offline = options.offline ?? false;
  const pending = await readRequestImages(requests);
  const results = new Map<Pending, TargetResult>();
  const catalogs: CatalogSource[] = [];

  const groups = new Map<string, Pending[]>();
  for (const item of pending) {
    if (unknownPart(item) !== undefined) {
      results.set(item, unverifiable(item, unknownPart(item)!, options.onUnverifiable ?? 'warning'));
      continue;
    }
    const key = `${item.request.provider}\u0000${item.request.region ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }

  const limit = pLimit(options.concurrency ?? 4);
  let done = 0;
  await Promise.all(
    [...groups.values()].map((items) =>
      limit(async () => {
        const provider = items[0]!.request.provider;
        const known = (options.knownImages ?? []).filter((image) => (image.provider === 'aws') === (provider === 'aws'));
        const group: ProviderChoice = {
          provider,
          region: items[0]!.request.region,
          offline,
          fileImages: [...items.flatMap((item) => (item.image ? [item.image] : [])), ...known],
          ec2Client: options.ec2Client,
        };
        try {
          const adapter = await (options.providerFor ?? createProvider)(group);
          const checked = await checkGroup(adapter, items, known, now, options);
          for (const [item, result] of checked.results) results.set(item, result);
          catalogs.push(adapter.catalogSource, ...checked.catalogs);
        } catch (error) {
          if (options.strict || !ImglintError.is(error)) throw error;
          for (const item of items) results.set(item, failed(item, error));
        }
        done += 1;
        options.onProgress?.(done, groups.size);
      }),
    ),
  );

  const ordered = pending.map((item) => results.get(item)!).map((result) => ({ ...result, verdict: verdictOf(result, failOn) }));
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'imglint', version: VERSION },
    failOn,
    catalogs: uniqueCatalogs(catalogs),
    results: ordered,
    notices: [],
    summary: summarize(ordered),
  };
}

/** Reads every image file once; a request naming a file of several images becomes one entry per image. */
async function readRequestImages(requests: readonly TargetRequest[]): Promise<Pending[]> {
  const files = new Map<string, Promise<ImageFacts[]>>();
  for (const request of requests) {
    if (request.imageFile === undefined) continue;
    const key = `${request.provider}\u0000${request.imageFile}`;
    if (!files.has(key)) files.set(key, readImageFiles(request.provider, [request.imageFile]));
  }
  const read = new Map(await Promise.all([...files].map(async ([key, images]) => [key, await images] as const)));
  return requests.flatMap((request): Pending[] => {
    if (request.imageFile === undefined) return [{ request, image: undefined }];
    return read.get(`${request.provider}\u0000${request.imageFile}`)!.map((image) => ({ request, image }));
  });
}

/** Why a request cannot be judged before apply, if it cannot. */
function unknownPart({ request, image }: Pending): string | undefined {
  if (request.unknown !== undefined) return request.unknown;
  if (image === undefined && request.image === undefined) return 'the image is known only after apply';
  if (request.type === undefined) return `the ${request.provider === 'aws' ? 'instance type' : 'flavor'} is known only after apply`;
  return undefined;
}

function targetOf(item: Pending, region: string | undefined): TargetResult['target'] {
  const { request } = item;
  return {
    provider: request.provider,
    region: region ?? request.region ?? '(default)',
    image: item.image?.id ?? request.image ?? KNOWN_AFTER_APPLY,
    type: request.type ?? KNOWN_AFTER_APPLY,
    ...(request.launch ? { launch: request.launch } : {}),
    ...(request.source ? { source: request.source } : {}),
  };
}

function unverifiable(item: Pending, reason: string, onUnverifiable: OnUnverifiable): TargetResult {
  const findings: Finding[] =
    onUnverifiable === 'ignore'
      ? []
      : [
          {
            ruleId: 'unverifiable',
            severity: onUnverifiable satisfies Severity,
            message: `Cannot check before apply: ${reason}`,
            fix: 'Pin the value in the configuration, or check again after apply (imglint check --image <id> --type <type>)',
            docs: unverifiableRule.docsUrl,
          },
        ];
  return { target: targetOf(item, undefined), verdict: 'unverifiable', imageName: item.image?.name, findings };
}

function failed(item: Pending, error: ImglintError): TargetResult {
  return {
    target: targetOf(item, undefined),
    verdict: 'error',
    imageName: item.image?.name,
    findings: [],
    error: { kind: error.kind, code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) },
  };
}

/**
 * One provider + region: resolve every reference in one batch; when the batch names something unknown, resolve the
 * references one by one so only the targets that name it fail (that costs calls only on the error path).
 */
async function checkGroup(
  provider: Provider,
  items: readonly Pending[],
  knownImages: readonly ImageFacts[],
  now: Date,
  options: CheckTargetsOptions,
): Promise<{ results: Map<Pending, TargetResult>; catalogs: CatalogSource[] }> {
  const strict = options.strict ?? false;
  const refs = (item: Pending) => ({ image: item.image ? undefined : item.request.image, type: item.request.type! });
  const imageRefs = items.flatMap((item) => (refs(item).image ? [refs(item).image!] : []));
  const typeRefs = items.map((item) => refs(item).type);
  const fileImages = [...items.flatMap((item) => (item.image ? [item.image] : [])), ...knownImages];
  const results = new Map<Pending, TargetResult>();
  // Offline, "not in the catalog" or "not in an image file" says nothing about the cloud: the target is unverifiable.
  const offline = provider.catalogSource.kind === 'embedded' || provider.catalogSource.kind === 'snapshot';

  let facts: ResolvedFacts;
  const problems = new Map<string, ImglintError>();
  try {
    facts = await resolveFacts(provider, imageRefs, fileImages, typeRefs);
  } catch (error) {
    if (strict || !ImglintError.is(error) || error.kind === 'provider') throw error;
    facts = await resolveEach(provider, imageRefs, fileImages, typeRefs, problems);
  }

  const resolved: { item: Pending; image: ImageFacts; type: MachineTypeFacts; result: TargetResult }[] = [];
  for (const item of items) {
    const { image: imageRef, type: typeRef } = refs(item);
    const problem = (imageRef !== undefined ? problems.get(`image:${imageRef}`) : undefined) ?? problems.get(`type:${typeRef}`);
    if (problem) {
      // Live, an image the credentials cannot see looks exactly like one that does not exist (EC2 answers
      // InvalidAMIID.NotFound for a private AMI not shared with the account): unverifiable, not invalid.
      const cannotTell =
        problem.code === 'ImageNotFound' ||
        (offline && (problem.kind === 'usage' || problem.code === 'InstanceTypeNotFound' || problem.code === 'FlavorNotFound'));
      results.set(item, cannotTell ? unverifiable(item, problem.message, options.onUnverifiable ?? 'warning') : failed(item, problem));
      continue;
    }
    const image = item.image ?? facts.images.get(imageRef!)!;
    const type = facts.types.get(typeRef)!;
    const launch: LaunchOptions = item.request.launch ?? {};
    const findings = lint({ image, type, region: facts.region, offeredInRegion: facts.offered?.has(typeRef), launch, now });
    const result: TargetResult = { target: { ...targetOf(item, facts.region), image: image.id }, verdict: 'pass', imageName: image.name, findings };
    results.set(item, result);
    resolved.push({ item, image, type, result });
  }
  const hints = await addAlternatives(provider, resolved, facts.region, now);
  return { results, catalogs: hints ? [hints] : [] };
}

/** The error path of a batch: every reference on its own, recording which ones fail and why. */
async function resolveEach(
  provider: Provider,
  imageRefs: readonly string[],
  fileImages: readonly ImageFacts[],
  typeRefs: readonly string[],
  problems: Map<string, ImglintError>,
): Promise<ResolvedFacts> {
  const region = await provider.region();
  const images = new Map<string, ImageFacts>();
  const types = new Map<string, MachineTypeFacts>();
  const attempt = async <T>(key: string, lookup: () => Promise<Map<string, T>>, into: Map<string, T>, ref: string) => {
    try {
      const found = (await lookup()).get(ref);
      if (found !== undefined) into.set(ref, found);
    } catch (error) {
      if (!ImglintError.is(error) || error.kind === 'provider') throw error;
      problems.set(key, error);
    }
  };
  await Promise.all([
    ...[...new Set(imageRefs)].map((ref) => attempt(`image:${ref}`, () => provider.describeImages([ref]), images, ref)),
    ...[...new Set(typeRefs)].map((ref) => attempt(`type:${ref}`, () => provider.describeMachineTypes([ref]), types, ref)),
  ]);
  for (const image of fileImages) images.set(image.id, image);
  const known = [...types.keys()];
  return { region, images, types, offered: known.length > 0 ? await provider.offeredMachineTypes(known) : undefined };
}

const curedByOtherType = new Set(rules.filter((rule) => rule.curedByOtherType).map((rule) => rule.id));

/**
 * Adds the nearest compatible types of the region's catalog to every finding another type would cure. The fix names
 * the types only: the catalog they came from is returned, and the report lists it once.
 * @returns the catalog the suggestions came from, when any were needed.
 */
async function addAlternatives(
  provider: Provider,
  resolved: readonly { image: ImageFacts; type: MachineTypeFacts; result: TargetResult }[],
  region: string,
  now: Date,
): Promise<CatalogSource | undefined> {
  const needing = resolved.filter(({ result }) => result.findings.some((f) => f.severity === 'error' && curedByOtherType.has(f.ruleId)));
  if (needing.length === 0) return undefined;
  const candidates = await provider.candidateTypes();
  const types = [...candidates.types];
  const byRef = new Map(types.map((type) => [machineTypeRef(type), type]));
  const noun = provider.id === 'aws' ? 'instance type' : 'flavor';
  for (const { image, type, result } of needing) {
    const scope = { region, offered: candidates.offered, launch: result.target.launch ?? {}, now };
    const alternatives = suggestAlternatives(image, type, types, scope);
    const note =
      alternatives.length > 0
        ? `${noun}s that can run it: ${alternatives.map((ref) => label(byRef.get(ref))).join(', ')}`
        : `no ${noun} in the catalog can run this image`;
    for (const finding of result.findings) {
      if (finding.severity !== 'error' || !curedByOtherType.has(finding.ruleId)) continue;
      finding.alternatives = alternatives;
      finding.fix = `${finding.fix}; ${note}`;
    }
  }
  return candidates.source;
}

/** How a suggested type is named in a fix: the instance type; the flavor ID with its name (`7 (15GB Standard Instance)`). */
function label(type: MachineTypeFacts | undefined): string {
  if (type === undefined) return '';
  return type.provider === 'aws' || type.name === type.id ? machineTypeRef(type) : `${type.id} (${type.name})`;
}

function uniqueCatalogs(catalogs: readonly CatalogSource[]): CatalogSource[] {
  const seen = new Map(catalogs.map((catalog) => [JSON.stringify(catalog), catalog]));
  return [...seen.values()];
}
