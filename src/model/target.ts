import * as z from 'zod/mini';
import { ProviderId } from './common.js';

/** Where a target came from, so findings can point back at it. */
export const SourceLocation = z.object({
  /** Path of the plan or manifest the target was read from. */
  file: z.string(),
  /** 1-based line, when the format keeps lines. */
  line: z.optional(z.int().check(z.positive())),
  /** Resource address (`aws_instance.web`) or manifest entry name. */
  address: z.optional(z.string()),
});
export type SourceLocation = z.infer<typeof SourceLocation>;

/** One image x machine type pair to check. */
export const Target = z.object({
  provider: ProviderId,
  /** Region the launch would happen in (`us-east-1`, `IAD`). */
  region: z.string().check(z.minLength(1)),
  /** Image ID (`ImageId`), whether looked up or read from an `--image-file`. */
  image: z.string().check(z.minLength(1)),
  /** Instance type or flavor name (`t2.micro`). */
  type: z.string().check(z.minLength(1)),
  source: z.optional(SourceLocation),
});
export type Target = z.infer<typeof Target>;
