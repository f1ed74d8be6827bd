import { createRule } from './rule.js';

/** Nova `FlavorMemoryTooSmall`: flavor `ram` (MiB) below the image's `min_ram` (MiB). */
export const minRam = createRule({
  id: 'min-ram',
  severity: 'error',
  summary: "The flavor's RAM is below the image's min_ram.",
  curedByOtherType: true,
  openstack: {
    violates: ({ image, type }) => type.memoryMiB < image.minRamMiB,
    explain({ image, type }) {
      return {
        message: `Image ${image.id} needs ${image.minRamMiB} MiB of RAM (min_ram); flavor ${type.id} has ${type.memoryMiB} MiB`,
        providerError: { code: '400', message: "Flavor's memory is too small for requested image." },
        fix: `Use a flavor with at least ${image.minRamMiB} MiB of RAM`,
      };
    },
  },
});
