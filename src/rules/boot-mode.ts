import { effectiveBootModes } from '../model/index.js';
import { createRule } from './rule.js';

/**
 * AMI `BootMode` vs the type's `SupportedBootModes`. An AMI without BootMode boots the type's default
 * (uefi on Graviton, legacy-bios on Intel/AMD); `uefi-preferred` falls back to legacy-bios, so it never fails.
 */
export const bootMode = createRule({
  id: 'boot-mode',
  severity: 'error',
  providers: ['aws'],
  summary: 'The image boots only with UEFI (or only legacy BIOS) and the instance type offers only the other.',
  curedByOtherType: true,
  check({ image, type }) {
    // On a type of another architecture the boot-mode default is moot: the architecture rule reports it.
    if (!type.architectures.includes(image.architecture)) return undefined;
    const modes = effectiveBootModes(image);
    if (modes.some((mode) => type.bootModes.includes(mode))) return undefined;
    const imageMode = modes[0]!;
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
});
