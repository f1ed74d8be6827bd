import { createRule } from './rule.js';

/**
 * Nova `ImageUnacceptable` from `_detect_nonbootable_image_from_properties` (`nova/compute/api.py`, Nova 26.2.2): an
 * image with a non-empty `cinder_encryption_key_id` (uploaded from an encrypted Cinder volume) cannot be booted
 * directly. Nova skips the check when there is no image ID, that is on a boot from a volume created from the image,
 * whose encryption Cinder restores from that key.
 */
export const encryptedVolumeImage = createRule({
  id: 'encrypted-volume-image',
  severity: 'error',
  summary: 'The image was uploaded from an encrypted volume (cinder_encryption_key_id): Nova boots it only from a volume.',
  curedByOtherType: false,
  // Rackspace runs its own Nova fork, from before this check; only upstream Nova's behaviour is known.
  openstackProviders: ['openstack'],
  openstack: {
    violates: ({ image, launch }) => !launch.bootFromVolume && image.cinderEncryptionKeyId !== undefined && image.cinderEncryptionKeyId !== '',
    explain({ image }) {
      return {
        message: `Image ${image.id} was uploaded from an encrypted volume (cinder_encryption_key_id ${image.cinderEncryptionKeyId}); Nova boots it only from a volume`,
        providerError: {
          code: '400',
          message: `Image ${image.id} is unacceptable: Direct booting of an image uploaded from an encrypted volume is unsupported.`,
        },
        fix: 'Boot from a volume created from the image (openstack server create --image <image> --boot-from-volume <GiB>), or use another image',
      };
    },
  },
});
