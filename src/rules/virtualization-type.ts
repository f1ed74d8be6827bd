import { createRule } from './rule.js';

/** Rackspace classes whose hosts run only PVHVM (`vm_mode: hvm`) images (Cloud Servers docs; CHECKMATE). */
const PVHVM_ONLY_CLASSES = new Set(['compute1', 'memory1', 'io1', 'performance2']);

const DOCS = 'http://docs.aws.amazon.com/AWSEC2/latest/UserGuide/virtualization_types.html';

/**
 * AMI `VirtualizationType` vs the type's `SupportedVirtualizationTypes`; on Rackspace, a PV image (`vm_mode: xen`)
 * on a class that runs only PVHVM, whatever the image's `flavor_classes` say.
 */
export const virtualizationType = createRule({
  id: 'virtualization-type',
  severity: 'error',
  summary: 'The image is paravirtual (PV) or HVM and the instance type or flavor class does not run that virtualization type.',
  curedByOtherType: true,
  aws: {
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
  },
  openstackProviders: ['rackspace'],
  openstack: {
    violates: ({ image, type }) =>
      image.vmMode?.toLowerCase() === 'xen' && type.flavorClass !== undefined && PVHVM_ONLY_CLASSES.has(type.flavorClass),
    explain({ image, type }) {
      return {
        message: `Image ${image.id} is PV (vm_mode xen); flavor ${type.id} is class ${type.flavorClass}, which runs only PVHVM images`,
        providerError: { code: '400', message: 'Image cannot be built with provided flavor', inferred: true },
        fix: 'Use a PVHVM build of the image (vm_mode hvm), or a general1 or standard1 flavor, which also run PV images',
      };
    },
  },
});
