import { createRule } from './rule.js';

const DOCS = 'http://docs.aws.amazon.com/AWSEC2/latest/UserGuide/virtualization_types.html';

/** AMI `VirtualizationType` vs the type's `SupportedVirtualizationTypes`. */
export const virtualizationType = createRule({
  id: 'virtualization-type',
  severity: 'error',
  providers: ['aws'],
  summary: 'The image is paravirtual (PV) or HVM and the instance type does not support that virtualization type.',
  curedByOtherType: true,
  violates: ({ image, type }) => !type.virtualizationTypes.includes(image.virtualizationType),
  explain({ image, type }) {
    const supported = type.virtualizationTypes.join(', ');
    const wanted = image.virtualizationType === 'paravirtual' ? 'hvm' : 'paravirtual';
    return {
      message: `AMI ${image.id} is ${image.virtualizationType}; ${type.name} supports only ${supported}`,
      // EC2 answers with one text per direction; the second is from the PV-only era (no such types are left).
      providerError:
        image.virtualizationType === 'paravirtual'
          ? {
              code: 'InvalidParameterCombination',
              message: `Virtualization type 'hvm' is required for instances of type '${type.name}'. Ensure that you are using an AMI with virtualization type 'hvm'. For more information, see ${DOCS}`,
            }
          : {
              code: 'InvalidParameterCombination',
              message: "Non-Windows instances with a virtualization type of 'hvm' are currently not supported for this instance type.",
            },
      fix: `Use ${wanted === 'hvm' ? 'an HVM' : 'a paravirtual'} build of the same OS, or an instance type that supports ${image.virtualizationType}`,
    };
  },
});
