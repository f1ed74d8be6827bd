import * as z from 'zod/mini';
import { Severity } from './common.js';

/** What the provider answers when the launch is attempted: the error code (or HTTP status) and exact text. */
export const LaunchError = z.object({
  /** EC2 error code (`InvalidParameterCombination`) or HTTP status (`400`). */
  code: z.string(),
  /** The provider's exact message with the request's values filled in; absent when the provider publishes none. */
  message: z.optional(z.string()),
  /** True when this case is documented (or inferred) to give this code, but no captured response shows it. */
  inferred: z.optional(z.boolean()),
});
export type LaunchError = z.infer<typeof LaunchError>;

/** One problem with one image x machine type pair. */
export const Finding = z.object({
  /** Stable rule ID (`virtualization-type`); see `imglint rules`. */
  ruleId: z.string(),
  severity: Severity,
  /** What is wrong, naming the image and the type. */
  message: z.string(),
  /**
   * What the provider answers at launch. Absent for warnings and infos (the launch succeeds) and for the few
   * errors whose refusal the provider documents without publishing a code or text (each rule's docs say which).
   */
  providerError: z.optional(LaunchError),
  /** A concrete remedy. */
  fix: z.string(),
  /** Instance types from the catalog that can run this image, best first (at most 5). */
  alternatives: z.optional(z.array(z.string())),
  /** Where the rule is documented. */
  docs: z.string(),
  /** Set when an ignore matched: the finding is kept but counts for nothing. */
  suppressed: z.optional(
    z.object({
      reason: z.string(),
      expires: z.optional(z.string()),
      /**
       * Which ignore: `config` (an `ignore:` entry of .imglint.yaml; the default when absent), `inline` (an
       * `# imglint-ignore` comment above the resource) or `baseline` (`--baseline FILE`).
       */
      kind: z.optional(z.enum(['config', 'inline', 'baseline'])),
    }),
  ),
});
export type Finding = z.infer<typeof Finding>;
