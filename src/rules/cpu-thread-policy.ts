import { novaHardwareRule } from './nova-hardware-rule.js';

/** Nova `get_cpu_thread_policy_constraint` and the thread-policy checks of `numa_get_constraints`. */
export const cpuThreadPolicy = novaHardwareRule({
  id: 'cpu-thread-policy',
  summary: "The CPU thread policy (hw:cpu_thread_policy, hw_cpu_thread_policy, trait:HW_CPU_HYPERTHREADING) is invalid, overridden, or set without pinned CPUs.",
  flavorSpecs: /^(hw:cpu_policy|hw:cpu_thread_policy|trait[0-9]*:HW_CPU_HYPERTHREADING)$/,
  imageProperties: ['cpuPolicy', 'cpuThreadPolicy', 'traitsRequired'],
  stage: 'numa',
});
