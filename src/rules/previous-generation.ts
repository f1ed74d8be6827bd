import { createRule } from './rule.js';

/** `CurrentGeneration = false`: still launchable, but older hardware and usually worse price/performance. */
export const previousGeneration = createRule({
  id: 'previous-generation',
  severity: 'info',
  summary: 'The instance type is a previous-generation type.',
  curedByOtherType: false,
  aws: {
    violates: ({ type }) => !type.currentGeneration,
    explain({ type }) {
      return {
        message: `${type.name} is a previous-generation instance type`,
        fix: 'Prefer a current-generation family when the image allows it; previous-generation types cost more per unit of performance and can be retired',
      };
    },
  },
});
