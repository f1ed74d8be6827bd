import { createRule } from './rule.js';

/** Nova's `is_auto_disk_config_disabled`: the value, stripped and lower-cased, is `disabled`. */
const normalized = (value: string | undefined) => value?.trim().toLowerCase();

/**
 * The image's `auto_disk_config` against the request's `OS-DCF:diskConfig: AUTO`. `disabled` is refused by Nova;
 * `False` is accepted by upstream Nova but refused according to Rackspace's docs, so it warns there.
 */
export const autoDiskConfig = createRule({
  id: 'auto-disk-config',
  severity: 'error',
  summary: 'The request asks for OS-DCF:diskConfig AUTO and the image has auto_disk_config disabled.',
  curedByOtherType: false,
  variableSeverity: true,
  openstack: {
    violates({ image, launch }) {
      if (launch.diskConfig !== 'AUTO') return false;
      const value = normalized(image.autoDiskConfig);
      return value === 'disabled' || (image.provider === 'rackspace' && value === 'false');
    },
    explain({ image }) {
      if (normalized(image.autoDiskConfig) === 'disabled') {
        return {
          message: `Image ${image.id} has auto_disk_config "${image.autoDiskConfig}" and the request asks for OS-DCF:diskConfig AUTO`,
          providerError: { code: '400', message: `Requested image ${image.id} has automatic disk resize disabled.` },
          fix: 'Create the server with --disk-config MANUAL (or without OS-DCF:diskConfig), and grow the file system yourself',
        };
      }
      return {
        severity: 'warning',
        message: `Image ${image.id} has auto_disk_config "${image.autoDiskConfig}" and the request asks for OS-DCF:diskConfig AUTO: upstream Nova accepts this, Rackspace's docs say it is refused`,
        fix: 'Use --disk-config MANUAL to be safe on Rackspace',
      };
    },
  },
});
