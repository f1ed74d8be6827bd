import pLimit from 'p-limit';
import type { Ec2ClientLike } from '../../providers/aws/ec2-client.js';
import { DEFAULT_PROVIDER_TIMEOUT_MS, type CandidateTypes, type Provider } from '../../providers/provider.js';
import { awsRegionStatus, zoneOutsideRegion } from '../catalog/aws-regions.js';
import { flavorFileSource, type FileFlavors } from '../catalog/flavor-files.js';
import { ImglintError, InputError, UsageError } from '../errors.js';
import type {
  CatalogSource,
  FailOn,
  Finding,
  FlavorFacts,
  ImageFacts,
  LaunchOptions,
  MachineTypeFacts,
  Report,
  Severity,
  TargetRequest,
  TargetResult,
} from '../model/index.js';
import { KNOWN_AFTER_APPLY } from '../model/placeholders.js';
import { REPORT_SCHEMA_VERSION, type OnUnverifiable } from '../model/severity.js';
import { rules } from '../rules/index.js';
import { unverifiable as unverifiableRule } from '../rules/unverifiable.js';
import { VERSION } from '../version.js';
import { compatibleTypes, machineTypeRef, typeRanking, zonePlacement } from './alternatives.js';
import { asExisting, existingMachinesNotice } from './existing-machines.js';
import { describeRequirements } from './requirements-name.js';
import { lint } from './lint.js';
import { afterApplyCause, inputCause, lookupCause, requirementsCause, ssmParameterCause, type UnverifiableCause } from './unverifiable-causes.js';
import { createProvider, imageOfOtherProvider, readFlavorFiles, readImageFiles, resolveFacts, type ProviderChoice, type ResolvedFacts } from './resolve.js';
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
  /**
   * Milliseconds all provider calls of the run may take together (default 60,000, `--timeout`); then the groups
   * still waiting fail with a `Timeout` error. Each request is also bounded on its own (AWS: 10 s per attempt).
   */
  timeoutMs?: number;
  /** `--debug`: receives one redacted line per provider request. */
  debug?: (line: string) => void;
  /** Provider + region groups resolved at once (default 4). */
  concurrency?: number;
  /** Called after each provider + region group is done, for a progress line. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Images known without a lookup (`--image-file` next to a plan or manifest): a target naming one of their IDs uses
   * it, so plans can be checked offline.
   */
  knownImages?: readonly ImageFacts[];
  /**
   * Flavor description files (`--flavor-file`: `openstack flavor show -f json` output, Nova flavor JSON) whose flavors
   * are known without a lookup to every Rackspace and OpenStack target naming one of them (by id, else name); offline
   * they are a generic OpenStack cloud's catalog.
   */
  flavorFiles?: readonly string[];
  /** Builds the provider of a group instead of {@link createProvider} (catalog cache, snapshots). */
  providerFor?: (group: ProviderChoice) => Promise<Provider>;
  /**
   * Throw the first error instead of reporting it on its targets: for a single request typed on the command line,
   * where "unknown AMI" is a usage error (exit 2), not one verdict among many.
   */
  strict?: boolean;
}

/** A request whose image and flavor files have been read: one entry per image x flavor in them. */
interface Pending {
  request: TargetRequest;
  image: ImageFacts | undefined;
  /** A flavor of the request's `flavorFile` (as `openstack`: the group takes it as its own). */
  flavor?: FlavorFacts;
}

/**
 * Checks every target and returns the report `imglint check --format json` prints. Targets are grouped by provider
 * and region; each group costs one call of each kind (images, types, offerings), groups run in parallel (bounded).
 * A group whose provider fails (credentials, network) reports its targets as `error` and the others go on; a value
 * known only after apply makes its target `unverifiable`. Every request gets a result: count in = count out
 * (a request naming an image file with several images gets one result per image, and one per image x flavor with a
 * flavor file).
 * @throws only with `strict`, for a malformed image or flavor file (InputError), which no target can survive, an image
 *   file of the other kind of cloud (InputError `ImageFileOfOtherProvider`; without `strict`, that target's error), or
 *   a flavor file given to an AWS target (UsageError).
 */
export async function checkTargets(requests: readonly TargetRequest[], options: CheckTargetsOptions = {}): Promise<Report> {
  const failOn = options.failOn ?? 'error';
  const now = options.now ?? new Date();
  const offline = options.offline ?? false;
  const { pending, flavorFiles } = await readRequestFiles(requests, options.flavorFiles ?? [], options.strict ?? false);
  const results = new Map<Pending, TargetResult>();
  const catalogs: CatalogSource[] = [];
  const notices = new Set<string>();

  const groups = new Map<string, Pending[]>();
  const misspelt = await misspeltRegions(pending, options.strict ?? false);
  for (const item of pending) {
    const error = item.request.error ?? (misspelt.size > 0 ? misspelt.get(item.request.region ?? '') : undefined);
    if (error !== undefined) {
      results.set(item, failed(item, error));
      continue;
    }
    const unknown = unknownPart(item);
    if (unknown !== undefined) {
      results.set(item, unverifiable(item, unknown, options.onUnverifiable ?? 'warning'));
      continue;
    }
    const key = `${item.request.provider}\u0000${item.request.region ?? ''}`;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }

  const limit = pLimit(options.concurrency ?? 4);
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS;
  const signal = offline || groups.size === 0 ? undefined : AbortSignal.timeout(timeoutMs);
  let done = 0;
  await Promise.all(
    [...groups.values()].map((items) =>
      limit(async () => {
        const provider = items[0]!.request.provider;
        // Glance and Nova image files say nothing of the cloud: a Rackspace or OpenStack group takes them as its own.
        const known = (options.knownImages ?? [])
          .filter((image) => (image.provider === 'aws') === (provider === 'aws'))
          .map((image): ImageFacts => (image.provider === 'aws' || provider === 'aws' || image.provider === provider ? image : { ...image, provider }));
        const fileFlavors = provider === 'aws' ? undefined : groupFlavors(provider, items, flavorFiles);
        const group: ProviderChoice = {
          provider,
          region: items[0]!.request.region,
          offline,
          fileImages: [...imagesOf(items), ...known],
          ...(fileFlavors && { fileFlavors }),
          ec2Client: options.ec2Client,
          signal,
          timeoutMs,
          debug: options.debug,
        };
        try {
          const adapter = await (options.providerFor ?? createProvider)(group);
          const checked = await checkGroup(adapter, items, { images: known, flavors: fileFlavors }, now, options);
          for (const [item, result] of checked.results) results.set(item, result);
          catalogs.push(adapter.catalogSource, ...checked.catalogs);
          for (const notice of checked.notices) notices.add(notice);
        } catch (error) {
          if (options.strict || !ImglintError.is(error)) throw error;
          for (const item of items) results.set(item, failed(item, error));
        }
        done += 1;
        options.onProgress?.(done, groups.size);
      }),
    ),
  );

  // Every result is this run's own object: its verdict is set in place, not on a copy per target.
  const ordered = pending.map((item) => {
    const result = asExisting(results.get(item)!, item.request.existing);
    result.verdict = verdictOf(result, failOn);
    return result;
  });
  const existing = existingMachinesNotice(pending.map((item) => item.request));
  if (existing !== undefined) notices.add(existing);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'imglint', version: VERSION },
    failOn,
    catalogs: uniqueCatalogs(catalogs),
    results: ordered,
    notices: [...notices],
    summary: summarize(ordered),
  };
}

/**
 * The AWS regions of the requests that are no region (`us-est-1`), with their errors: a target in one is an input
 * error even when it could not have been judged anyway (an image known only after apply), since the region is wrong
 * whatever the value turns out to be.
 *
 * @throws with `strict`, the first such error.
 */
async function misspeltRegions(pending: readonly Pending[], strict: boolean): Promise<Map<string, ImglintError>> {
  const regions = new Set(pending.flatMap(({ request }) => (request.provider === 'aws' && request.region !== undefined && request.error === undefined ? [request.region] : [])));
  const misspelt = new Map<string, ImglintError>();
  for (const region of regions) {
    try {
      await awsRegionStatus(region);
    } catch (error) {
      if (strict || !ImglintError.is(error)) throw error;
      misspelt.set(region, error);
    }
  }
  return misspelt;
}

/**
 * Reads every image and flavor file once; a request naming files of several images or flavors becomes one entry per
 * image x flavor. Also returns the flavors of the run's `flavorFiles` (by file), which any target may name.
 */
async function readRequestFiles(
  requests: readonly TargetRequest[],
  knownFlavorFiles: readonly string[],
  strict: boolean,
): Promise<{ pending: Pending[]; flavorFiles: ReadonlyMap<string, FlavorFacts[]> }> {
  const imageFiles = new Map<string, Promise<ImageFacts[]>>();
  const flavorFiles = new Map<string, Promise<FlavorFacts[]>>(knownFlavorFiles.map((file) => [file, readFlavorFiles([file])]));
  for (const request of requests) {
    if (request.imageFile !== undefined) {
      const key = `${request.provider}\u0000${request.imageFile}`;
      if (!imageFiles.has(key)) imageFiles.set(key, readImageFiles(request.provider, [request.imageFile]));
    }
    if (request.flavorFile === undefined) continue;
    if (request.provider === 'aws') {
      throw new UsageError(`flavor file ${request.flavorFile} given for an AWS target: flavor files describe OpenStack flavors`, {
        hint: 'name the instance type with type, or set provider to rackspace or openstack',
      });
    }
    if (!flavorFiles.has(request.flavorFile)) flavorFiles.set(request.flavorFile, readFlavorFiles([request.flavorFile]));
  }
  const settle = async <T>(files: Map<string, Promise<T[]>>) => new Map(await Promise.all([...files].map(async ([key, read]) => [key, await read] as const)));
  const [images, flavors] = await Promise.all([settle(imageFiles), settle(flavorFiles)]);
  const pending = requests.flatMap((request): Pending[] | Pending => {
    // Most requests of a plan name no file: one entry, without the lists of images and flavors.
    if (request.imageFile === undefined && request.flavorFile === undefined) return { request, image: undefined };
    const imagesOf: (ImageFacts | undefined)[] = request.imageFile === undefined ? [undefined] : images.get(`${request.provider}\u0000${request.imageFile}`)!;
    const flavorsOf: (FlavorFacts | undefined)[] = request.flavorFile === undefined ? [undefined] : flavors.get(request.flavorFile)!;
    // An image file of the other kind of cloud is that target's input error (the whole run's, for flags).
    const mismatch = (image: ImageFacts | undefined) => (image === undefined ? undefined : imageOfOtherProvider(image, request.provider, request.imageFile!));
    return imagesOf.flatMap((image) => {
      const error = request.error ?? mismatch(image);
      if (error !== undefined && strict && request.error === undefined) throw error;
      return flavorsOf.map((flavor) => ({ request: error === undefined ? request : { ...request, error }, image, ...(flavor && { flavor }) }));
    });
  });
  return { pending, flavorFiles: new Map([...flavors].filter(([file]) => knownFlavorFiles.includes(file))) };
}

/**
 * The flavors from files a Rackspace or OpenStack group knows: those of its targets' `flavorFile`s and of the run's
 * `flavorFiles`, as the group's provider (a flavor file says nothing of the cloud). `undefined` without any.
 */
function groupFlavors(provider: 'rackspace' | 'openstack', items: readonly Pending[], known: ReadonlyMap<string, FlavorFacts[]>): FileFlavors | undefined {
  const byFile = new Map(known);
  for (const { request, flavor } of items) {
    if (flavor === undefined) continue;
    byFile.set(request.flavorFile!, [...(byFile.get(request.flavorFile!) ?? []), flavor]);
  }
  if (byFile.size === 0) return undefined;
  const flavors = [...new Set([...byFile.values()].flat())].map((flavor) => (flavor.provider === provider ? flavor : { ...flavor, provider }));
  return { files: [...byFile.keys()], flavors };
}

/** Why a request cannot be judged before anything is looked up, if it cannot. */
function unknownPart({ request, image }: Pending): UnverifiableCause | undefined {
  if (request.unknown !== undefined) return inputCause(request);
  if (image === undefined && request.image === undefined) return afterApplyCause('image');
  if (image === undefined && request.image?.startsWith('resolve:ssm:')) return ssmParameterCause(request.image.slice('resolve:ssm:'.length));
  if (request.type?.startsWith('resolve:ssm:')) return ssmParameterCause(request.type.slice('resolve:ssm:'.length));
  if (request.type === undefined && request.flavorFile === undefined && request.instanceRequirements === undefined) {
    return afterApplyCause(request.provider === 'aws' ? 'instance type' : 'flavor');
  }
  return undefined;
}

/** The target of a result: `image` is the ID the image resolved to, when it did. */
function targetOf(item: Pending, region: string | undefined, image?: string): TargetResult['target'] {
  const { request } = item;
  // Built field by field (in the order of the report's `target`) rather than from spreads: a plan has thousands of targets.
  const target: TargetResult['target'] = {
    provider: request.provider,
    region: region ?? request.region ?? '(default)',
    image: image ?? item.image?.id ?? request.image ?? KNOWN_AFTER_APPLY,
    type: item.flavor?.id ?? request.type ?? (request.instanceRequirements ? describeRequirements(request.instanceRequirements) : KNOWN_AFTER_APPLY),
  };
  if (request.availabilityZones?.length) target.availabilityZones = request.availabilityZones;
  if (request.launch) target.launch = request.launch;
  if (request.source) target.source = request.source;
  return target;
}

/** The verdict `unverifiable`, with a finding saying what is missing and what to do (unless `ignore`). */
function unverifiable(item: Pending, cause: UnverifiableCause, onUnverifiable: OnUnverifiable): TargetResult {
  const findings: Finding[] =
    onUnverifiable === 'ignore'
      ? []
      : [{ ruleId: 'unverifiable', severity: onUnverifiable satisfies Severity, message: cause.message, fix: cause.fix, docs: unverifiableRule.docsUrl }];
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
 * One provider + region: every reference in one batch. A reference the provider does not know fails only the
 * targets that name it: the provider's error says which ones are unknown (see `resolveFacts`' `keepGoing`), so the
 * error path costs no extra calls.
 */
async function checkGroup(
  provider: Provider,
  items: readonly Pending[],
  known: { images: readonly ImageFacts[]; flavors: FileFlavors | undefined },
  now: Date,
  options: CheckTargetsOptions,
): Promise<{ results: Map<Pending, TargetResult>; catalogs: CatalogSource[]; notices: string[] }> {
  const strict = options.strict ?? false;
  // A misspelt region fails its targets before anything is asked of it; a region without offerings data says so.
  const notices: string[] = [];
  const regionNotice = (await provider.checkRegion?.())?.notice;
  if (regionNotice !== undefined) notices.push(regionNotice);
  // What each target names that the provider must look up: not what its image or flavor file gave.
  const imageRefOf = (item: Pending) => (item.image ? undefined : item.request.image);
  const typeRefOf = (item: Pending) => (item.flavor ? undefined : item.request.type);
  const imageRefs: string[] = [];
  const typeRefs: string[] = [];
  const fileImages = imagesOf(items);
  for (const item of items) {
    const imageRef = imageRefOf(item);
    const typeRef = typeRefOf(item);
    if (imageRef) imageRefs.push(imageRef);
    if (typeRef !== undefined) typeRefs.push(typeRef);
  }
  fileImages.push(...known.images);
  const results = new Map<Pending, TargetResult>();
  // Offline, "not in the catalog" or "not in an image file" says nothing about the cloud: the target is unverifiable.
  const kind = provider.catalogSource.kind;
  const offline = (options.offline ?? false) || kind === 'embedded' || kind === 'snapshot' || kind === 'file';

  const misplaced = misplacedZones(items, await provider.region());
  if (strict && misplaced.size > 0) throw [...misplaced.values()][0];
  const zones: string[] = [];
  for (const item of items) if (item.request.availabilityZones !== undefined && !misplaced.has(item)) zones.push(...item.request.availabilityZones);

  const fileFlavors = known.flavors?.flavors ?? [];
  const facts = await resolveFacts(provider, imageRefs, fileImages, typeRefs, { keepGoing: !strict, zones, fileTypes: fileFlavors });
  const problems = facts.unknown;
  // Flavor files are read as `openstack`: a Rackspace group takes their flavors as its own.
  const asGroup = (flavor: FlavorFacts): FlavorFacts => (flavor.provider === provider.id ? flavor : { ...flavor, provider: provider.id as FlavorFacts['provider'] });
  const fromFiles = new Set<MachineTypeFacts>(fileFlavors);

  const pairs = new Pairs();
  let usedFiles = false;
  // Every requirements target of the group is judged against one listing of the region.
  let selectable: Promise<CandidateTypes> | undefined;
  // The requirements engine and its selection facts load only for a group that has such a target (not on a pair's start-up path).
  const selectableTypes = () => (selectable ??= requirementsEngine().then(({ typesToSelectFrom }) => typesToSelectFrom(provider)));
  for (const item of items) {
    const imageRef = imageRefOf(item);
    const typeRef = typeRefOf(item);
    if (misplaced.has(item)) {
      results.set(item, failed(item, misplaced.get(item)!));
      continue;
    }
    const imageProblem = imageRef !== undefined && problems.size > 0 ? problems.get(`image:${imageRef}`) : undefined;
    const problem = imageProblem ?? (typeRef !== undefined && problems.size > 0 ? problems.get(`type:${typeRef}`) : undefined);
    if (problem) {
      // Live, an image the credentials cannot see looks exactly like one that does not exist (EC2 answers
      // InvalidAMIID.NotFound for a private AMI not shared with the account): unverifiable, not invalid.
      const cannotTell =
        problem.code === 'ImageNotFound' ||
        (offline && (problem.kind === 'usage' || problem.code === 'InstanceTypeNotFound' || problem.code === 'FlavorNotFound'));
      const lookup = imageProblem ? { offline, kind: 'image' as const, ref: imageRef! } : { offline, kind: 'type' as const, ref: typeRef! };
      results.set(item, cannotTell ? unverifiable(item, lookupCause(problem, lookup), options.onUnverifiable ?? 'warning') : failed(item, problem));
      continue;
    }
    const image = item.image ?? facts.images.get(imageRef!)!;
    const launch: LaunchOptions = item.request.launch ?? NO_LAUNCH_OPTIONS;
    if (item.flavor === undefined && typeRef === undefined) {
      results.set(item, await judgeRequirements(await selectableTypes(), item, image, facts.region, now, options));
      continue;
    }
    const type = item.flavor ? asGroup(item.flavor) : facts.types.get(typeRef!)!;
    if (item.flavor !== undefined || fromFiles.has(type)) usedFiles = true;
    const requested = item.request.availabilityZones;
    if (requested?.length) notices.push(...unjudgedZones(requested, facts, provider.catalogSource));
    const ref = typeRef ?? machineTypeRef(type);
    const pair = pairs.of(image, type, ref, requested, launch, () => {
      const zones = zonePlacement(requested, facts.zones, ref);
      return lint({ image, type, region: facts.region, offeredInRegion: facts.offered?.has(ref), zones, launch, now });
    });
    const result: TargetResult = { target: targetOf(item, facts.region, image.id), verdict: 'pass', imageName: image.name, findings: pair.findings };
    results.set(item, result);
    pair.results.push(result);
  }
  const hints = await addAlternatives(provider, pairs.all, facts.region, now);
  pairs.giveFindings();
  const catalogs = [...(usedFiles ? [flavorFileSource(known.flavors!.files)] : []), ...(hints ? [hints] : [])];
  return { results, catalogs, notices: [...new Set(notices)] };
}

/** The images the targets' image files gave, in target order. */
function imagesOf(items: readonly Pending[]): ImageFacts[] {
  const images: ImageFacts[] = [];
  for (const item of items) if (item.image) images.push(item.image);
  return images;
}

/** AWS targets pinned to a zone that cannot be in the region (a zone name of another region): their input errors. */
function misplacedZones(items: readonly Pending[], region: string): Map<Pending, InputError> {
  const misplaced = new Map<Pending, InputError>();
  for (const item of items) {
    if (item.request.provider !== 'aws' || !item.request.availabilityZones?.length) continue;
    const outside = (item.request.availabilityZones ?? []).flatMap((zone) => zoneOutsideRegion(zone, region) ?? []);
    if (outside.length === 0) continue;
    const hint = `aws ec2 describe-availability-zones --region ${region} lists its zone names and IDs`;
    misplaced.set(item, new InputError('UnknownAvailabilityZone', outside.join('; '), { hint }));
  }
  return misplaced;
}

/** Notices for requested zones whose offerings are not known (the rule then stays silent about them). */
function unjudgedZones(requested: readonly string[] | undefined, facts: ResolvedFacts, catalog: CatalogSource): string[] {
  if (requested === undefined || requested.length === 0) return [];
  // No region offerings either: the region's own notice says why.
  if (facts.zones === undefined) return facts.offered === undefined ? [] : [`${requested.join(', ')} (${facts.region}): availability zones not judged: ${catalog.description} has no zone offerings`];
  const covered = facts.zones.zones;
  return requested.flatMap((zone) =>
    covered === undefined || covered.has(zone)
      ? []
      : [`${zone} (${facts.region}): availability zone not judged: ${facts.zones!.notJudged?.(zone) ?? 'the catalog has no offerings for it'}`],
  );
}

/** The launch options of a target that sets none (one object for all: nothing changes them). */
const NO_LAUNCH_OPTIONS: LaunchOptions = Object.freeze({});

/**
 * The distinct pairs of a group, each judged once: a plan's thousands of targets name a few dozen image x type
 * pairs. A pair is the image and type (as objects: two files may describe one ID differently), the type as the target
 * names it (its region offering is looked up by that name), the zones the launch is pinned to and the launch options.
 */
interface Pair {
  image: ImageFacts;
  type: MachineTypeFacts;
  /** The zones the targets are pinned to; undefined or empty when not pinned. */
  zones: readonly string[] | undefined;
  launch: LaunchOptions;
  /** The pair's findings, fix hints added by {@link addAlternatives}. */
  findings: Finding[];
  /** The results of the targets that name the pair. */
  results: TargetResult[];
}

class Pairs {
  readonly all: Pair[] = [];
  private readonly byFacts = new Map<ImageFacts, Map<MachineTypeFacts, Map<string, Pair>>>();

  /** The pair, judged with `judge` the first time it is named. */
  of(image: ImageFacts, type: MachineTypeFacts, ref: string, zones: readonly string[] | undefined, launch: LaunchOptions, judge: () => Finding[]): Pair {
    let byType = this.byFacts.get(image);
    if (byType === undefined) this.byFacts.set(image, (byType = new Map()));
    let byPlacement = byType.get(type);
    if (byPlacement === undefined) byType.set(type, (byPlacement = new Map()));
    const key = zones?.length || launch !== NO_LAUNCH_OPTIONS ? `${ref}\u0000${(zones ?? []).join(',')}\u0000${JSON.stringify(launch)}` : ref;
    let pair = byPlacement.get(key);
    if (pair === undefined) {
      pair = { image, type, zones, launch, findings: judge(), results: [] };
      byPlacement.set(key, pair);
      this.all.push(pair);
    }
    return pair;
  }

  /** Gives every result its own copy of its pair's findings (the first result keeps the pair's own), as if each were judged alone. */
  giveFindings(): void {
    for (const { findings, results } of this.all) {
      for (let index = 1; index < results.length; index += 1) {
        results[index]!.findings = findings.map((finding) => (finding.alternatives === undefined ? { ...finding } : { ...finding, alternatives: [...finding.alternatives] }));
      }
    }
  }
}

const requirementsEngine = () => import('./instance-requirements.js');

/** A target whose types come from instance requirements: judged on every type they select (rule `instance-requirements`). */
async function judgeRequirements(
  candidates: CandidateTypes,
  item: Pending,
  image: ImageFacts,
  region: string,
  now: Date,
  options: CheckTargetsOptions,
): Promise<TargetResult> {
  if (image.provider !== 'aws') throw new Error('instance requirements are an AWS construct');
  const { checkInstanceRequirements } = await requirementsEngine();
  const verdict = checkInstanceRequirements(image, item.request.instanceRequirements!, candidates, region, item.request.launch ?? {}, now);
  if ('unverifiable' in verdict) return unverifiable(item, requirementsCause(verdict.unverifiable, verdict.fix), options.onUnverifiable ?? 'warning');
  return { target: targetOf(item, region, image.id), verdict: 'pass', imageName: image.name, findings: verdict.findings };
}

const curedByOtherType = new Set(rules.filter((rule) => rule.curedByOtherType).map((rule) => rule.id));

/**
 * Adds the nearest compatible types of the region's catalog to every finding another type would cure. The fix names
 * the types only: the catalog they came from is returned, and the report lists it once.
 * @returns the catalog the suggestions came from, when any were needed.
 */
async function addAlternatives(provider: Provider, pairs: readonly Pair[], region: string, now: Date): Promise<CatalogSource | undefined> {
  const needing = pairs.filter(({ findings }) => findings.some((f) => f.severity === 'error' && curedByOtherType.has(f.ruleId)));
  if (needing.length === 0) return undefined;
  const candidates = await provider.candidateTypes();
  const types = [...candidates.types];
  const noun = provider.id === 'aws' ? 'instance type' : 'flavor';
  // Many pairs of a manifest or plan share an image: the catalog is judged once per image and placement, and ranked
  // once per requested type.
  const judged = new Map<string, ReturnType<typeof typeRanking>>();
  const ranked = new Map<string, MachineTypeFacts[]>();
  for (const { image, type, zones: pinned, launch, findings } of needing) {
    const requested = pinned?.length ? pinned : undefined;
    const zones = requested ? { zones: { requested, offerings: candidates.zones } } : {};
    const scope = { region, offered: candidates.offered, ...zones, launch, now };
    const placement = `${image.id}\u0000${JSON.stringify(scope.launch)}\u0000${(requested ?? []).join(',')}`;
    const key = `${placement}\u0000${machineTypeRef(type)}`;
    let alternatives = ranked.get(key);
    if (alternatives === undefined) {
      let ranking = judged.get(placement);
      if (ranking === undefined) judged.set(placement, (ranking = typeRanking(compatibleTypes(image, types, scope))));
      ranked.set(key, (alternatives = ranking(type)));
    }
    const note =
      alternatives.length > 0
        ? `${noun}s that can run it: ${alternatives.map(label).join(', ')}`
        : `no ${noun} in the catalog can run this image`;
    for (const finding of findings) {
      if (finding.severity !== 'error' || !curedByOtherType.has(finding.ruleId)) continue;
      finding.alternatives = alternatives.map(machineTypeRef);
      finding.fix = `${finding.fix}; ${note}`;
    }
  }
  return candidates.source;
}

/** How a suggested type is named in a fix: the instance type; the flavor ID with its name (`7 (15GB Standard Instance)`). */
function label(type: MachineTypeFacts): string {
  return type.provider === 'aws' || type.name === type.id ? machineTypeRef(type) : `${type.id} (${type.name})`;
}

function uniqueCatalogs(catalogs: readonly CatalogSource[]): CatalogSource[] {
  const seen = new Map(catalogs.map((catalog) => [JSON.stringify(catalog), catalog]));
  return [...seen.values()];
}
