import { novaHardwareRule } from './nova-hardware-rule.js';

/** Nova `get_mem_encryption_constraint`. */
export const memEncryption = novaHardwareRule({
  id: 'mem-encryption',
  summary: "Memory encryption (AMD SEV: hw:mem_encryption, hw_mem_encryption) conflicts between flavor and image, or the image lacks UEFI firmware or a q35 machine type.",
  flavorSpecs: /^hw:mem_encryption$/,
  imageProperties: ['memEncryption', 'firmwareType', 'machineType'],
  stage: 'mem-encryption',
});
