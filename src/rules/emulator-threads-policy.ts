import { novaHardwareRule } from './nova-hardware-rule.js';

/** Nova `get_emulator_thread_policy_constraint` and `BadRequirementEmulatorThreadsPolicy`. */
export const emulatorThreadsPolicy = novaHardwareRule({
  id: 'emulator-threads-policy',
  summary: "The flavor's hw:emulator_threads_policy is invalid, or isolate without pinned CPUs.",
  flavorSpecs: /^(hw:cpu_policy|hw:emulator_threads_policy)$/,
  imageProperties: ['cpuPolicy'],
  stage: 'numa',
});
