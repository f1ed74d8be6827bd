import * as z from 'zod/mini';

/**
 * The `plans:` and `cloudformation:` entries of a manifest and of `.imglint.yaml`, as zod schemas (apart from the
 * code that reads them, `./plans-and-templates.ts`, so a run without such files builds no schema).
 */

const Path = z.string().check(z.minLength(1, 'must not be empty'));

/** A `plans:` entry: a plan's JSON (`terraform show -json tf.plan`), and where its `.tf` files are. */
export const PlanEntry = z.strictObject({
  /** The plan JSON, relative to the file that names it. */
  plan: Path,
  /** Its Terraform configuration, for findings on `.tf` lines (`--source-dir`); default: the plan's directory when it holds `.tf` files. */
  sourceDir: z.optional(Path),
});
export type PlanEntry = z.infer<typeof PlanEntry>;

/** A `cloudformation:` entry: a template, its parameter values and the region it is deployed to. */
export const TemplateEntry = z.strictObject({
  /** The template (JSON or YAML), relative to the file that names it. */
  template: Path,
  /** Parameter values over their `Default` (`--parameter KEY=VALUE`, which wins over these). */
  parameters: z.optional(z.record(z.string(), z.string())),
  /** `AWS::Region` and the targets' region; default: `--region`, else the configuration's `region`. */
  region: z.optional(Path),
});
export type TemplateEntry = z.infer<typeof TemplateEntry>;
