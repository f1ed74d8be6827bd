import type { Provider } from '../../providers/provider.js';
import { UsageError } from '../errors.js';
import type { ImageFacts, MachineTypeFacts } from '../model/index.js';

/** What a check needs to know, fetched in as few provider calls as possible. */
export interface ResolvedFacts {
  region: string;
  images: Map<string, ImageFacts>;
  types: Map<string, MachineTypeFacts>;
  /** Offered subset of the requested types; undefined when the provider cannot tell. */
  offered: ReadonlySet<string> | undefined;
}

/** How to reach the provider: the embedded catalog (offline) or EC2 through the SDK. */
export interface ProviderChoice {
  offline: boolean;
  region: string | undefined;
  /** Images read from --image-file, known without asking the provider. */
  fileImages: readonly ImageFacts[];
  /** An EC2 client (from `@aws-sdk/client-ec2`) to use instead of creating one. */
  ec2Client: unknown;
}

/** Offline default: AWS_REGION (as the SDK reads it), else us-east-1, whose offerings the catalog has. */
function offlineRegion(region: string | undefined): string {
  return region ?? process.env.AWS_REGION ?? 'us-east-1';
}

/** Creates the provider; the AWS SDK is imported only on the live path. */
export async function createProvider(choice: ProviderChoice): Promise<Provider> {
  if (choice.offline) {
    const { createEmbeddedAwsProvider } = await import('../catalog/aws-embedded.js');
    return createEmbeddedAwsProvider({ region: offlineRegion(choice.region), images: choice.fileImages });
  }
  const { createAwsProvider } = await import('../../providers/aws/index.js');
  return createAwsProvider({ region: choice.region, client: choice.ec2Client as never });
}

/**
 * Fetches every image, type and offering the request names: one call of each kind (the provider chunks
 * past its API limits). Images already read from files are not fetched again.
 */
export async function resolveFacts(
  provider: Provider,
  imageIds: readonly string[],
  fileImages: readonly ImageFacts[],
  typeNames: readonly string[],
): Promise<ResolvedFacts> {
  if (typeNames.length === 0) throw new UsageError('no instance type given', { hint: 'pass --type, e.g. --type t3.micro' });
  const region = await provider.region();
  const known = new Map(fileImages.map((image) => [image.id, image]));
  const toFetch = [...new Set(imageIds)].filter((id) => !known.has(id));
  const uniqueTypes = [...new Set(typeNames)];
  const [fetched, types, offered] = await Promise.all([
    toFetch.length > 0 ? provider.describeImages(toFetch) : Promise.resolve(new Map<string, ImageFacts>()),
    provider.describeMachineTypes(uniqueTypes),
    provider.offeredMachineTypes(uniqueTypes),
  ]);
  return { region, images: new Map([...known, ...fetched]), types, offered };
}
