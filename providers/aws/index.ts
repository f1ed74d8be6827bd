import type { _InstanceType } from '@aws-sdk/client-ec2';
import type * as z from 'zod/mini';
import { ProviderApiError, UsageError } from '../../src/errors.js';
import type { CatalogSource, ImageFacts, MachineTypeFacts } from '../../src/model/index.js';
import { formatZodError } from '../../src/model/zod-issues.js';
import type { Provider } from '../provider.js';
import { createEc2Client, loadEc2Sdk, type Ec2ClientLike } from './ec2-client.js';
import {
  IMAGE_NOT_FOUND_CODES,
  awsErrorCode,
  imageNotFound,
  instanceTypeNotFound,
  namedInAwsMessage,
  providerErrorFromAws,
} from './errors.js';
import { imageFactsFromEc2, machineTypeFactsFromEc2 } from './normalize.js';
import { Ec2Image } from './image-schema.js';
import { Ec2InstanceTypeInfo } from './instance-type-schema.js';

/** AMI IDs per DescribeImages call. The API sets no maximum on `ImageIds`; 1,000 keeps the request body small. */
const IMAGE_IDS_PER_CALL = 1000;
/** Names per DescribeInstanceTypes call: the API's maximum for `InstanceTypes` (`RequestInstanceTypeList`). */
const INSTANCE_TYPES_PER_CALL = 100;
/** Values per filter: EC2's general limit (`FilterLimitExceeded` above it). */
const FILTER_VALUES_PER_CALL = 200;
/** Images per DescribeImages page when listing an owner's images: the API's maximum `MaxResults`. */
const IMAGES_PER_PAGE = 1000;
/** Instance types per DescribeInstanceTypes page when listing the region's types: the API's maximum `MaxResults`. */
const INSTANCE_TYPES_PER_PAGE = 100;
/** Offerings per DescribeInstanceTypeOfferings page when listing the region's offerings: the API's maximum. */
const OFFERINGS_PER_PAGE = 1000;
/** `Owners` values {@link Provider.listImages} accepts: `self`, `amazon`, or an AWS account ID. */
const IMAGE_OWNER = /^(?:self|amazon|\d{12})$/;

const regionHint = 'pass --region, or set AWS_REGION (or a region in the AWS_PROFILE profile)';

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
}

/**
 * The AWS provider: EC2 `DescribeImages`, `DescribeInstanceTypes` and `DescribeInstanceTypeOfferings`, batched,
 * validated with zod and normalized to facts. Nothing is loaded or sent until a method is called; the SDK is loaded
 * on the first call that needs a client. A check of one image and one type costs exactly three API calls.
 *
 * Errors: `UsageError` when no region resolves; `InputError` `ImageNotFound` / `InstanceTypeNotFound` for names EC2
 * does not know; `ProviderApiError` `AuthFailure` | `Throttled` | `Network` | `ServiceError` | `MalformedResponse`
 * otherwise (see `errors.ts`).
 *
 * @param options - region and/or an injected client.
 * @returns a {@link Provider} with id `aws`.
 */
export function createAwsProvider(options: AwsProviderOptions = {}): Provider {
  let client = options.client;
  let resolvedRegion = options.region;
  let regionPromise: Promise<string> | undefined;

  const ec2 = (): Ec2ClientLike => (client ??= createEc2Client({ region: options.region }));

  const region = (): Promise<string> => (regionPromise ??= resolveRegion());

  async function resolveRegion(): Promise<string> {
    if (options.region) return options.region;
    const { config } = ec2(); // outside the try: failing to load the SDK is not a region problem
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
      const { DescribeImagesCommand } = loadEc2Sdk();
      for (const chunk of chunks(wanted, IMAGE_IDS_PER_CALL)) {
        await forEachPage('DescribeImages', async (NextToken) => {
          try {
            // IncludeDisabled: a disabled AMI is then reported by image-state (with its fix), not as unknown.
            const page = await ec2().send(new DescribeImagesCommand({ ImageIds: chunk, IncludeDisabled: true, NextToken }));
            return { items: page.Images ?? [], nextToken: page.NextToken };
          } catch (error) {
            if (IMAGE_NOT_FOUND_CODES.has(awsErrorCode(error) ?? '')) {
              const named = namedInAwsMessage(error, chunk);
              throw imageNotFound(named.length > 0 ? named : chunk, where, error);
            }
            throw providerErrorFromAws(error, 'DescribeImages');
          }
        }, (raw, index) => {
          const image = parseResponseItem(Ec2Image, raw, 'DescribeImages', ['Images', index], raw.ImageId);
          facts.set(image.ImageId, imageFactsFromEc2(image, where));
        });
      }
      // Recently deregistered AMIs come back as an empty result rather than InvalidAMIID.NotFound.
      const missing = wanted.filter((id) => !facts.has(id));
      if (missing.length > 0) throw imageNotFound(missing, where);
      return pick(facts, wanted);
    },

    async listImages(owner) {
      if (!IMAGE_OWNER.test(owner)) {
        throw new UsageError(`Cannot list the images of '${owner}': an owner is self, amazon or a 12-digit account ID`, {
          hint: 'pass --owner self (your account), --owner amazon, or --owner 123456789012',
        });
      }
      const where = await region();
      const { DescribeImagesCommand } = loadEc2Sdk();
      const listed: ImageFacts[] = [];
      await forEachPage('DescribeImages', async (NextToken) => {
        try {
          const page = await ec2().send(new DescribeImagesCommand({ Owners: [owner], MaxResults: IMAGES_PER_PAGE, NextToken }));
          return { items: page.Images ?? [], nextToken: page.NextToken };
        } catch (error) {
          throw providerErrorFromAws(error, 'DescribeImages');
        }
      }, (raw, index) => {
        const image = parseResponseItem(Ec2Image, raw, 'DescribeImages', ['Images', index], raw.ImageId);
        listed.push(imageFactsFromEc2(image, where));
      });
      return listed;
    },

    async describeMachineTypes(names) {
      const wanted = unique(names);
      const facts = new Map<string, MachineTypeFacts>();
      if (wanted.length === 0) return facts;
      const where = await region();
      const { DescribeInstanceTypesCommand } = loadEc2Sdk();
      for (const chunk of chunks(wanted, INSTANCE_TYPES_PER_CALL)) {
        await forEachPage('DescribeInstanceTypes', async (NextToken) => {
          try {
            // The SDK types InstanceTypes as its enum of the names it knew when built; EC2 accepts any string.
            const InstanceTypes = chunk as _InstanceType[];
            const page = await ec2().send(new DescribeInstanceTypesCommand({ InstanceTypes, NextToken }));
            return { items: page.InstanceTypes ?? [], nextToken: page.NextToken };
          } catch (error) {
            // `InvalidInstanceType` lists the unknown names; `InvalidParameterValue` counts only when it names one.
            const code = awsErrorCode(error);
            const named = namedInAwsMessage(error, chunk);
            if (code === 'InvalidInstanceType') {
              throw instanceTypeNotFound(named.length > 0 ? named : chunk, where, error);
            }
            if (code === 'InvalidParameterValue' && named.length > 0) throw instanceTypeNotFound(named, where, error);
            throw providerErrorFromAws(error, 'DescribeInstanceTypes');
          }
        }, (raw, index) => {
          const info = parseResponseItem(
            Ec2InstanceTypeInfo,
            raw,
            'DescribeInstanceTypes',
            ['InstanceTypes', index],
            raw.InstanceType,
          );
          facts.set(info.InstanceType, machineTypeFactsFromEc2(info));
        });
      }
      const missing = wanted.filter((name) => !facts.has(name));
      if (missing.length > 0) throw instanceTypeNotFound(missing, where);
      return pick(facts, wanted);
    },

    /** Every instance type of the region: DescribeInstanceTypes without names, 100 per page (10+ pages). */
    async listMachineTypes() {
      await region();
      const { DescribeInstanceTypesCommand } = loadEc2Sdk();
      const listed: MachineTypeFacts[] = [];
      await forEachPage('DescribeInstanceTypes', async (NextToken) => {
        try {
          const page = await ec2().send(new DescribeInstanceTypesCommand({ MaxResults: INSTANCE_TYPES_PER_PAGE, NextToken }));
          return { items: page.InstanceTypes ?? [], nextToken: page.NextToken };
        } catch (error) {
          throw providerErrorFromAws(error, 'DescribeInstanceTypes');
        }
      }, (raw, index) => {
        const info = parseResponseItem(Ec2InstanceTypeInfo, raw, 'DescribeInstanceTypes', ['InstanceTypes', index], raw.InstanceType);
        listed.push(machineTypeFactsFromEc2(info));
      });
      return listed;
    },

    /** Every instance type offered in the region: DescribeInstanceTypeOfferings, LocationType region, no filter. */
    async listOfferings() {
      await region();
      const { DescribeInstanceTypeOfferingsCommand } = loadEc2Sdk();
      const offered = new Set<string>();
      await forEachPage('DescribeInstanceTypeOfferings', async (NextToken) => {
        try {
          const page = await ec2().send(
            new DescribeInstanceTypeOfferingsCommand({ LocationType: 'region', MaxResults: OFFERINGS_PER_PAGE, NextToken }),
          );
          return { items: page.InstanceTypeOfferings ?? [], nextToken: page.NextToken };
        } catch (error) {
          throw providerErrorFromAws(error, 'DescribeInstanceTypeOfferings');
        }
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
      const { DescribeInstanceTypeOfferingsCommand } = loadEc2Sdk();
      for (const LocationType of kinds) {
        for (const chunk of chunks(wanted, FILTER_VALUES_PER_CALL)) {
          await forEachPage('DescribeInstanceTypeOfferings', async (NextToken) => {
            try {
              const page = await ec2().send(
                new DescribeInstanceTypeOfferingsCommand({ LocationType, Filters: [{ Name: 'instance-type', Values: chunk }], NextToken }),
              );
              return { items: page.InstanceTypeOfferings ?? [], nextToken: page.NextToken };
            } catch (error) {
              throw providerErrorFromAws(error, 'DescribeInstanceTypeOfferings');
            }
          }, ({ InstanceType, Location }) => {
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
      const { DescribeInstanceTypeOfferingsCommand } = loadEc2Sdk();
      const byZone = new Map<string, Set<string>>();
      for (const LocationType of ['availability-zone', 'availability-zone-id'] as const) {
        await forEachPage('DescribeInstanceTypeOfferings', async (NextToken) => {
          try {
            const page = await ec2().send(new DescribeInstanceTypeOfferingsCommand({ LocationType, MaxResults: OFFERINGS_PER_PAGE, NextToken }));
            return { items: page.InstanceTypeOfferings ?? [], nextToken: page.NextToken };
          } catch (error) {
            throw providerErrorFromAws(error, 'DescribeInstanceTypeOfferings');
          }
        }, ({ InstanceType, Location }) => {
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
      const { DescribeInstanceTypeOfferingsCommand } = loadEc2Sdk();
      for (const chunk of chunks(wanted, FILTER_VALUES_PER_CALL)) {
        await forEachPage('DescribeInstanceTypeOfferings', async (NextToken) => {
          try {
            const page = await ec2().send(
              new DescribeInstanceTypeOfferingsCommand({
                LocationType: 'region',
                Filters: [{ Name: 'instance-type', Values: chunk }],
                NextToken,
              }),
            );
            return { items: page.InstanceTypeOfferings ?? [], nextToken: page.NextToken };
          } catch (error) {
            throw providerErrorFromAws(error, 'DescribeInstanceTypeOfferings');
          }
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

function pick<T>(facts: Map<string, T>, keys: readonly string[]): Map<string, T> {
  return new Map(keys.map((key) => [key, facts.get(key) as T]));
}
