import type { LaunchError, OpenStackImageFacts } from '../model/index.js';
import { createRule } from './rule.js';

const CONFIG_DRIVE_VALUES = new Set(['optional', 'mandatory']);

interface Refusal {
  message: string;
  providerError: LaunchError;
  fix: string;
}

/**
 * Generic OpenStack: what the normalizer found when it read the properties as Nova's `ImageMeta.from_dict` does
 * (`invalidMetadata`). Rackspace runs its own Nova (its OnMetal images carry `vm_mode: metal`, which upstream
 * refuses), so there only `img_config_drive`, whose two values every Nova shares, is checked.
 */
function refusal(image: OpenStackImageFacts): Refusal | undefined {
  const invalid = image.invalidMetadata;
  if (image.provider === 'openstack' && invalid) {
    return {
      message: `Image ${image.id}: property ${invalid.property}=${JSON.stringify(invalid.value)}: ${invalid.reason}`,
      providerError: { code: invalid.status, message: invalid.message },
      fix: `Set ${invalid.property} to ${invalid.expected}, or remove it: openstack image set --property ${invalid.property}=<value> ${image.id} (or openstack image unset --property ${invalid.property} ${image.id})`,
    };
  }
  if (image.provider === 'rackspace' && image.configDrive !== undefined && !CONFIG_DRIVE_VALUES.has(image.configDrive)) {
    const reason = `Field value ${image.configDrive} is invalid`;
    return {
      message: `Image ${image.id}: ${reason}`,
      providerError: { code: '400', message: `Invalid image metadata. Error: ${reason}` },
      fix: `Set img_config_drive to optional or mandatory: openstack image set --property img_config_drive=mandatory ${image.id}`,
    };
  }
  return undefined;
}

/** Image properties Nova validates against their field types before anything else (`InvalidRequest`). */
export const imageMetadata = createRule({
  id: 'image-metadata',
  severity: 'error',
  summary: "An image property has a value Nova's image metadata schema rejects (hw_cpu_policy, hw_numa_nodes, vm_mode, img_config_drive, ...).",
  curedByOtherType: false,
  openstack: {
    violates: ({ image }) => refusal(image) !== undefined,
    explain: ({ image }) => refusal(image)!,
  },
});
