import { createRule } from './rule.js';

/** Nitro types expose EBS as NVMe; launched before then, an AMI may lack the driver. */
const NVME_ERA_START = '2017-11-06'; // c5, the first type with NvmeSupport=required, launched that day

/**
 * A heuristic: no API field says whether an AMI has NVMe drivers. An AMI without ENA, or created before the
 * first Nitro type, is likely not prepared for NVMe EBS volumes. Launch succeeds; the boot then hangs.
 */
export const nvmeSupport = createRule({
  id: 'nvme-support',
  severity: 'warning',
  providers: ['aws'],
  summary: 'Heuristic: the instance type exposes EBS as NVMe and the image looks older than NVMe-ready AMIs.',
  curedByOtherType: true,
  check({ image, type }) {
    if (type.nvmeSupport !== 'required') return undefined;
    const reasons: string[] = [];
    if (!image.enaSupport) reasons.push('is not ENA-enabled');
    if (image.creationDate && image.creationDate < NVME_ERA_START) {
      reasons.push(`was created on ${image.creationDate.slice(0, 10)}, before the first Nitro type (${NVME_ERA_START})`);
    }
    if (reasons.length === 0) return undefined;
    return {
      message: `${type.name} exposes EBS volumes as NVMe devices and AMI ${image.id} ${reasons.join(' and ')}, so it may lack the NVMe driver (a heuristic: no API field tells)`,
      fix: 'Check the image has the nvme module in its initramfs and mounts by UUID or label, not /dev/xvd* or /dev/sd* names (AWS c5_m5_checks_script.sh checks both); or use a Xen-based type',
    };
  },
});
