import { novaHardwareRule } from './nova-hardware-rule.js';

/** Nova `get_pmu_constraint`. */
export const pmu = novaHardwareRule({
  id: 'pmu',
  summary: "The flavor's hw:pmu and the image's hw_pmu disagree.",
  flavorSpecs: /^hw:pmu$/,
  imageProperties: ['pmu'],
  stage: 'pmu',
});
