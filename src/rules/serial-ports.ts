import { novaHardwareRule } from './nova-hardware-rule.js';

/** Nova `get_number_of_serial_ports`. */
export const serialPorts = novaHardwareRule({
  id: 'serial-ports',
  summary: "The flavor's hw:serial_port_count is not a whole number, or the image's hw_serial_port_count exceeds it.",
  flavorSpecs: /^hw:serial_port_count$/,
  imageProperties: ['serialPortCount'],
  stage: 'serial-ports',
});
