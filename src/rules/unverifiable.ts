import { createRule } from './rule.js';

/**
 * Not a check of a pair: the finding a target gets when it cannot be judged before apply (a value known only after
 * apply, an image the account cannot see, a type missing from an offline catalog). Registered so that it has
 * metadata and docs like every other rule; its severity follows `--on-unverifiable`.
 */
export const unverifiable = createRule({
  id: 'unverifiable',
  severity: 'warning',
  summary: 'The target cannot be checked before apply (a value known only after apply, an image not visible, a type unknown offline).',
  curedByOtherType: false,
});
