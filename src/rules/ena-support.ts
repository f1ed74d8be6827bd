import { createRule } from './rule.js';

/** AMI `EnaSupport` vs the type's `NetworkInfo.EnaSupport = required` (every Nitro type). */
export const enaSupport = createRule({
  id: 'ena-support',
  severity: 'error',
  summary: 'The instance type requires the Elastic Network Adapter (ENA) and the image is not flagged ENA-enabled.',
  curedByOtherType: true,
  aws: {
    violates: ({ image, type }) => type.enaSupport === 'required' && !image.enaSupport,
    explain({ image, type }) {
      return {
        message: `AMI ${image.id} is not ENA-enabled (EnaSupport is false or absent); ${type.name} requires ENA`,
        providerError: {
          code: 'InvalidParameterCombination',
          message: `Enhanced networking with the Elastic Network Adapter (ENA) is required for the '${type.name}' instance type. Ensure that you are using an AMI that is enabled for ENA.`,
        },
        fix: 'Install the ENA driver in the image, enable the attribute on a stopped instance (aws ec2 modify-instance-attribute --ena-support) and create a new AMI from it; or use an instance type that does not require ENA',
      };
    },
  },
});
