import * as z from 'zod/mini';

/**
 * The parts of Terraform's JSON plan format (`terraform show -json <planfile>`,
 * https://developer.hashicorp.com/terraform/internals/json-format) that imglint reads, as zod schemas. Unknown
 * keys are ignored (the format's forward-compatibility rule). Resource attribute values are read by the resource
 * readers, each with its own checks, so one resource with an odd value never stops the others.
 */

/** An attribute map: `change.after`, `values`. */
export const Values = z.record(z.string(), z.unknown());
export type Values = z.infer<typeof Values>;

export const ResourceChange = z.object({
  address: z.string(),
  module_address: z.optional(z.string()),
  mode: z.string(),
  type: z.string(),
  name: z.string(),
  /** Set on a deposed object (an old copy awaiting deletion): never a launch. */
  deposed: z.optional(z.string()),
  change: z.object({
    actions: z.array(z.string()),
    /** The values before the change: `null` for a create. */
    before: z.nullish(Values),
    after: z.nullish(Values),
    after_unknown: z.optional(z.unknown()),
  }),
});
export type ResourceChange = z.infer<typeof ResourceChange>;

export const PlannedResource = z.object({
  address: z.string(),
  mode: z.string(),
  type: z.string(),
  name: z.string(),
  values: z.optional(Values),
});
export type PlannedResource = z.infer<typeof PlannedResource>;

export const PlannedModule = z.object({
  /** `module.app[0]`; absent on the root module. */
  address: z.optional(z.string()),
  resources: z.optional(z.array(PlannedResource)),
  get child_modules() {
    return z.optional(z.array(PlannedModule));
  },
});
export type PlannedModule = z.infer<typeof PlannedModule>;

/**
 * An expression in `configuration`: `{ "constant_value": ... }` for a literal, `{ "references": [...] }` for one
 * that refers to other objects (`var.region`, `aws_launch_template.app.id`). Nested blocks are arrays of
 * expression maps.
 */
export const Expressions = z.record(z.string(), z.unknown());
export type Expressions = z.infer<typeof Expressions>;

export const ConfigResource = z.object({
  /** Relative to its module: `aws_instance.web`, `data.aws_ami.x`. */
  address: z.string(),
  provider_config_key: z.optional(z.string()),
  expressions: z.optional(Expressions),
});
export type ConfigResource = z.infer<typeof ConfigResource>;

export const ConfigModule = z.object({
  resources: z.optional(z.array(ConfigResource)),
  /** The module's variable declarations, with their defaults. */
  variables: z.optional(z.record(z.string(), z.object({ default: z.optional(z.unknown()) }))),
  get module_calls() {
    return z.optional(z.record(z.string(), ModuleCall));
  },
});
export type ConfigModule = z.infer<typeof ConfigModule>;

export const ModuleCall = z.object({
  /** `./modules/app`, `terraform-aws-modules/ec2-instance/aws`. */
  source: z.optional(z.string()),
  /** The module's input variables as the call sets them. */
  expressions: z.optional(Expressions),
  get module() {
    return z.optional(ConfigModule);
  },
});
export type ModuleCall = z.infer<typeof ModuleCall>;

export const ProviderConfig = z.object({
  /** The provider's local name (`aws`). */
  name: z.optional(z.string()),
  /** `registry.terraform.io/hashicorp/aws`. */
  full_name: z.optional(z.string()),
  alias: z.optional(z.string()),
  /** The module that declares the configuration (`module.app`); absent for the root module. */
  module_address: z.optional(z.string()),
  expressions: z.optional(Expressions),
});
export type ProviderConfig = z.infer<typeof ProviderConfig>;

export const Plan = z.object({
  /** Root module input variables with their values (defaults included). */
  variables: z.optional(z.record(z.string(), z.object({ value: z.optional(z.unknown()) }))),
  planned_values: z.optional(z.object({ root_module: z.optional(PlannedModule) })),
  resource_changes: z.optional(z.array(ResourceChange)),
  configuration: z.optional(
    z.object({
      provider_config: z.optional(z.record(z.string(), ProviderConfig)),
      root_module: z.optional(ConfigModule),
    }),
  ),
});
export type Plan = z.infer<typeof Plan>;
