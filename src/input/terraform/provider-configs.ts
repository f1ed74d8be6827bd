import type { Plan, ProviderConfig } from './plan-format.js';
import { parentModule, withoutInstanceKeys, type Instance, type PlanIndex } from './plan-index.js';

/**
 * Which provider configuration a resource uses, and what its arguments (`region`, `auth_url`) evaluate to before
 * apply: a literal, or a variable whose value the plan records (root `variables`, or the module call's argument).
 * Anything else (`local.x`, a data source, a function of several values) is not evaluated: the argument's value is
 * then unknown, with the reason.
 */

/** An argument's value, or why the plan does not give it; `{}` when the configuration does not set it. */
export type Argument = { value: string } | { unknown: string } | Record<string, never>;

export class ProviderConfigs {
  private readonly configs: Record<string, ProviderConfig>;

  constructor(
    private readonly plan: Plan,
    private readonly index: PlanIndex,
  ) {
    this.configs = plan.configuration?.provider_config ?? {};
  }

  /**
   * The provider configuration a resource uses, and its key. Terraform points module resources at the
   * configuration they really use (`aws`, `aws.west`); older Terraform wrote a module-local key (`module.app:aws`)
   * that may not exist in `provider_config`, so the module path is walked up to the root until a configuration
   * matches. A resource missing from `configuration.root_module` is looked up the same way, from its module's
   * default configuration (`aws`).
   */
  configOf(instance: Instance, family: string): { key: string; config: ProviderConfig } | undefined {
    const modulePath = withoutInstanceKeys(instance.moduleAddress);
    let key = this.index.configResource(instance)?.provider_config_key ?? (modulePath ? `${modulePath}:${family}` : family);
    for (;;) {
      if (Object.hasOwn(this.configs, key)) return { key, config: this.configs[key]! };
      const colon = key.lastIndexOf(':');
      if (colon < 0) return undefined;
      const parent = parentModule(key.slice(0, colon));
      key = parent ? `${parent}:${key.slice(colon + 1)}` : key.slice(colon + 1);
    }
  }

  /** The value of `argument` in the configuration `key`. */
  argument(found: { key: string; config: ProviderConfig } | undefined, argument: string): Argument {
    const expression = found?.config.expressions?.[argument];
    if (expression === undefined || found === undefined) return {};
    const value = this.evaluate(expression, found.config.module_address ?? '');
    if (typeof value === 'string') return { value };
    return { unknown: `the ${argument} of provider configuration ${found.key} is ${value.expression}, which the plan does not resolve` };
  }

  /**
   * A literal, or a reference to exactly one input variable whose value the plan holds. A module's variable is
   * followed to the argument of its module call, and so on up to the root's `variables`.
   */
  private evaluate(expression: unknown, modulePath: string): string | { expression: string } {
    const constant = (expression as { constant_value?: unknown } | null)?.constant_value;
    if (typeof constant === 'string' && constant !== '') return constant;
    const references = (expression as { references?: unknown } | null)?.references;
    const refs = Array.isArray(references) ? references.filter((ref): ref is string => typeof ref === 'string') : [];
    const variable = refs.length === 1 ? /^var\.([A-Za-z0-9_-]+)$/.exec(refs[0]!)?.[1] : undefined;
    const shown = refs.length > 0 ? refs.map((ref) => `\`${ref}\``).join(' and ') : 'an expression';
    if (variable === undefined) return { expression: shown };
    if (modulePath === '') {
      const value = this.plan.variables?.[variable]?.value;
      return typeof value === 'string' && value !== '' ? value : { expression: `\`var.${variable}\` (no string value in the plan's variables)` };
    }
    const call = this.index.moduleCall(withoutInstanceKeys(modulePath));
    const argument = call?.expressions?.[variable];
    if (argument === undefined) {
      const fallback = call?.module?.variables?.[variable]?.default;
      return typeof fallback === 'string' && fallback !== '' ? fallback : { expression: `\`var.${variable}\` of ${modulePath} (no value in the plan)` };
    }
    const parent = parentModule(withoutInstanceKeys(modulePath));
    const value = this.evaluate(argument, parent);
    return typeof value === 'string' ? value : { expression: `\`var.${variable}\` of ${modulePath}, set to ${value.expression}` };
  }
}
