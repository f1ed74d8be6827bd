import { createRule } from './rule.js';

/** The type must be offered in the region (`DescribeInstanceTypeOfferings`, location type `region`). */
export const instanceTypeOffering = createRule({
  id: 'instance-type-offering',
  severity: 'error',
  summary: 'The instance type is not offered in the region.',
  curedByOtherType: true,
  aws: {
    violates: ({ offeredInRegion }) => offeredInRegion === false,
    explain({ type, region }) {
      return {
        message: `${type.name} is not offered in ${region}`,
        providerError: {
          code: 'Unsupported',
          message: 'The requested configuration is currently not supported. Please check the documentation for supported configurations.',
        },
        fix: `Launch in a region that offers ${type.name} (aws ec2 describe-instance-type-offerings --filters Name=instance-type,Values=${type.name} --region <r>), or use a type offered in ${region}`,
      };
    },
  },
});
