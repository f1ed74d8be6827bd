import { createRule } from './rule.js';

/** Nova refuses a flavor marked `OS-FLV-DISABLED:disabled` as if it did not exist (`FlavorNotFound`). */
export const flavorDisabled = createRule({
  id: 'flavor-disabled',
  severity: 'error',
  summary: 'The flavor is disabled (OS-FLV-DISABLED:disabled), so Nova answers as if it did not exist.',
  curedByOtherType: true,
  openstack: {
    violates: ({ type }) => type.disabled,
    explain({ type }) {
      return {
        message: `Flavor ${type.id} is disabled`,
        // Nova names the flavor by its internal database ID, which the API does not show.
        providerError: { code: '400', message: `Flavor ${type.id} could not be found.`, inferred: true },
        fix: 'Use an enabled flavor',
      };
    },
  },
});
