import type { Ec2ClientLike } from '../../providers/aws/ec2-client.js';
import type { FileFlavors } from '../catalog/flavor-files.js';
import { unknownReferencesOf, type Provider, type UnknownReferences, type ZoneOfferings } from '../../providers/provider.js';
import { InputError, UsageError, type ImglintError } from '../errors.js';
import type { FlavorFacts, ImageFacts, MachineTypeFacts, ProviderId } from '../model/index.js';

/** What a check needs to know, fetched in as few provider calls as possible. */
export interface ResolvedFacts {
  region: string;
  /** By the reference the user gave (ID, or name on OpenStack). */
  images: Map<string, ImageFacts>;
  /** By the reference the user gave (instance type name, flavor ID or name). */
  types: Map<string, MachineTypeFacts>;
  /** Offered subset of the requested types; undefined when the provider cannot tell. */
  offered: ReadonlySet<string> | undefined;
  /** Where the requested types are offered among the region's zones, when zones were asked about and are known. */
  zones?: ZoneOfferings;
  /** With `keepGoing`: the error of each unknown reference, by `image:<ref>` or `type:<ref>`; else empty. */
  unknown: ReadonlyMap<string, ImglintError>;
}

/** How to reach the provider: an embedded catalog (offline) or its API. */
export interface ProviderChoice {
  provider: ProviderId;
  offline: boolean;
  region: string | undefined;
  /** Images read from --image-file, known without asking the provider. */
  fileImages: readonly ImageFacts[];
  /**
   * Flavors read from --flavor-file and manifest `flavorFile:`s (Rackspace and OpenStack groups), known without asking
   * the provider; offline they are a generic OpenStack cloud's only catalog.
   */
  fileFlavors?: FileFlavors;
  /** An EC2 client (from `@aws-sdk/client-ec2`) to use instead of creating one. */
  ec2Client: Ec2ClientLike | undefined;
  /** Aborts when the run's provider time limit (`timeoutMs`) is over; shared by every group of a run. */
  signal?: AbortSignal;
  /** The run's provider time limit in milliseconds, for messages (`signal` enforces it). */
  timeoutMs?: number;
  /** `--debug`: where a provider may write one redacted line per request. */
  debug?: (line: string) => void;
}

/**
 * Reads `--image-file`s, each by its shape: `aws ec2 describe-images` output or one EC2 `Image` (PascalCase
 * `Images` / `ImageId`) as an AMI; Glance / Nova JSON (`images`, `image`, `id`, ...) as an OpenStack image; a file of neither shape by `provider`'s reader, for `provider` when it is an OpenStack
 * one (else `openstack`; a Rackspace or OpenStack group takes the image as its own). So one run can check a plan
 * that launches on AWS and on OpenStack.
 */
export async function readImageFiles(provider: ProviderId, files: readonly string[]): Promise<ImageFacts[]> {
  if (files.length === 0) return [];
  const { readTextFile } = await import('../input/json-file.js');
  const read = await Promise.all(
    files.map(async (file) => {
      const text = await readTextFile(file, { unreadable: 'UnreadableImageFile', what: 'the image file', hint: 'pass the JSON `aws ec2 describe-images` or `openstack image show -f json` prints' });
      const head = text.slice(0, 4096);
      const aws = /"(?:Images|ImageId)"\s*:/.test(head) || (provider === 'aws' && !/"(?:images|image|id|disk_format|min_disk)"\s*:/.test(head));
      if (aws) {
        const { parseImageDocument } = await import('../../providers/aws/image-file.js');
        return parseImageDocument(text, file);
      }
      const { parseOpenStackImageDocument } = await import('../../providers/openstack/image-file.js');
      return parseOpenStackImageDocument(text, file, provider === 'aws' ? 'openstack' : provider);
    }),
  );
  return read.flat();
}

/**
 * Reads `--image-file`s that are all images of `provider`'s targets (`imglint matrix`): as {@link readImageFiles}, and
 * an image of the other kind of cloud is refused.
 *
 * @throws InputError `ImageFileOfOtherProvider` (see {@link imageOfOtherProvider}), or what `readImageFiles` throws.
 */
export async function readImageFilesFor(provider: ProviderId, files: readonly string[]): Promise<ImageFacts[]> {
  const read = await Promise.all(
    files.map(async (file) => {
      const images = await readImageFiles(provider, [file]);
      for (const image of images) {
        const mismatch = imageOfOtherProvider(image, provider, file);
        if (mismatch !== undefined) throw mismatch;
      }
      return images;
    }),
  );
  return read.flat();
}

const PROVIDER_NAMES: Record<ProviderId, string> = { aws: 'AWS', rackspace: 'Rackspace', openstack: 'OpenStack' };

/**
 * Why an image read from `file` cannot be the image of a `provider` target, when it is of the other kind of cloud:
 * an EC2 AMI (`aws ec2 describe-images` output) for a Rackspace or OpenStack target, or a Glance / Nova image for an
 * AWS one. The rules of one cloud read facts the other's images do not have, so such a pair would pass unjudged.
 * (A Glance or Nova image says nothing of its OpenStack cloud: it fits Rackspace and OpenStack targets alike.)
 *
 * @returns InputError `ImageFileOfOtherProvider` naming the file, the image and both clouds; `undefined` when the
 *   image fits.
 */
export function imageOfOtherProvider(image: ImageFacts, provider: ProviderId, file: string): InputError | undefined {
  if ((image.provider === 'aws') === (provider === 'aws')) return undefined;
  const described = image.provider === 'aws' ? `an AWS AMI (${image.id})` : `an OpenStack image (${image.id}, Glance or Nova JSON)`;
  const hint =
    provider === 'aws'
      ? `pass the AMI's \`aws ec2 describe-images --image-ids <id>\` output, or check the image against flavors with --provider openstack (or rackspace)`
      : `pass the image's \`openstack image show -f json <id>\` output, or check the AMI against instance types with --provider aws`;
  const against = provider === 'aws' ? 'AWS instance types' : `${PROVIDER_NAMES[provider]} flavors`;
  return new InputError('ImageFileOfOtherProvider', `${file} describes ${described}, but is checked against ${against}`, { hint });
}

/**
 * Reads `--flavor-file`s: `openstack flavor show -f json` output or Nova flavor JSON (one flavor, `{"flavor": ...}`,
 * `{"flavors": [...]}`), as `openstack` flavors (a Rackspace group takes them as its own, like image files).
 *
 * @throws InputError `UnreadableFlavorFile`, `MalformedFlavorFile`, `InvalidFlavorFile`, `EmptyFlavorFile`.
 */
export async function readFlavorFiles(files: readonly string[]): Promise<FlavorFacts[]> {
  if (files.length === 0) return [];
  const { readOpenStackFlavorFile } = await import('../../providers/openstack/flavor-file.js');
  return (await Promise.all(files.map((file) => readOpenStackFlavorFile(file, 'openstack')))).flat();
}

/** Creates the provider adapter; SDKs and HTTP clients are imported only on the paths that use them. */
export async function createProvider(choice: ProviderChoice): Promise<Provider> {
  const { provider, offline, region, fileImages } = choice;
  switch (provider) {
    case 'aws': {
      if (offline) {
        const [{ createEmbeddedAwsProvider }, where] = await Promise.all([import('../catalog/aws-embedded.js'), region ?? offlineAwsRegion()]);
        return createEmbeddedAwsProvider({ region: where, images: onlyAws(fileImages) });
      }
      const { createAwsProvider } = await import('../../providers/aws/index.js');
      // The SDK reads AWS_REGION, then the profile's region; AWS_DEFAULT_REGION (the AWS CLI's) comes between them.
      const configured = region ?? (process.env.AWS_REGION ? undefined : process.env.AWS_DEFAULT_REGION || undefined);
      return createAwsProvider({ region: configured, client: choice.ec2Client, signal: choice.signal, timeoutMs: choice.timeoutMs, debug: choice.debug });
    }
    case 'rackspace': {
      if (offline) {
        const { createEmbeddedRackspaceProvider } = await import('../catalog/rackspace-embedded.js');
        const where = region ?? process.env.RAX_REGION ?? process.env.OS_REGION_NAME;
        if (!where) throw new UsageError('--offline needs a region for Rackspace', { hint: 'pass --region IAD (or set RAX_REGION)' });
        return createEmbeddedRackspaceProvider({ region: where, images: onlyOpenStack(fileImages) });
      }
      const { createOpenStackProvider } = await import('../../providers/openstack/index.js');
      return createOpenStackProvider({ provider, region, fileImages: onlyOpenStack(fileImages), signal: choice.signal, timeoutMs: choice.timeoutMs });
    }
    case 'openstack': {
      if (offline) {
        const flavors = choice.fileFlavors;
        if (flavors !== undefined && flavors.flavors.length > 0) {
          const { createFlavorFileProvider } = await import('../catalog/flavor-files.js');
          return createFlavorFileProvider({ provider, region, flavors, images: onlyOpenStack(fileImages) });
        }
        throw new UsageError('imglint has no embedded catalog for generic OpenStack clouds', {
          hint:
            'pass the flavors with --flavor-file (`openstack flavor show -f json <flavor>` output), run without --offline ' +
            '(OS_AUTH_URL, OS_CLOUD or clouds.yaml), or use --provider rackspace --offline',
        });
      }
      const { createOpenStackProvider } = await import('../../providers/openstack/index.js');
      return createOpenStackProvider({ provider, region, fileImages: onlyOpenStack(fileImages), signal: choice.signal, timeoutMs: choice.timeoutMs });
    }
  }
}

/**
 * The region of an offline AWS group that names none, as the live path would take it (`AWS_REGION`, `AWS_DEFAULT_REGION`,
 * the profile's `region` in the shared credentials file, then in the config file; see `configuredAwsRegion`), never a
 * default: the embedded offerings are by region.
 *
 * @throws UsageError `No AWS region is configured`, naming the places read.
 */
async function offlineAwsRegion(): Promise<string> {
  const { configuredAwsRegion, regionSources } = await import('../../providers/aws/configured-region.js');
  const configured = await configuredAwsRegion();
  if (configured !== undefined) return configured.region;
  const { profile, credentialsFile, configFile } = regionSources();
  throw new UsageError('No AWS region is configured', {
    hint:
      'offline, the instance type offerings are judged per region: pass --region (e.g. --region us-east-1), or set ' +
      `AWS_REGION (not empty), AWS_DEFAULT_REGION, or region in profile ${profile} of ${credentialsFile} or ${configFile}`,
  });
}

function onlyAws(images: readonly ImageFacts[]) {
  return images.filter((image) => image.provider === 'aws');
}

function onlyOpenStack(images: readonly ImageFacts[]) {
  return images.flatMap((image) => (image.provider === 'aws' ? [] : [image]));
}

/**
 * Fetches every image, type and offering the request names: one call of each kind where the provider allows
 * (it chunks past its API limits). Images already read from files are not fetched again, nor flavors that
 * `fileTypes` (flavors read from files) answer for (by id, else name: see `findFileFlavor`). With `zones` (the
 * availability zones some targets are pinned to), the offerings come from the provider's zone offerings, which
 * answer for the region too.
 *
 * Unknown references: by default the lookup's error is thrown (naming them). With `keepGoing`, a lookup error that
 * carries {@link UnknownReferences} is recorded per reference in `unknown` (`image:<ref>`, `type:<ref>`) and the
 * other references still resolve; the provider is asked again only for references the error neither found nor
 * rejected (those a cache wrapper answered itself, so no API call), never one by one.
 *
 * @throws the provider's errors; with `keepGoing`, only those that do not say which references are unknown.
 */
export async function resolveFacts(
  provider: Provider,
  imageRefs: readonly string[],
  fileImages: readonly ImageFacts[],
  typeRefs: readonly string[],
  options: { keepGoing?: boolean; zones?: readonly string[]; fileTypes?: readonly FlavorFacts[] } = {},
): Promise<ResolvedFacts> {
  const region = await provider.region();
  const known = new Map(fileImages.map((image) => [image.id, image]));
  const toFetch = [...new Set(imageRefs)].filter((ref) => !known.has(ref));
  const fromFiles = await fileTypesOf([...new Set(typeRefs)], options.fileTypes ?? []);
  const uniqueTypes = [...new Set(typeRefs)].filter((ref) => !fromFiles.has(ref));
  const unknown = new Map<string, ImglintError>();
  const lookUp = <T>(kind: 'image' | 'type', refs: readonly string[], describe: (refs: readonly string[]) => Promise<Map<string, T>>) =>
    options.keepGoing ? lookUpEach(kind, refs, describe, unknown) : describe(refs);
  const [fetched, types, offerings] = await Promise.all([
    toFetch.length > 0 ? lookUp('image', toFetch, (refs) => provider.describeImages(refs)) : Promise.resolve(new Map<string, ImageFacts>()),
    uniqueTypes.length > 0 ? lookUp('type', uniqueTypes, (refs) => provider.describeMachineTypes(refs)) : Promise.resolve(new Map<string, MachineTypeFacts>()),
    offeringsOf(provider, uniqueTypes, options.zones ?? []),
  ]);
  return { region, images: new Map([...known, ...fetched]), types: new Map([...fromFiles, ...types]), ...offerings, unknown };
}

/** The references among `refs` that flavors read from files answer for, with those flavors. */
async function fileTypesOf(refs: readonly string[], flavors: readonly FlavorFacts[]): Promise<Map<string, FlavorFacts>> {
  if (flavors.length === 0) return new Map();
  const { findFileFlavor } = await import('../catalog/flavor-files.js');
  return new Map(refs.flatMap((ref) => {
    const flavor = findFileFlavor(flavors, ref);
    return flavor ? [[ref, flavor] as const] : [];
  }));
}

/**
 * The offerings of `types`: from the provider's zone offerings when targets are pinned to `zones` (they answer for
 * the region too), else its region offerings.
 */
export async function offeringsOf(
  provider: Provider,
  types: readonly string[],
  zones: readonly string[],
): Promise<Pick<ResolvedFacts, 'offered' | 'zones'>> {
  if (zones.length === 0 || provider.zoneOfferings === undefined) return { offered: await provider.offeredMachineTypes(types) };
  const answer = await provider.zoneOfferings(types, [...new Set(zones)]);
  return { offered: answer.offered, ...(answer.zones && { zones: answer.zones }) };
}

/** One batch; when it names unknown references, those are recorded and only what it left unanswered is asked again. */
async function lookUpEach<T>(
  kind: 'image' | 'type',
  refs: readonly string[],
  describe: (refs: readonly string[]) => Promise<Map<string, T>>,
  unknown: Map<string, ImglintError>,
): Promise<Map<string, T>> {
  const found = new Map<string, T>();
  let pending = refs;
  while (pending.length > 0) {
    try {
      for (const [ref, facts] of await describe(pending)) found.set(ref, facts);
      break;
    } catch (error) {
      const details = unknownReferencesOf<T>(error);
      if (details === undefined) throw error;
      for (const [ref, problem] of details.unknown) unknown.set(`${kind}:${ref}`, problem);
      for (const [ref, facts] of details.found) found.set(ref, facts);
      const rest = pending.filter((ref) => !found.has(ref) && !details.unknown.has(ref));
      // An error that names nothing it was asked about would loop: it is the answer for all of them.
      if (rest.length === pending.length) throw error;
      pending = rest;
    }
  }
  return found;
}
