import { novaHardwareRule } from './nova-hardware-rule.js';

/** Nova `get_ephemeral_encryption_constraint` and `get_ephemeral_encryption_format`. */
export const ephemeralEncryption = novaHardwareRule({
  id: 'ephemeral-encryption',
  summary: "Ephemeral disk encryption (hw:ephemeral_encryption, hw:ephemeral_encryption_format) differs between flavor and image, or names an unknown format.",
  flavorSpecs: /^hw:ephemeral_encryption(_format)?$/,
  imageProperties: ['ephemeralEncryption', 'ephemeralEncryptionFormat'],
  stage: 'ephemeral-encryption',
});
