import { novaHardwareRule } from './nova-hardware-rule.js';

/** Nova `get_cpu_topology_constraints`. */
export const cpuTopology = novaHardwareRule({
  id: 'cpu-topology',
  summary: "The vCPU topology (hw:cpu_sockets/cores/threads, their hw:cpu_max_* limits and the image's hw_cpu_*) is not a number or exceeds the limits.",
  flavorSpecs: /^hw:cpu_(max_)?(sockets|cores|threads)$/,
  imageProperties: ['cpuSockets', 'cpuCores', 'cpuThreads', 'cpuMaxSockets', 'cpuMaxCores', 'cpuMaxThreads'],
  stage: 'cpu-topology',
});
