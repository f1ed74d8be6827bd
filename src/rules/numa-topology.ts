import { novaHardwareRule } from './nova-hardware-rule.js';

/** Nova `_get_numa_node_count_constraint`, `_get_numa_cpu_constraint`, `_get_numa_mem_constraint` and the NUMA cell layout of `numa_get_constraints`. */
export const numaTopology = novaHardwareRule({
  id: 'numa-topology',
  summary: "The guest NUMA topology (hw:numa_nodes, hw:numa_cpus.N, hw:numa_mem.N or the image's hw_numa_*) is invalid, incomplete, overridden, or does not fit the flavor's vCPUs and RAM.",
  flavorSpecs: /^hw:numa_(nodes|cpus\.\d+|mem\.\d+)$/,
  imageProperties: ['numaNodes', 'numaCpus', 'numaMem'],
  stage: 'numa',
});
