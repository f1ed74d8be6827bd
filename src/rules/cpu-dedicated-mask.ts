import { novaHardwareRule } from './nova-hardware-rule.js';

/** Nova `get_dedicated_cpu_constraint` and the mixed-policy checks of `numa_get_constraints`. */
export const cpuDedicatedMask = novaHardwareRule({
  id: 'cpu-dedicated-mask',
  summary: "The mixed CPU policy's masks (hw:cpu_dedicated_mask, or the realtime mask) are missing, both given, invalid, or given without hw:cpu_policy mixed.",
  flavorSpecs: /^(hw:cpu_policy|hw:cpu_dedicated_mask|hw:cpu_realtime|hw:cpu_realtime_mask)$/,
  imageProperties: ['cpuPolicy', 'cpuRealtimeMask'],
  stage: 'numa',
});
