import { createRule } from './rule.js';

/** AMI `TpmSupport = v2.0` needs a type with `NitroTpmSupport = supported` that boots UEFI. */
export const nitroTpm = createRule({
  id: 'nitro-tpm',
  severity: 'error',
  summary: 'The image requires NitroTPM (TpmSupport v2.0) and the instance type has no NitroTPM or no UEFI.',
  curedByOtherType: true,
  aws: {
    // On a type of another architecture the architecture rule reports the pair; EC2 checks that first.
    violates: ({ image, type }) =>
      image.tpmSupport && type.architectures.includes(image.architecture) && !(type.nitroTpm && type.bootModes.includes('uefi')),
    explain({ image, type }) {
      const lacks = type.nitroTpm ? 'does not boot UEFI, which NitroTPM needs' : 'has no NitroTPM (NitroTpmSupport is unsupported)';
      return {
        message: `AMI ${image.id} has TpmSupport v2.0; ${type.name} ${lacks}`,
        // AWS documents the prerequisite but publishes no error text for this launch.
        providerError: undefined,
        fix: 'Use an instance type with NitroTPM support (NitroTpmSupport: supported), or register the AMI without --tpm-support',
      };
    },
  },
});
