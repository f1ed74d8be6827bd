import { UsageError } from '../errors.js';
import type { TargetRequest } from '../model/index.js';
import type { CheckOptions } from './check.js';

/** What a flag-style request names (the fields of {@link CheckOptions} that name targets): every image is checked against every instance type or flavor. */
export type FlagTargets = Pick<CheckOptions, 'provider' | 'image' | 'imageFile' | 'type' | 'flavor' | 'flavorFile' | 'region' | 'launch'>;

/** A flag-style value (one string, a list, or nothing) as a list. */
export function asList(value: string | readonly string[] | undefined): string[] {
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
    ...asList(options.imageFile).map((imageFile) => ({ imageFile })),
    ...[...new Set(asList(options.image))].map((image) => ({ image })),
  ];
  const named = [...new Set([...asList(options.type), ...asList(options.flavor)])];
  if (images.length === 0) {
    const example = provider === 'aws' ? '--image ami-... or --image-file describe-images.json' : '--image <id|name> or --image-file image.json';
    throw new UsageError('no image given', { hint: `pass ${example}` });
  }
  const flavorFiles = [...new Set(asList(options.flavorFile))];
  if (named.length === 0 && flavorFiles.length > 0 && provider === 'aws') {
    throw new UsageError('--flavor-file describes OpenStack flavors, not AWS instance types', {
      hint: 'pass --type for AWS, or add --provider openstack (or rackspace)',
    });
  }
  // Without a named type, the flavor files are the types: every flavor in them.
  const types: ({ type: string } | { flavorFile: string })[] =
    named.length > 0 ? named.map((type) => ({ type })) : flavorFiles.map((flavorFile) => ({ flavorFile }));
  if (types.length === 0) {
    const [what, flag] =
      provider === 'aws' ? ['instance type', '--type, e.g. --type t3.micro'] : ['flavor', '--flavor, e.g. --flavor general1-1, or --flavor-file flavor.json'];
    throw new UsageError(`no ${what} given`, { hint: `pass ${flag}` });
  }
  return images.flatMap((image) =>
    types.map((type) => ({ provider, region: options.region, ...image, ...type, ...(options.launch ? { launch: options.launch } : {}) })),
  );
}

