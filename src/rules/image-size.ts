import { BYTES_PER_GIB } from '../model/units.js';
import { createRule } from './rule.js';

/** Nova `FlavorDiskSmallerThanImage`: on an image boot, the image `size` (bytes) above the flavor disk (GiB). */
export const imageSize = createRule({
  id: 'image-size',
  severity: 'error',
  summary: "The image is larger than the flavor's root disk.",
  curedByOtherType: true,
  openstack: {
    violates: ({ image, type, launch }) =>
      !launch.bootFromVolume && type.diskGiB !== 0 && image.sizeBytes !== undefined && image.sizeBytes > type.diskGiB * BYTES_PER_GIB,
    explain({ image, type }) {
      const size = image.sizeBytes!;
      return {
        message: `Image ${image.id} is ${size} bytes (${(size / BYTES_PER_GIB).toFixed(1)} GiB); flavor ${type.id} has a ${type.diskGiB} GiB disk`,
        providerError: {
          code: '400',
          message: `Flavor's disk is too small for requested image. Flavor disk is ${type.diskGiB * BYTES_PER_GIB} bytes, image is ${size} bytes.`,
        },
        fix: `Use a flavor with a disk of at least ${Math.ceil(size / BYTES_PER_GIB)} GiB, or boot from a volume`,
      };
    },
  },
});
