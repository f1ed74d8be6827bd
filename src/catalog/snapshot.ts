import * as z from 'zod/mini';
import { unknownReferencesError, type Provider, type ZoneOfferings } from '../../providers/provider.js';
import { machineTypeRef } from '../engine/alternatives.js';
import { InputError, ProviderApiError, UsageError } from '../errors.js';
import { parseJsonText, readTextFile, type FileErrors } from '../input/json-file.js';
import { MachineTypeFacts, ProviderId, type CatalogSource, type FlavorFacts, type ImageFacts } from '../model/index.js';
import { INDEPENDENTLY_MAPPED_REGIONS, isZoneId } from './aws-regions.js';
import { formatZodError } from '../model/zod-issues.js';
import { writeFileAtomically } from './cache.js';
import { closeMatchesFor, didYouMean, listNames } from './close-matches.js';
import { findFlavor } from './flavor-lookup.js';
import { fileImagesOrThrow, findFileImages } from './image-lookup.js';

/**
 * Catalog snapshots: a provider's full machine type catalog for one region, pulled once with
 * `imglint catalog pull` and checked against later with `--catalog <file>`, so an air-gapped CI job checks
 * against the real catalog of a known date without credentials or network. The file is JSON, one machine type per
 * line, sorted, so it diffs well when committed.
 */

/** The version of the snapshot format (`imglintSnapshot`). */
export const SNAPSHOT_FORMAT = 1;

/** A catalog snapshot file. */
export const CatalogSnapshot = z.object({
  /** Format version: {@link SNAPSHOT_FORMAT}. */
  imglintSnapshot: z.literal(SNAPSHOT_FORMAT),
  provider: ProviderId,
  region: z.string().check(z.minLength(1)),
  /** When the catalog was fetched (ISO 8601, UTC). */
  fetchedAt: z.iso.datetime(),
  /** The live source (`EC2 API (us-east-1)`, `Nova API (IAD)`). */
  source: z.string(),
  /** Every machine type of the region, sorted by instance type name or flavor id. */
  machineTypes: z.array(MachineTypeFacts).check(z.minLength(1)),
  /** Instance types offered in the region (AWS), sorted; absent where every listed type is offered (OpenStack). */
  offered: z.optional(z.array(z.string())),
  /**
   * Instance types offered in each availability zone (AWS), by zone name (`us-east-1a`, as the pulling account maps
   * it) and by zone ID (`use1-az1`), each list sorted; absent in snapshots without zone offerings.
   */
  zones: z.optional(z.record(z.string(), z.array(z.string()))),
});
export type CatalogSnapshot = z.infer<typeof CatalogSnapshot>;

const pullHint = (provider = 'aws', region = 'us-east-1') =>
  `create it with \`imglint catalog pull --provider ${provider} --region ${region} --out <file>\``;

const FILE_ERRORS: FileErrors = {
  unreadable: 'UnreadableCatalogFile',
  malformed: 'MalformedCatalogFile',
  what: 'the catalog snapshot',
  hint: pullHint(),
};

/**
 * Reads and validates a snapshot file.
 *
 * @param path - the file, as the user wrote it (used verbatim in messages).
 * @throws InputError `UnreadableCatalogFile` (cannot read), `MalformedCatalogFile` (not JSON, with line and
 *   column), `InvalidCatalogFile` (naming the field, e.g. `snap.json: machineTypes[3].memoryMiB: expected number`).
 */
export async function readSnapshot(path: string): Promise<CatalogSnapshot> {
  return parseSnapshot(await readTextFile(path, FILE_ERRORS), path);
}

/**
 * Parses the text of a snapshot file (pure: no I/O).
 *
 * @param text - the file's content.
 * @param path - the file name to put in messages.
 * @throws InputError `MalformedCatalogFile` or `InvalidCatalogFile`, as {@link readSnapshot}.
 */
export function parseSnapshot(text: string, path: string): CatalogSnapshot {
  const json = parseJsonText(text, path, FILE_ERRORS);
  const format = (json as { imglintSnapshot?: unknown } | null)?.imglintSnapshot;
  if (typeof format === 'number' && format > SNAPSHOT_FORMAT) {
    throw new InputError('InvalidCatalogFile', `${path}: catalog snapshot format ${format} is newer than this imglint reads (${SNAPSHOT_FORMAT})`, {
      hint: 'upgrade imglint, or pull the snapshot again with this version',
    });
  }
  const result = CatalogSnapshot.safeParse(json, { reportInput: true });
  if (!result.success) throw invalid(path, formatZodError(result.error));
  const snapshot = result.data;
  const stray = snapshot.machineTypes.findIndex((facts) => facts.provider !== snapshot.provider);
  if (stray >= 0) {
    const got = snapshot.machineTypes[stray]!.provider;
    throw invalid(path, `machineTypes[${stray}].provider: expected ${snapshot.provider}, the snapshot's provider (got "${got}")`);
  }
  if (snapshot.provider !== 'aws' && (snapshot.offered !== undefined || snapshot.zones !== undefined)) {
    throw invalid(path, `${snapshot.offered !== undefined ? 'offered' : 'zones'}: only AWS snapshots list offerings (every ${snapshot.provider} flavor listed is offered)`);
  }
  return snapshot;
}

function invalid(path: string, detail: string): InputError {
  return new InputError('InvalidCatalogFile', `${path}: not an imglint catalog snapshot: ${detail}`, { hint: FILE_ERRORS.hint });
}

/**
 * Writes a snapshot atomically (temporary file, then rename), one machine type per line.
 *
 * @throws the file system's error.
 */
export async function writeSnapshot(path: string, snapshot: CatalogSnapshot): Promise<void> {
  const list = (items: readonly unknown[]) =>
    items.length === 0 ? '[]' : `[\n${items.map((item) => `    ${JSON.stringify(item)}`).join(',\n')}\n  ]`;
  const byZone = (zones: Record<string, string[]>) =>
    `{\n${Object.entries(zones).map(([zone, types]) => `    ${JSON.stringify(zone)}: ${JSON.stringify(types)}`).join(',\n')}\n  }`;
  const fields = Object.entries(snapshot)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => {
      const text = Array.isArray(value) ? list(value) : key === 'zones' ? byZone(value as Record<string, string[]>) : JSON.stringify(value);
      return `  ${JSON.stringify(key)}: ${text}`;
    });
  await writeFileAtomically(path, `{\n${fields.join(',\n')}\n}\n`);
}

/**
 * Pulls a provider's full catalog for its region: `listMachineTypes` and, where the provider has them,
 * `listOfferings` and `listZoneOfferings`, in parallel.
 *
 * @param provider - a live provider.
 * @param options.now - the clock (tests).
 * @returns the snapshot; `fetchedAt` is when the listing started.
 * @throws UsageError when the provider cannot list its machine types; ProviderApiError `EmptyCatalog` when it
 *   lists none; the provider's errors.
 */
export async function pullCatalog(provider: Provider, options: { now?: () => Date } = {}): Promise<CatalogSnapshot> {
  if (provider.listMachineTypes === undefined) {
    throw new UsageError(`the ${provider.id} provider cannot list its machine types`, { hint: 'pull from the live provider' });
  }
  const region = await provider.region();
  const fetchedAt = (options.now ?? (() => new Date()))().toISOString();
  const [types, offered, zones] = await Promise.all([provider.listMachineTypes(), provider.listOfferings?.(), provider.listZoneOfferings?.()]);
  if (types.length === 0) {
    throw new ProviderApiError('EmptyCatalog', `${provider.catalogSource.description} listed no machine types in ${region}`, {
      hint: 'check the region, and AWS_ENDPOINT_URL / OS_AUTH_URL if they point at an emulator',
    });
  }
  return {
    imglintSnapshot: SNAPSHOT_FORMAT,
    provider: provider.id,
    region,
    fetchedAt,
    source: provider.catalogSource.description,
    machineTypes: [...types].sort((a, b) => compare(machineTypeRef(a), machineTypeRef(b))),
    ...(offered !== undefined ? { offered: [...offered].sort(compare) } : {}),
    ...(zones !== undefined && zones.size > 0
      ? { zones: Object.fromEntries([...zones.keys()].sort(compare).map((zone) => [zone, [...zones.get(zone)!].sort(compare)])) }
      : {}),
  };
}

/** Options for {@link createSnapshotProvider}. */
export interface SnapshotProviderOptions {
  /** The snapshot file (`--catalog`). */
  path: string;
  /** Images read from `--image-file`s: a snapshot holds no images. */
  images?: readonly ImageFacts[];
  /** `--provider`, when given: a snapshot of another provider is a `UsageError`. */
  provider?: ProviderId;
  /** `--region`, when given: a snapshot of another region is a `UsageError`. */
  region?: string;
}

/**
 * A {@link Provider} answering from a snapshot file, the way the embedded providers answer from theirs:
 *
 * - `describeMachineTypes` resolves instance type names (AWS) or flavor ids, else names (exact, then ignoring
 *   case), and throws `InputError` `InstanceTypeNotFound` / `FlavorNotFound` naming every unknown one as
 *   "not in the snapshot <path> of <date>", with close names as a hint.
 * - `offeredMachineTypes` answers from the snapshot's `offered` list (`undefined` without one); `zoneOfferings` from
 *   its `zones` (the zones it lists are judged by ID, and by name where AWS maps names alike in every account: not
 *   in the regions of {@link INDEPENDENTLY_MAPPED_REGIONS}, where the names are the pulling account's).
 * - `candidateTypes` is every type of the snapshot.
 * - `describeImages` answers only from `images`; anything else is a `UsageError`.
 * - `catalogSource` is `{ kind: 'snapshot', description: <path>, dataAsOf: <date fetched>, fetchedAt }`.
 *
 * @throws what {@link readSnapshot} throws; UsageError when the snapshot's provider or region is not the one asked for.
 */
export async function createSnapshotProvider(options: SnapshotProviderOptions): Promise<Provider> {
  const { path } = options;
  const snapshot = await readSnapshot(path);
  const mismatch = (what: string, theirs: string, ours: string) =>
    new UsageError(`${path} is a catalog snapshot of ${what} ${theirs}, not ${ours}`, {
      hint: `pass --${what} ${theirs}, or ${pullHint(options.provider ?? snapshot.provider, options.region ?? snapshot.region)}`,
    });
  if (options.provider !== undefined && options.provider !== snapshot.provider) throw mismatch('provider', snapshot.provider, options.provider);
  if (options.region !== undefined && options.region.toLowerCase() !== snapshot.region.toLowerCase()) {
    throw mismatch('region', snapshot.region, options.region);
  }
  const date = snapshot.fetchedAt.slice(0, 10);
  const source: CatalogSource = { kind: 'snapshot', description: path, dataAsOf: date, fetchedAt: snapshot.fetchedAt };
  const types = snapshot.machineTypes;
  const offered = snapshot.offered && new Set(snapshot.offered);
  const images = options.images ?? [];
  const aws = snapshot.provider === 'aws';

  const byKey = new Map(types.map((facts) => [machineTypeRef(facts), facts]));
  const zoneSets = snapshot.zones && new Map(Object.entries(snapshot.zones).map(([zone, names]) => [zone, new Set(names)]));
  // Where AWS maps zone names per account, the snapshot's names are its puller's: a run in another account would
  // judge another physical zone. Only zone IDs are judged there, as offline.
  const judgesNames = !(aws && INDEPENDENTLY_MAPPED_REGIONS.has(snapshot.region));
  const judged = zoneSets && [...zoneSets].filter(([zone]) => judgesNames || isZoneId(zone));
  const zoneOfferings: ZoneOfferings | undefined = judged && {
    zones: new Set(judged.map(([zone]) => zone)),
    offering: (type) => new Set(judged.flatMap(([zone, names]) => (names.has(type) ? [zone] : []))),
    notJudged: (zone) =>
      zoneSets!.has(zone)
        ? `zone names in ${snapshot.region} map to physical zones differently in each AWS account, and the snapshot ${path} holds the names of the account that pulled it, so only zone IDs are judged from it: pass the zone ID (aws ec2 describe-availability-zones --region ${snapshot.region}), or check live`
        : `the snapshot ${path} lists no offerings for ${zone} (its zones: ${[...zoneSets!.keys()].join(', ')})`,
  };

  /** Instance type name; flavor id, then name, then either ignoring case (as Nova and the embedded catalog do). */
  function find(ref: string): MachineTypeFacts | undefined {
    const exact = byKey.get(ref);
    if (exact !== undefined || aws) return exact;
    // No flavor has the id `ref` (byKey would have it): findFlavor goes on to the names, then to either ignoring case.
    return findFlavor(types as FlavorFacts[], ref);
  }

  const candidates = types.map((facts) => (facts.provider === 'aws' ? ([facts.name, []] as const) : ([facts.id, [facts.name]] as const)));

  function notFound(unknown: readonly string[], matches: ReadonlyMap<string, string[]>): InputError {
    const suggestions = unknown.flatMap((ref) => didYouMean(ref, matches.get(ref) ?? [], unknown.length > 1));
    const noun = aws ? 'instance type' : 'flavor';
    const label = `Unknown ${noun}${unknown.length > 1 ? 's' : ''}`;
    return new InputError(aws ? 'InstanceTypeNotFound' : 'FlavorNotFound', `${label} ${listNames(unknown)}: not in the snapshot ${path} of ${date}.`, {
      hint: [
        ...suggestions,
        `Check the spelling, or pull a fresh snapshot (${noun}s added after ${date} are not in it): ${pullHint(snapshot.provider, snapshot.region)}.`,
      ].join(' '),
    });
  }

  return {
    id: snapshot.provider,
    catalogSource: source,
    region: () => Promise.resolve(snapshot.region),

    async describeImages(refs) {
      return fileImagesOrThrow(
        findFileImages(images, refs, { names: !aws }),
        (missing) =>
          new UsageError(`A catalog snapshot holds machine types, not images: cannot look up ${missing.join(', ')}.`, {
            hint: 'Pass the image with --image-file (describe-images or `openstack image show -f json` output), or run without --catalog.',
          }),
      );
    },

    async describeMachineTypes(refs) {
      const found = new Map<string, MachineTypeFacts>();
      const unknown: string[] = [];
      for (const ref of new Set(refs)) {
        const facts = find(ref);
        if (facts) found.set(ref, facts);
        else unknown.push(ref);
      }
      if (unknown.length > 0) {
        const matches = closeMatchesFor(unknown, candidates);
        throw unknownReferencesError(unknown, found, (refs) => notFound(refs, matches));
      }
      return found;
    },

    async offeredMachineTypes(refs) {
      return offered && new Set(refs.filter((name) => offered.has(name)));
    },

    ...(aws && {
      async zoneOfferings(refs: readonly string[]) {
        return { offered: offered && new Set(refs.filter((name) => offered.has(name))), zones: zoneOfferings };
      },
    }),

    async candidateTypes() {
      return { types, offered, ...(zoneOfferings && { zones: zoneOfferings }), source };
    },
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
