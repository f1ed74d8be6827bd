import { createRule } from './rule.js';

/** AMI `RootDeviceType` vs the type's `SupportedRootDeviceTypes` (instance-store AMIs run on 33 old types). */
export const rootDeviceType = createRule({
  id: 'root-device-type',
  severity: 'error',
  summary: 'The image has an instance-store root device and the instance type boots only from EBS.',
  curedByOtherType: true,
  aws: {
    violates: ({ image, type }) => !type.rootDeviceTypes.includes(image.rootDeviceType),
    explain({ image, type }) {
      return {
        message: `AMI ${image.id} has an ${image.rootDeviceType} root device; ${type.name} supports only ${type.rootDeviceTypes.join(', ')} root devices`,
        providerError: {
          code: 'UnsupportedOperation',
          message: `AMI '${image.id}' with an ${image.rootDeviceType} root device is not supported for the instance type '${type.name}'.`,
        },
        fix: 'Convert the image to an EBS-backed AMI (ec2-bundle-vol/ec2-unbundle onto an EBS volume, then register it), or use an instance type that supports instance-store root devices',
      };
    },
  },
});
