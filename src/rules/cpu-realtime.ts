import { novaHardwareRule } from './nova-hardware-rule.js';

/** Nova `get_realtime_cpu_constraint` and `RealtimeConfigurationInvalid`. */
export const cpuRealtime = novaHardwareRule({
  id: 'cpu-realtime',
  summary: "hw:cpu_realtime needs pinned CPUs and a realtime mask (hw:cpu_realtime_mask, hw_cpu_realtime_mask) that leaves a non-realtime vCPU.",
  flavorSpecs: /^(hw:cpu_policy|hw:cpu_realtime|hw:cpu_realtime_mask|hw:emulator_threads_policy)$/,
  imageProperties: ['cpuPolicy', 'cpuRealtimeMask'],
  stage: 'numa',
});
