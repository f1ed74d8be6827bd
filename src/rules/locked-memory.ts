import { novaHardwareRule } from './nova-hardware-rule.js';

/** Nova `get_locked_memory_constraint`. */
export const lockedMemory = novaHardwareRule({
  id: 'locked-memory',
  summary: "Locked memory (hw:locked_memory, hw_locked_memory) without an explicit page size, or with flavor and image disagreeing.",
  flavorSpecs: /^hw:(locked_memory|mem_page_size)$/,
  imageProperties: ['lockedMemory', 'memPageSize'],
  stage: 'numa',
});
