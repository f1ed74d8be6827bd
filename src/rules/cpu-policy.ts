import { novaHardwareRule } from './nova-hardware-rule.js';

/** Nova `get_cpu_policy_constraint` and the `resources:PCPU` / `resources:VCPU` checks of `numa_get_constraints`. */
export const cpuPolicy = novaHardwareRule({
  id: 'cpu-policy',
  summary: "The flavor's hw:cpu_policy (or resources:PCPU / resources:VCPU) is invalid, or the image's hw_cpu_policy overrides it.",
  flavorSpecs: /^(hw:cpu_policy|resources[0-9]*:[VP]CPU|hw:emulator_threads_policy)$/,
  imageProperties: ['cpuPolicy'],
  stage: 'numa',
});
