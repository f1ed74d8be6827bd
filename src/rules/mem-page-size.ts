import { novaHardwareRule } from './nova-hardware-rule.js';

/** Nova `_get_numa_pagesize_constraint`. */
export const memPageSize = novaHardwareRule({
  id: 'mem-page-size',
  summary: "The page size (hw:mem_page_size, hw_mem_page_size) is invalid, or the image asks for one the flavor does not allow.",
  flavorSpecs: /^hw:mem_page_size$/,
  imageProperties: ['memPageSize'],
  stage: 'numa',
});
