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
        // Nova answers 400 `Flavor <id> could not be found.` with its internal database ID, which the API never shows.
        providerError: { code: '400', inferred: true },
        fix: 'Use an enabled flavor',
      };
    },
  },
});
