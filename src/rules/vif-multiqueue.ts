import { novaHardwareRule } from './nova-hardware-rule.js';

/** Nova `get_vif_multiqueue_constraint`. */
export const vifMultiqueue = novaHardwareRule({
  id: 'vif-multiqueue',
  summary: "The flavor's hw:vif_multiqueue_enabled and the image's hw_vif_multiqueue_enabled disagree (flavors of 2 vCPUs or more).",
  flavorSpecs: /^hw:vif_multiqueue_enabled$/,
  imageProperties: ['vifMultiqueueEnabled'],
  stage: 'vif-multiqueue',
});
