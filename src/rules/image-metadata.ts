import type { OpenStackImageFacts } from '../model/index.js';
import { createRule } from './rule.js';

/** `hw_vm_mode` values Nova's `VMMode` accepts, canonical names and aliases (nova/objects/fields.py). */
const NOVA_VM_MODES = new Set(['hvm', 'xen', 'uml', 'exe', 'pv', 'hv', 'baremetal']);
const CONFIG_DRIVE_VALUES = new Set(['optional', 'mandatory']);

/** The first property Nova's `ImageMeta.from_dict` rejects, with its error text. Rackspace's fork accepts `metal`. */
function invalidProperty(image: OpenStackImageFacts): string | undefined {
  if (image.provider === 'openstack' && image.vmMode !== undefined && !NOVA_VM_MODES.has(image.vmMode.toLowerCase())) {
    return `Virtual machine mode '${image.vmMode}' is not valid`;
  }
  if (image.configDrive !== undefined && !CONFIG_DRIVE_VALUES.has(image.configDrive)) {
    return `Field value ${image.configDrive} is invalid`;
  }
  return undefined;
}

/** Image properties Nova validates against its enums before anything else (`InvalidRequest`). */
export const imageMetadata = createRule({
  id: 'image-metadata',
  severity: 'error',
  summary: "An image property has a value Nova's image metadata schema rejects (vm_mode, img_config_drive).",
  curedByOtherType: false,
  openstack: {
    violates: ({ image }) => invalidProperty(image) !== undefined,
    explain({ image }) {
      const error = invalidProperty(image)!;
      return {
        message: `Image ${image.id}: ${error}`,
        providerError: { code: '400', message: `Invalid image metadata. Error: ${error}` },
        fix: 'Fix the image property (openstack image set --property ...): vm_mode hvm or xen, img_config_drive optional or mandatory',
      };
    },
  },
});
