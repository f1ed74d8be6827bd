import type { AwsImageFacts, BootMode } from '../model/index.js';
import { createRule } from './rule.js';

const LEGACY_BIOS: readonly BootMode[] = ['legacy-bios'];
const UEFI: readonly BootMode[] = ['uefi'];
const UEFI_THEN_LEGACY_BIOS: readonly BootMode[] = ['uefi', 'legacy-bios'];

/**
 * The boot modes an image will use on a type that offers them, in EC2's order of preference: its documented
 * defaulting. One constant list per answer: `violates` runs for every type of a catalog and allocates nothing.
 */
function effectiveBootModes(image: AwsImageFacts): readonly BootMode[] {
  switch (image.bootMode) {
    case 'legacy-bios':
      return LEGACY_BIOS;
    case 'uefi':
      return UEFI;
    case 'uefi-preferred':
      return UEFI_THEN_LEGACY_BIOS;
    default:
      // Absent BootMode: uefi on Graviton (arm64), legacy-bios on Intel/AMD (AWS UserGuide, ami-boot-mode.html).
      // Apple silicon Macs (arm64_mac) are not Graviton; every mac type lists only legacy-bios.
      return image.architecture === 'arm64' ? UEFI : LEGACY_BIOS;
  }
}

/** Whether the type offers one of `modes` (a loop, not `some` with a closure: no allocation per call). */
function offersOneOf(offered: readonly BootMode[], modes: readonly BootMode[]): boolean {
  for (let index = 0; index < modes.length; index += 1) if (offered.includes(modes[index]!)) return true;
  return false;
}

/**
 * AMI `BootMode` vs the type's `SupportedBootModes`. An AMI without BootMode boots the type's default
 * (uefi on Graviton, legacy-bios on Intel/AMD); `uefi-preferred` falls back to legacy-bios, so it never fails.
 */
export const bootMode = createRule({
  id: 'boot-mode',
  severity: 'error',
  summary: 'The image boots only with UEFI (or only legacy BIOS) and the instance type offers only the other.',
  curedByOtherType: true,
  // On a type of another architecture the boot-mode default is moot: the architecture rule reports it.
  aws: {
    violates: ({ image, type }) => type.architectures.includes(image.architecture) && !offersOneOf(type.bootModes, effectiveBootModes(image)),
    explain({ image, type }) {
      const imageMode = effectiveBootModes(image)[0]!;
      const described = image.bootMode ? `has BootMode ${image.bootMode}` : `has no BootMode, so it boots ${imageMode} (the ${image.architecture} default)`;
      return {
        message: `AMI ${image.id} ${described}; ${type.name} supports only ${type.bootModes.join(', ')}`,
        // EC2 publishes a text only for the UEFI-on-legacy case; a legacy-BIOS AMI on a UEFI-only type is
        // always arm64 today, where the architecture error comes first.
        providerError:
          imageMode === 'uefi'
            ? {
                code: 'InvalidParameterValue',
                message: `The ${type.name} instance type does not support an AMI with a boot mode of UEFI. Only instance types built on the Nitro System support UEFI. Specify an instance type that supports UEFI, and try again.`,
              }
            : undefined,
        fix:
          imageMode === 'uefi'
            ? 'Use an instance type built on the Nitro System (it supports UEFI), or register the AMI with --boot-mode uefi-preferred so it can fall back to legacy BIOS'
            : 'Use an instance type that supports legacy BIOS, or register the AMI with --boot-mode uefi or uefi-preferred if its OS boots with UEFI',
      };
    },
  },
});
