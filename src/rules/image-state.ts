import type { LaunchError } from '../model/index.js';
import { createRule } from './rule.js';

/** Glance statuses that become `active` by themselves. */
const IN_PROGRESS = new Set(['queued', 'saving', 'uploading', 'importing']);

function launchError(imageId: string, state: string): LaunchError {
  if (state === 'deregistered') {
    return { code: 'InvalidAMIID.NotFound', message: `The image id '[${imageId}]' does not exist` };
  }
  // EC2's text for an AMI that exists but is not launchable; the code for each state is not documented.
  return { code: 'InvalidAMIID.Unavailable', message: `The image ID '${imageId}' is no longer available`, inferred: true };
}

/** Only an AMI whose `State` is `available` can be launched. */
export const imageState = createRule({
  id: 'image-state',
  severity: 'error',
  summary: 'The image is not available (AMI state) or not active (Glance status).',
  curedByOtherType: false,
  aws: {
    violates: ({ image }) => image.state !== 'available',
    explain({ image }) {
      return {
        message: `AMI ${image.id} is ${image.state}; only available AMIs can be launched`,
        providerError: launchError(image.id, image.state),
        fix:
          image.state === 'pending'
            ? 'Wait until the AMI is available (aws ec2 wait image-available)'
            : image.state === 'disabled'
              ? 'Re-enable the AMI (aws ec2 enable-image) or use another AMI'
              : 'Use another AMI',
      };
    },
  },
  openstack: {
    violates: ({ image }) => image.state !== 'active',
    explain({ image, launch }) {
      // A boot from volume reaches Nova with no imageRef (the image is in the block device mapping), so Nova's
      // message prints the image ID it has there: None.
      const novaImageId = launch.bootFromVolume ? 'None' : image.id;
      return {
        message: `Image ${image.id} is ${image.state}; only active images can be booted`,
        providerError: { code: '400', message: `Image ${novaImageId} is not active.` },
        fix: IN_PROGRESS.has(image.state) ? 'Wait until the image is active (upload, import or snapshot in progress)' : 'Use an active image',
      };
    },
  },
});
