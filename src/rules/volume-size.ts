import { BYTES_PER_GIB } from '../model/units.js';
import { createRule } from './rule.js';

/** Nova `VolumeSmallerThanMinDisk`: a boot volume (GiB) below the image's `min_disk` (GiB). */
export const volumeSize = createRule({
  id: 'volume-size',
  severity: 'error',
  summary: "The boot volume is smaller than the image's min_disk.",
  curedByOtherType: false,
  openstack: {
    violates: ({ image, launch }) =>
      launch.bootFromVolume === true && launch.volumeSizeGiB !== undefined && image.minDiskGiB > launch.volumeSizeGiB,
    explain({ image, launch }) {
      const volume = launch.volumeSizeGiB!;
      return {
        message: `Image ${image.id} needs ${image.minDiskGiB} GiB (min_disk); the boot volume is ${volume} GiB`,
        providerError: {
          code: '400',
          message: `Volume is smaller than the minimum size specified in image metadata. Volume size is ${volume * BYTES_PER_GIB} bytes, minimum size is ${image.minDiskGiB * BYTES_PER_GIB} bytes.`,
        },
        fix: `Create the boot volume with at least ${image.minDiskGiB} GiB (--volume-size ${image.minDiskGiB})`,
      };
    },
  },
});
