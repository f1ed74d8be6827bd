import type * as z from 'zod/mini';
import { ProviderApiError, UsageError, type ImglintError } from '../../src/errors.js';
import type { CatalogSource, ImageFacts, MachineTypeFacts } from '../../src/model/index.js';
import { formatZodError } from '../../src/model/zod-issues.js';
import { DEFAULT_PROVIDER_TIMEOUT_MS, unknownReferencesError, withUnknownReferences, type Provider } from '../provider.js';
import { createEc2Client, loadEc2Sdk, type Ec2ClientLike } from './ec2-client.js';
import { imageNotFound, instanceTypeNotFound, malformedImageId, providerErrorFromAws } from './errors.js';
import { imageFactsFromEc2, machineTypeFactsFromEc2 } from './normalize.js';
import { selectionFactsFromEc2 } from './selection-facts.js';
import { Ec2Image } from './image-schema.js';
import { Ec2InstanceTypeInfo } from './instance-type-schema.js';

/** Values per filter: EC2's general limit (`FilterLimitExceeded` above it), so also AMI IDs per DescribeImages call. */
const FILTER_VALUES_PER_CALL = 200;
/** Names per DescribeInstanceTypes call: its largest page (`MaxResults` 5-100), so one filtered call is one page. */
const INSTANCE_TYPES_PER_CALL = 100;
/** What EC2 accepts as an AMI ID (anything else is `InvalidAMIID.Malformed`); a filter would also read `*` and `?`. */
const AMI_ID = /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
/** Filter values are patterns (`*`, `?`); no instance type name has them, so such a name is never sent. */
const FILTER_WILDCARD = /[*?]/;

/** Images per DescribeImages page when listing an owner's images: the API's maximum `MaxResults`. */
const IMAGES_PER_PAGE = 1000;
/** Instance types per DescribeInstanceTypes page when listing the region's types: the API's maximum `MaxResults`. */
const INSTANCE_TYPES_PER_PAGE = 100;
/** Offerings per DescribeInstanceTypeOfferings page when listing the region's offerings: the API's maximum. */
const OFFERINGS_PER_PAGE = 1000;
/** `Owners` values {@link Provider.listImages} accepts: `self`, `amazon`, or an AWS account ID. */
const IMAGE_OWNER = /^(?:self|amazon|\d{12})$/;

const regionHint = 'pass --region, or set AWS_REGION (or a region in the AWS_PROFILE profile of the shared credentials or config file)';

/** Options for {@link createAwsProvider}. */
export interface AwsProviderOptions {
  /** The user's `--region`. Absent: the client's region (`AWS_REGION`, then the profile's `region`). */
  region?: string;
  /**
   * An EC2 client to use instead of creating one (an `EC2Client` from `@aws-sdk/client-ec2`, or anything with the
   * same `send` and `config.region`). When both are given, `region` is only used in messages: the client's own
   * region decides where requests go. The commands sent through it come from imglint's own copy of the SDK, so the
   * client should come from a compatible `@aws-sdk/client-ec2` version.
   */
  client?: Ec2ClientLike;
  /**
   * Ends every request when it aborts: the whole run's time limit (`--timeout`), shared by every provider of a run.
   * Absent: a limit of `timeoutMs` from the first call.
   */
  signal?: AbortSignal;
  /**
   * Milliseconds for the whole provider's calls (default {@link DEFAULT_PROVIDER_TIMEOUT_MS}): the limit itself when no
   * `signal` is given, else the limit `signal` stands for (for messages).
   */
  timeoutMs?: number;
  /** Milliseconds per attempt of one request (default 10,000); tests shorten it. */
  attemptTimeoutMs?: number;
  /** `--debug`: one line per request and the SDK's warnings, redacted. */
  debug?: (line: string) => void;
}

/**
 * The AWS provider: EC2 `DescribeImages`, `DescribeInstanceTypes` and `DescribeInstanceTypeOfferings`, batched,
 * validated with zod and normalized to facts. Nothing is loaded or sent until a method is called; the SDK is loaded
 * on the first call that needs a client. A check of one image and one type costs exactly three API calls.
 *
 * Images and types are looked up with filters (`image-id`, `instance-type`), which never fail on an unknown ID but
 * return fewer results: what EC2 does not return is unknown, so one call of each kind answers for every target,
 * whatever it names. EC2's documented semantics keep the answers those of a lookup by ID: with neither `Owners`
 * nor `ExecutableUsers`, DescribeImages covers every AMI the account may launch (public, its own, shared with it
 * or its organization); `IncludeDeprecated` keeps deprecated AMIs (listings hide them, lookups by ID do not; public
 * AMIs deprecate after two years), `IncludeDisabled` disabled ones (reported by image-state);
 * `IncludeUnsupportedInRegion` keeps instance types the region does not support, so they reach
 * instance-type-offering instead of looking unknown. A malformed AMI ID (EC2's `InvalidAMIID.Malformed` for
 * `ImageIds`, silently nothing in a filter) is recognized here and never sent.
 *
 * Errors: `UsageError` when no region resolves; `InputError` `ImageNotFound` / `MalformedImageId` /
 * `InstanceTypeNotFound` for names EC2 does not know, carrying each name's own error and the facts found (see
 * `withUnknownReferences`); `ProviderApiError` `AuthFailure` | `Throttled` | `Network` | `Timeout` | `Redirect` |
 * `ServiceError` | `MalformedResponse` otherwise (see `errors.ts`).
 *
 * @param options - region and/or an injected client.
 * @returns a {@link Provider} with id `aws`.
 */
export function createAwsProvider(options: AwsProviderOptions = {}): Provider {
  let client: Promise<Ec2ClientLike> | undefined = options.client && Promise.resolve(options.client);
  let resolvedRegion = options.region;
  let regionPromise: Promise<string> | undefined;
  let signal = options.signal;
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS;

  const ec2 = (): Promise<Ec2ClientLike> =>
    (client ??= createEc2Client({ region: options.region, attemptTimeoutMs: options.attemptTimeoutMs, debug: options.debug }));

  const region = (): Promise<string> => (regionPromise ??= resolveRegion());

  /** Sends one command within the run's time limit; every failure becomes one of imglint's errors. */
  async function send<T>(operation: string, command: unknown): Promise<T> {
    signal ??= AbortSignal.timeout(timeoutMs);
    const runSignal = signal;
    const sender = await ec2();
    try {
      return (await sender.send(command as never, { abortSignal: runSignal })) as T;
    } catch (error) {
      if (runSignal.aborted) throw runTimedOut(operation, timeoutMs, error);
      throw providerErrorFromAws(error, operation);
    }
  }

  async function resolveRegion(): Promise<string> {
    if (options.region) return options.region;
    const { config } = await ec2(); // outside the try: failing to load the SDK is not a region problem
    let found: string | undefined;
    try {
      found = await config.region();
    } catch (error) {
      throw new UsageError('No AWS region is configured', { hint: regionHint, cause: error });
    }
    if (!found) throw new UsageError('No AWS region is configured', { hint: regionHint });
    resolvedRegion = found;
    return found;
  }

  return {
    id: 'aws',
    region,
    get catalogSource(): CatalogSource {
      return { kind: 'live', description: resolvedRegion ? `EC2 API (${resolvedRegion})` : 'EC2 API' };
    },

    /** The embedded catalog: listing every type live would cost 10+ DescribeInstanceTypes pages per check. */
    async candidateTypes() {
      const { loadAwsCatalog } = await import('../../src/catalog/aws-embedded.js');
      const catalog = await loadAwsCatalog();
      const where = await region();
      const zones = catalog.zoneOfferings(where);
      return { types: catalog.types.values(), offered: catalog.offeredIn(where), ...(zones && { zones }), source: catalog.source };
    },

    /** Live, a region the AWS SDK lists or that is shaped like a newer one is EC2's to judge; a misspelt one is refused. */
    async checkRegion() {
      const { awsRegionStatus } = await import('../../src/catalog/aws-regions.js');
      await awsRegionStatus(await region());
      return {};
    },

    async describeImages(ids) {
      const wanted = unique(ids);
      const facts = new Map<string, ImageFacts>();
      if (wanted.length === 0) return facts;
      const where = await region();
      const wellFormed = wanted.filter((id) => AMI_ID.test(id));
      const { DescribeImagesCommand } = await loadEc2Sdk();
      for (const chunk of chunks(wellFormed, FILTER_VALUES_PER_CALL)) {
        await forEachPage('DescribeImages', async (NextToken) => {
          const page = await send<{ Images?: unknown[]; NextToken?: string }>(
            'DescribeImages',
            new DescribeImagesCommand({
              Filters: [{ Name: 'image-id', Values: chunk }],
              IncludeDeprecated: true,
              IncludeDisabled: true,
              MaxResults: IMAGES_PER_PAGE,
              NextToken,
            }),
          );
          return { items: listIn(page.Images, 'DescribeImages', 'imagesSet'), nextToken: page.NextToken };
        }, (raw, index) => {
          const image = parseResponseItem(Ec2Image, raw, 'DescribeImages', ['Images', index], (raw as { ImageId?: string }).ImageId);
          facts.set(image.ImageId, imageFactsFromEc2(image, where));
        });
      }
      const found = pick(facts, wanted);
      const malformed = wanted.filter((id) => !AMI_ID.test(id));
      // Not returned: deregistered, never existed, in another region, or not shared with this account.
      const missing = wellFormed.filter((id) => !facts.has(id));
      if (malformed.length === 0 && missing.length === 0) return found;
      const unknown = new Map<string, ImglintError>([
        ...malformed.map((id) => [id, malformedImageId([id])] as const),
        ...missing.map((id) => [id, imageNotFound([id], where)] as const),
      ]);
      throw withUnknownReferences(malformed.length > 0 ? malformedImageId(malformed) : imageNotFound(missing, where), unknown, found);
    },

    async listImages(owner) {
      if (!IMAGE_OWNER.test(owner)) {
        throw new UsageError(`Cannot list the images of '${owner}': an owner is self, amazon or a 12-digit account ID`, {
          hint: 'pass --owner self (your account), --owner amazon, or --owner 123456789012',
        });
      }
      const where = await region();
      const { DescribeImagesCommand } = await loadEc2Sdk();
      const listed: ImageFacts[] = [];
      await forEachPage('DescribeImages', async (NextToken) => {
        const page = await send<{ Images?: unknown[]; NextToken?: string }>(
          'DescribeImages',
          new DescribeImagesCommand({ Owners: [owner], MaxResults: IMAGES_PER_PAGE, NextToken }),
        );
        return { items: listIn(page.Images, 'DescribeImages', 'imagesSet'), nextToken: page.NextToken };
      }, (raw, index) => {
        const image = parseResponseItem(Ec2Image, raw, 'DescribeImages', ['Images', index], (raw as { ImageId?: string }).ImageId);
        listed.push(imageFactsFromEc2(image, where));
      });
      return listed;
    },

    async describeMachineTypes(names) {
      const wanted = unique(names);
      const facts = new Map<string, MachineTypeFacts>();
      if (wanted.length === 0) return facts;
      const where = await region();
      const { DescribeInstanceTypesCommand } = await loadEc2Sdk();
      for (const chunk of chunks(wanted.filter((name) => !FILTER_WILDCARD.test(name)), INSTANCE_TYPES_PER_CALL)) {
        await forEachPage('DescribeInstanceTypes', async (NextToken) => {
          const page = await send<{ InstanceTypes?: unknown[]; NextToken?: string }>(
            'DescribeInstanceTypes',
            new DescribeInstanceTypesCommand({
              Filters: [{ Name: 'instance-type', Values: chunk }],
              IncludeUnsupportedInRegion: true,
              MaxResults: INSTANCE_TYPES_PER_CALL,
              NextToken,
            }),
          );
          return { items: listIn(page.InstanceTypes, 'DescribeInstanceTypes', 'instanceTypeSet'), nextToken: page.NextToken };
        }, (raw, index) => {
          const info = parseResponseItem(
            Ec2InstanceTypeInfo,
            raw,
            'DescribeInstanceTypes',
            ['InstanceTypes', index],
            (raw as { InstanceType?: string }).InstanceType,
          );
          facts.set(info.InstanceType, machineTypeFactsFromEc2(info));
        });
      }
      const found = pick(facts, wanted);
      const missing = wanted.filter((name) => !facts.has(name));
      if (missing.length > 0) throw unknownReferencesError(missing, found, (refs) => instanceTypeNotFound(refs, where));
      return found;
    },

    /** Every instance type of the region, with its selection facts: DescribeInstanceTypes without names, 100 per page (10+ pages). */
    async listMachineTypes() {
      await region();
      const { DescribeInstanceTypesCommand } = await loadEc2Sdk();
      const listed: MachineTypeFacts[] = [];
      await forEachPage('DescribeInstanceTypes', async (NextToken) => {
        const page = await send<{ InstanceTypes?: unknown[]; NextToken?: string }>(
          'DescribeInstanceTypes',
          new DescribeInstanceTypesCommand({ MaxResults: INSTANCE_TYPES_PER_PAGE, NextToken }),
        );
        return { items: listIn(page.InstanceTypes, 'DescribeInstanceTypes', 'instanceTypeSet'), nextToken: page.NextToken };
      }, (raw, index) => {
        const info = parseResponseItem(Ec2InstanceTypeInfo, raw, 'DescribeInstanceTypes', ['InstanceTypes', index], (raw as { InstanceType?: string }).InstanceType);
        // The listing feeds attribute-based selection: its facts come from this answer, not the embedded catalog.
        const selection = selectionFactsFromEc2(raw);
        listed.push({ ...machineTypeFactsFromEc2(info), ...(selection && { selection }) });
      });
      return listed;
    },

    /** Every instance type offered in the region: DescribeInstanceTypeOfferings, LocationType region, no filter. */
    async listOfferings() {
      await region();
      const { DescribeInstanceTypeOfferingsCommand } = await loadEc2Sdk();
      const offered = new Set<string>();
      await forEachPage('DescribeInstanceTypeOfferings', async (NextToken) => {
        const page = await send<{ InstanceTypeOfferings?: { InstanceType?: string }[]; NextToken?: string }>(
          'DescribeInstanceTypeOfferings',
          new DescribeInstanceTypeOfferingsCommand({ LocationType: 'region', MaxResults: OFFERINGS_PER_PAGE, NextToken }),
        );
        return { items: listIn(page.InstanceTypeOfferings, 'DescribeInstanceTypeOfferings', 'instanceTypeOfferingSet'), nextToken: page.NextToken };
      }, (offering) => {
        if (typeof offering.InstanceType === 'string') offered.add(offering.InstanceType);
      });
      return offered;
    },

    /**
     * DescribeInstanceTypeOfferings with LocationType `availability-zone` (zone names) and/or `availability-zone-id`
     * (zone IDs), filtered by the types: one call per kind (per 200 types), which also answers for the region (a type
     * is offered in the region when one of its Availability Zones offers it; Local Zones do not count).
     */
    async zoneOfferings(names, zones) {
      const wanted = unique(names);
      const where = await region();
      const { isZoneId } = await import('../../src/catalog/aws-regions.js');
      const kinds = [...new Set(zones.map((zone) => (isZoneId(zone) ? ('availability-zone-id' as const) : ('availability-zone' as const))))];
      const offering = new Map<string, Set<string>>(wanted.map((name) => [name, new Set<string>()]));
      const offered = new Set<string>();
      const regionZone = (zone: string) => (zone.length === where.length + 1 && zone.startsWith(where)) || /^[a-z]+\d+-az\d+$/.test(zone);
      const { DescribeInstanceTypeOfferingsCommand } = await loadEc2Sdk();
      for (const LocationType of kinds) {
        for (const chunk of chunks(wanted, FILTER_VALUES_PER_CALL)) {
          await forEachPage('DescribeInstanceTypeOfferings', async (NextToken) => {
            const page = await send<{ InstanceTypeOfferings?: ZoneOffering[]; NextToken?: string }>(
              'DescribeInstanceTypeOfferings',
              new DescribeInstanceTypeOfferingsCommand({ LocationType, Filters: [{ Name: 'instance-type', Values: chunk }], NextToken }),
            );
            return { items: listIn(page.InstanceTypeOfferings, 'DescribeInstanceTypeOfferings', 'instanceTypeOfferingSet'), nextToken: page.NextToken };
          }, ({ InstanceType, Location }: ZoneOffering) => {
            if (typeof InstanceType !== 'string' || typeof Location !== 'string') return;
            offering.get(InstanceType)?.add(Location);
            if (regionZone(Location)) offered.add(InstanceType);
          });
        }
      }
      return {
        offered: new Set(wanted.filter((name) => offered.has(name))),
        zones: { zones: undefined, offering: (type: string) => offering.get(type) ?? new Set<string>() },
      };
    },

    /** Every instance type of every zone: DescribeInstanceTypeOfferings pages by zone name, then by zone ID. */
    async listZoneOfferings() {
      await region();
      const { DescribeInstanceTypeOfferingsCommand } = await loadEc2Sdk();
      const byZone = new Map<string, Set<string>>();
      for (const LocationType of ['availability-zone', 'availability-zone-id'] as const) {
        await forEachPage('DescribeInstanceTypeOfferings', async (NextToken) => {
          const page = await send<{ InstanceTypeOfferings?: ZoneOffering[]; NextToken?: string }>(
            'DescribeInstanceTypeOfferings',
            new DescribeInstanceTypeOfferingsCommand({ LocationType, MaxResults: OFFERINGS_PER_PAGE, NextToken }),
          );
          return { items: listIn(page.InstanceTypeOfferings, 'DescribeInstanceTypeOfferings', 'instanceTypeOfferingSet'), nextToken: page.NextToken };
        }, ({ InstanceType, Location }: ZoneOffering) => {
          if (typeof InstanceType !== 'string' || typeof Location !== 'string') return;
          byZone.set(Location, (byZone.get(Location) ?? new Set()).add(InstanceType));
        });
      }
      return byZone;
    },

    async offeredMachineTypes(names) {
      const wanted = unique(names);
      const offered = new Set<string>();
      if (wanted.length === 0) return offered;
      await region();
      const { DescribeInstanceTypeOfferingsCommand } = await loadEc2Sdk();
      for (const chunk of chunks(wanted, FILTER_VALUES_PER_CALL)) {
        await forEachPage('DescribeInstanceTypeOfferings', async (NextToken) => {
          const page = await send<{ InstanceTypeOfferings?: { InstanceType?: string }[]; NextToken?: string }>(
            'DescribeInstanceTypeOfferings',
            new DescribeInstanceTypeOfferingsCommand({
              LocationType: 'region',
              Filters: [{ Name: 'instance-type', Values: chunk }],
              NextToken,
            }),
          );
          return { items: listIn(page.InstanceTypeOfferings, 'DescribeInstanceTypeOfferings', 'instanceTypeOfferingSet'), nextToken: page.NextToken };
        }, (offering) => {
          if (typeof offering.InstanceType === 'string') offered.add(offering.InstanceType);
        });
      }
      return new Set(wanted.filter((name) => offered.has(name)));
    },
  };
}

/**
 * Fetches pages until EC2 stops returning a `NextToken`, handing each item (with its index in its page) to
 * `onItem`. A token that repeats would loop forever: that is a `MalformedResponse`.
 */
async function forEachPage<T>(
  operation: string,
  fetchPage: (nextToken: string | undefined) => Promise<{ items: T[]; nextToken: string | undefined }>,
  onItem: (item: T, index: number) => void,
): Promise<void> {
  const seen = new Set<string>();
  let nextToken: string | undefined;
  do {
    const page = await fetchPage(nextToken);
    page.items.forEach(onItem);
    nextToken = page.nextToken || undefined;
    if (nextToken !== undefined) {
      if (seen.has(nextToken)) {
        throw new ProviderApiError('MalformedResponse', `EC2 ${operation} repeated a NextToken; stopping`, {
          hint: 'check AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_EC2: the endpoint does not page like EC2',
        });
      }
      seen.add(nextToken);
    }
  } while (nextToken !== undefined);
}

/** One entry of `DescribeInstanceTypeOfferings` by zone: the type and the zone name or zone ID. */
interface ZoneOffering {
  InstanceType?: string;
  Location?: string;
}

/**
 * The list of an EC2 answer. EC2 always sends the set element (`<imagesSet/>` when empty, which the SDK reads as
 * `[]`); an answer without it is not EC2's and must not read as "nothing found".
 */
function listIn<T>(items: T[] | undefined, operation: string, element: string): T[] {
  if (items !== undefined) return items;
  throw new ProviderApiError('MalformedResponse', `malformed response from EC2 ${operation}: the answer has no <${element}>`, {
    hint: 'check AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_EC2 if you set one: the endpoint does not answer like EC2',
  });
}

/** The run's time limit ran out during `operation`: a `Timeout`, whatever the SDK made of the abort. */
function runTimedOut(operation: string, limitMs: number, cause: unknown): ProviderApiError {
  return new ProviderApiError('Timeout', `EC2 ${operation} did not finish within ${limitMs / 1000} s, the time limit of this run`, {
    hint: 'raise it with --timeout <seconds>, or check the network and AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_EC2',
    cause,
  });
}

/** Validates one item of an EC2 response; a mismatch is the provider's fault and names the field. */
function parseResponseItem<S extends z.ZodMiniType>(
  schema: S,
  raw: unknown,
  operation: string,
  path: readonly PropertyKey[],
  label: string | undefined,
): z.infer<S> {
  const result = schema.safeParse(raw, { reportInput: true });
  if (result.success) return result.data;
  const about = label ? ` for ${label}` : '';
  throw new ProviderApiError(
    'MalformedResponse',
    `EC2 ${operation} returned data imglint cannot use${about}: ${formatZodError(result.error, path)}`,
    { hint: 'if AWS_ENDPOINT_URL points at an EC2 emulator, it may omit fields real EC2 sends' },
  );
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function chunks<T>(values: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

/** The facts of `keys` that are known, in the order of `keys`. */
function pick<T>(facts: Map<string, T>, keys: readonly string[]): Map<string, T> {
  return new Map(keys.flatMap((key) => (facts.has(key) ? [[key, facts.get(key)!] as const] : [])));
}
