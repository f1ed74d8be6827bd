import type { OpenStackImageFacts } from '../model/index.js';
import { createRule } from './rule.js';

/**
 * `flavor_classes` Rackspace applies to images that carry none (CHECKMATE's defaults by `vm_mode`; its
 * `!performace2` typo is corrected): PV images need a class without HVM-only hardware.
 */
const DEFAULT_FLAVOR_CLASSES: Record<string, string> = {
  metal: 'onmetal',
  hvm: '*,!onmetal',
  xen: '*,!io1,!memory1,!compute1,!performance2,!onmetal',
};
const WINDOWS_OR_UNKNOWN_DEFAULT = '*,!onmetal';

/** The list that applies and whether it was read or inferred. Base images without the key are unrestricted. */
function effectiveFlavorClasses(image: OpenStackImageFacts): { list: string; inferred: boolean } | undefined {
  if (image.flavorClasses !== undefined) return { list: image.flavorClasses, inferred: false };
  if (image.imageType !== 'snapshot' && image.baseImageRef === undefined) return undefined;
  const list = image.vmMode !== undefined ? DEFAULT_FLAVOR_CLASSES[image.vmMode.toLowerCase()] : WINDOWS_OR_UNKNOWN_DEFAULT;
  return { list: list ?? WINDOWS_OR_UNKNOWN_DEFAULT, inferred: true };
}

type Verdict = 'allowed' | 'denied' | 'not-listed' | 'contradictory';

/** Entries split on `,` and trimmed; negation wins over a listing (CHECKMATE), empty means no restriction. */
function judge(list: string, flavorClass: string): Verdict {
  const entries = list.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  if (entries.length === 0) return 'allowed';
  const negated = entries.includes(`!${flavorClass}`);
  if (negated) return entries.includes(flavorClass) ? 'contradictory' : 'denied';
  return entries.includes(flavorClass) || entries.includes('*') ? 'allowed' : 'not-listed';
}

/** Rackspace's image property `flavor_classes` against the flavor's `extra_specs.class`. */
export const flavorClass = createRule({
  id: 'flavor-class',
  severity: 'error',
  summary: "The image's flavor_classes (Rackspace) exclude the flavor's class: \"Image cannot be built with provided flavor\".",
  curedByOtherType: true,
  variableSeverity: true,
  openstackProviders: ['rackspace'],
  openstack: {
    violates({ image, type }) {
      if (type.flavorClass === undefined) return false;
      const classes = effectiveFlavorClasses(image);
      return classes !== undefined && judge(classes.list, type.flavorClass) !== 'allowed';
    },
    explain({ image, type }) {
      const classes = effectiveFlavorClasses(image)!;
      const verdict = judge(classes.list, type.flavorClass!);
      const source = classes.inferred
        ? `has no flavor_classes (a ${image.imageType ?? 'derived'} image); inferred from vm_mode ${image.vmMode ?? '(none)'}: "${classes.list}"`
        : `has flavor_classes "${classes.list}"${image.flavorClassesFrom === 'base-image' ? ` (from its base image ${image.baseImageRef})` : ''}`;
      const why = {
        denied: `which excludes class ${type.flavorClass}`,
        'not-listed': `which does not list class ${type.flavorClass}`,
        contradictory: `which both lists and excludes class ${type.flavorClass} (the exclusion wins here; Heat would accept it)`,
        allowed: '',
      }[verdict];
      return {
        // The one input where the public implementations disagree: report it, but do not fail the build on it.
        ...(verdict === 'contradictory' ? { severity: 'warning' as const } : {}),
        message: `Image ${image.id} ${source}, ${why}; flavor ${type.id} is class ${type.flavorClass}${classes.inferred ? ' (verdict inferred)' : ''}`,
        // Rackspace documents the text; the status is what Nova returns for every create-time validation error.
        providerError: { code: '400', message: 'Image cannot be built with provided flavor', inferred: true },
        fix: 'Use a flavor of a class the image allows, or an image built for this class (PVHVM for compute1, memory1 and io1; an OnMetal image for onmetal)',
      };
    },
  },
});
