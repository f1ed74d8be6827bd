import { UsageError } from '../errors.js';
import type { LaunchOptions, ProviderId, TargetRequest } from '../model/index.js';

/** What a flag-style request names: every image is checked against every instance type or flavor. */
export interface FlagTargets {
  provider?: ProviderId;
  /** Images to look up (AMI IDs; Glance image IDs or names). */
  image?: string | readonly string[];
  /** Image description files. */
  imageFile?: string | readonly string[];
  /** Instance type names, or flavor IDs or names. */
  type?: string | readonly string[];
  /** Alias of `type`. */
  flavor?: string | readonly string[];
  region?: string;
  launch?: LaunchOptions;
}

function list(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
}

/**
 * The image x type pairs a flag-style request names, as target requests (`imglint check --image ... --type ...`,
 * the library's `check()`).
 *
 * @throws UsageError when no image or no type is given.
 */
export function targetsOf(options: FlagTargets): TargetRequest[] {
  const provider = options.provider ?? 'aws';
  const images = [
    ...list(options.imageFile).map((imageFile) => ({ imageFile })),
    ...[...new Set(list(options.image))].map((image) => ({ image })),
  ];
  const types = [...new Set([...list(options.type), ...list(options.flavor)])];
  if (images.length === 0) {
    const example = provider === 'aws' ? '--image ami-... or --image-file describe-images.json' : '--image <id|name> or --image-file image.json';
    throw new UsageError('no image given', { hint: `pass ${example}` });
  }
  if (types.length === 0) {
    const [what, flag] = provider === 'aws' ? ['instance type', '--type, e.g. --type t3.micro'] : ['flavor', '--flavor, e.g. --flavor general1-1'];
    throw new UsageError(`no ${what} given`, { hint: `pass ${flag}` });
  }
  return images.flatMap((image) =>
    types.map((type) => ({ provider, region: options.region, ...image, type, ...(options.launch ? { launch: options.launch } : {}) })),
  );
}

