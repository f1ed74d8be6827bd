import { BYTES_PER_GIB } from '../model/units.js';
import { createRule } from './rule.js';

/**
 * Nova `FlavorDiskSmallerThanMinDisk`: on an image boot, a flavor root disk (GiB, not zero) below the image's
 * `min_disk` (GiB). A zero-disk flavor is `zero-disk-flavor`'s case; a volume boot is `volume-size`'s.
 */
export const minDisk = createRule({
  id: 'min-disk',
  severity: 'error',
  summary: "The flavor's root disk is smaller than the image's min_disk.",
  curedByOtherType: true,
  openstack: {
    violates: ({ image, type, launch }) => !launch.bootFromVolume && type.diskGiB !== 0 && image.minDiskGiB > type.diskGiB,
    explain({ image, type }) {
      return {
        message: `Image ${image.id} needs a ${image.minDiskGiB} GiB disk (min_disk); flavor ${type.id} has ${type.diskGiB} GiB`,
        providerError: {
          code: '400',
          message: `Flavor's disk is smaller than the minimum size specified in image metadata. Flavor disk is ${type.diskGiB * BYTES_PER_GIB} bytes, minimum size is ${image.minDiskGiB * BYTES_PER_GIB} bytes.`,
        },
        fix: `Use a flavor with a disk of at least ${image.minDiskGiB} GiB, or boot from a volume of that size`,
      };
    },
  },
});
