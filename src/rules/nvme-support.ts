import { createRule } from './rule.js';

/** c5, the first type with `EbsInfo.NvmeSupport = required`, launched on this day. */
const NVME_ERA_START = '2017-11-06';

/**
 * A heuristic: no API field says whether an AMI has NVMe drivers. An AMI created before the first Nitro type
 * was likely not built for NVMe EBS volumes. (A missing ENA flag is the other classic signal, but every
 * NVMe-required type also requires ENA, so `ena-support` already reports it.) The launch succeeds; the boot
 * then hangs waiting for its root device.
 */
export const nvmeSupport = createRule({
  id: 'nvme-support',
  severity: 'warning',
  summary: 'Heuristic: the instance type exposes EBS as NVMe and the image predates NVMe-ready AMIs.',
  curedByOtherType: true,
  aws: {
    violates: ({ image, type }) =>
      type.nvmeSupport === 'required' && image.creationDate !== undefined && image.creationDate < NVME_ERA_START,
    explain({ image, type }) {
      return {
        message: `${type.name} exposes EBS volumes as NVMe devices and AMI ${image.id} was created on ${image.creationDate?.slice(0, 10)}, before the first Nitro type (${NVME_ERA_START}), so it may lack the NVMe driver (a heuristic: no API field tells)`,
        fix: 'Check the image has the nvme module in its initramfs and mounts by UUID or label, not /dev/xvd* or /dev/sd* names (AWS c5_m5_checks_script.sh checks both); or use a Xen-based type',
      };
    },
  },
});
