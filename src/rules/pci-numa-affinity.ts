import { novaHardwareRule } from './nova-hardware-rule.js';

/** Nova `get_pci_numa_policy_constraint`. */
export const pciNumaAffinity = novaHardwareRule({
  id: 'pci-numa-affinity',
  summary: "The PCI NUMA affinity policy (hw:pci_numa_affinity_policy) is invalid, or the image's hw_pci_numa_affinity_policy overrides it.",
  flavorSpecs: /^hw:pci_numa_affinity_policy$/,
  imageProperties: ['pciNumaAffinityPolicy'],
  stage: 'pci-numa-affinity',
});
