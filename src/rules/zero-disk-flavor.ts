import { createRule } from './rule.js';

/** Rackspace classes that cannot boot from a volume (Cloud Servers boot-from-volume docs). */
const NO_VOLUME_BOOT_CLASSES = new Set(['standard1', 'onmetal', 'onmetal2']);

/**
 * A flavor with `disk: 0` boots only from a volume (Nova `BootFromVolumeRequiredForZeroDiskFlavor`, unless the
 * caller is an admin); on Rackspace, standard1 and OnMetal flavors cannot boot from a volume at all.
 */
export const zeroDiskFlavor = createRule({
  id: 'zero-disk-flavor',
  severity: 'error',
  summary: 'The flavor has no root disk and the server does not boot from a volume (or, on Rackspace, cannot).',
  curedByOtherType: true,
  openstack: {
    violates({ image, type, launch }) {
      if (launch.bootFromVolume) {
        return image.provider === 'rackspace' && type.flavorClass !== undefined && NO_VOLUME_BOOT_CLASSES.has(type.flavorClass);
      }
      return type.diskGiB === 0 && !launch.admin;
    },
    explain({ type, launch }) {
      if (launch.bootFromVolume) {
        return {
          message: `Flavor ${type.id} is class ${type.flavorClass}, which Rackspace does not boot from a volume`,
          fix: 'Boot from the image on this flavor (drop --boot-from-volume), or use a general1, io1, compute1 or memory1 flavor',
        };
      }
      return {
        message: `Flavor ${type.id} has a 0 GiB root disk: it boots only from a volume, and the request boots from the image`,
        providerError: { code: '403', message: 'Only volume-backed servers are allowed for flavors with zero disk.' },
        fix: 'Boot from a volume created from the image (--boot-from-volume --volume-size <GiB>), or use a flavor with a disk',
      };
    },
  },
});
