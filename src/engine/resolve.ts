import type { Ec2ClientLike } from '../../providers/aws/ec2-client.js';
import type { Provider } from '../../providers/provider.js';
import { UsageError } from '../errors.js';
import type { ImageFacts, MachineTypeFacts, ProviderId } from '../model/index.js';

/** What a check needs to know, fetched in as few provider calls as possible. */
export interface ResolvedFacts {
  region: string;
  /** By the reference the user gave (ID, or name on OpenStack). */
  images: Map<string, ImageFacts>;
  /** By the reference the user gave (instance type name, flavor ID or name). */
  types: Map<string, MachineTypeFacts>;
  /** Offered subset of the requested types; undefined when the provider cannot tell. */
  offered: ReadonlySet<string> | undefined;
}

/** How to reach the provider: an embedded catalog (offline) or its API. */
export interface ProviderChoice {
  provider: ProviderId;
  offline: boolean;
  region: string | undefined;
  /** Images read from --image-file, known without asking the provider. */
  fileImages: readonly ImageFacts[];
  /** An EC2 client (from `@aws-sdk/client-ec2`) to use instead of creating one. */
  ec2Client: Ec2ClientLike | undefined;
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

/** Creates the provider adapter; SDKs and HTTP clients are imported only on the paths that use them. */
export async function createProvider(choice: ProviderChoice): Promise<Provider> {
  const { provider, offline, region, fileImages } = choice;
  switch (provider) {
    case 'aws': {
      if (offline) {
        const { createEmbeddedAwsProvider } = await import('../catalog/aws-embedded.js');
        // AWS_REGION as the SDK reads it, else us-east-1, whose offerings the catalog has.
        return createEmbeddedAwsProvider({ region: region ?? process.env.AWS_REGION ?? 'us-east-1', images: onlyAws(fileImages) });
      }
      const { createAwsProvider } = await import('../../providers/aws/index.js');
      return createAwsProvider({ region, client: choice.ec2Client });
    }
    case 'rackspace': {
      if (offline) {
        const { createEmbeddedRackspaceProvider } = await import('../catalog/rackspace-embedded.js');
        const where = region ?? process.env.RAX_REGION ?? process.env.OS_REGION_NAME;
        if (!where) throw new UsageError('--offline needs a region for Rackspace', { hint: 'pass --region IAD (or set RAX_REGION)' });
        return createEmbeddedRackspaceProvider({ region: where, images: onlyOpenStack(fileImages) });
      }
      const { createOpenStackProvider } = await import('../../providers/openstack/index.js');
      return createOpenStackProvider({ provider, region, fileImages: onlyOpenStack(fileImages) });
    }
    case 'openstack': {
      if (offline) {
        throw new UsageError('imglint has no embedded catalog for generic OpenStack clouds', {
          hint: 'run without --offline (OS_AUTH_URL, OS_CLOUD or clouds.yaml), or use --provider rackspace --offline',
        });
      }
      const { createOpenStackProvider } = await import('../../providers/openstack/index.js');
      return createOpenStackProvider({ provider, region, fileImages: onlyOpenStack(fileImages) });
    }
  }
}

function onlyAws(images: readonly ImageFacts[]) {
  return images.filter((image) => image.provider === 'aws');
}

function onlyOpenStack(images: readonly ImageFacts[]) {
  return images.flatMap((image) => (image.provider === 'aws' ? [] : [image]));
}

/**
 * Fetches every image, type and offering the request names: one call of each kind where the provider allows
 * (it chunks past its API limits). Images already read from files are not fetched again.
 */
export async function resolveFacts(
  provider: Provider,
  imageRefs: readonly string[],
  fileImages: readonly ImageFacts[],
  typeRefs: readonly string[],
): Promise<ResolvedFacts> {
  const region = await provider.region();
  const known = new Map(fileImages.map((image) => [image.id, image]));
  const toFetch = [...new Set(imageRefs)].filter((ref) => !known.has(ref));
  const uniqueTypes = [...new Set(typeRefs)];
  const [fetched, types, offered] = await Promise.all([
    toFetch.length > 0 ? provider.describeImages(toFetch) : Promise.resolve(new Map<string, ImageFacts>()),
    provider.describeMachineTypes(uniqueTypes),
    provider.offeredMachineTypes(uniqueTypes),
  ]);
  return { region, images: new Map([...known, ...fetched]), types, offered };
}
