import type { Architecture } from '../model/index.js';
import { createRule } from './rule.js';

/** The architecture EC2 names for a type in its error text: the 64-bit one when the type also runs i386. */
function primaryArchitecture(architectures: readonly Architecture[]): Architecture {
  return architectures.find((arch) => arch !== 'i386') ?? architectures[0]!;
}

/** AMI `Architecture` vs the type's `ProcessorInfo.SupportedArchitectures`. */
export const architecture = createRule({
  id: 'architecture',
  severity: 'error',
  summary: 'The image architecture (i386, x86_64, arm64, x86_64_mac, arm64_mac) is not one the instance type runs.',
  curedByOtherType: true,
  aws: {
    violates: ({ image, type }) => !type.architectures.includes(image.architecture),
    explain({ image, type }) {
      const typeArch = primaryArchitecture(type.architectures);
      return {
        message: `AMI ${image.id} is ${image.architecture}; ${type.name} runs only ${type.architectures.join(', ')}`,
        providerError: {
          code: 'InvalidParameterValue',
          message: `The architecture '${typeArch}' of the specified instance type does not match the architecture '${image.architecture}' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again. You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.`,
        },
        fix: `Use the ${typeArch} build of the image, or an instance type that runs ${image.architecture}`,
      };
    },
  },
});
