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

/** A provider configuration with its key; why the plan does not say which, or `undefined` for the implied empty one. */
export type Configured = { key: string; config: ProviderConfig } | { unknown: string } | undefined;

/** True when `module` is `modulePath` or one of its ancestors (`''` is the root). */
function within(module: string, modulePath: string): boolean {
  return module === '' || module === modulePath || modulePath.startsWith(`${module}.`);
}

export class ProviderConfigs {
  private readonly configs: Record<string, ProviderConfig>;

  constructor(
    private readonly plan: Plan,
    private readonly index: PlanIndex,
  ) {
    this.configs = plan.configuration?.provider_config ?? {};
  }

  /**
   * The provider configuration a resource uses: the one its `provider_config_key` names. Terraform 1.2 and later
   * point module resources at the configuration they really use (`aws`, `aws.west`, `module.app:aws`). Terraform
   * 1.1 and earlier wrote a module-local key (`app:aws`, `app:aws.second`) that is not in `provider_config`
   * (hashicorp/terraform#30113), and the module call does not record which configuration it passes
   * (`providers = { aws = aws.west }`): the configuration is then known only when there is exactly one that could
   * be it: one configuration of that provider in the resource's module or above it, or none (Terraform's implied
   * empty configuration, which also counts when none of them is unaliased). A resource missing from
   * `configuration` is looked up the same way, by its module's default key.
   *
   * @returns the configuration with its key; `{ unknown }` with the reason when the plan does not say which;
   *   `undefined` for the implied empty configuration.
   */
  configOf(instance: Instance, family: string): Configured {
    const modulePath = withoutInstanceKeys(instance.moduleAddress);
    const key = this.index.configResource(instance)?.provider_config_key ?? (modulePath ? `${modulePath}:${family}` : family);
    const config = Object.hasOwn(this.configs, key) ? this.configs[key]! : undefined;
    if (config !== undefined && within(withoutInstanceKeys(config.module_address ?? ''), modulePath)) return { key, config };
    const local = key.slice(key.lastIndexOf(':') + 1);
    const [name = family, alias] = local.split('.');
    // A key of the root module is exact in every format: absent, it is Terraform's implied empty configuration.
    if (!key.includes(':') && alias === undefined) return undefined;
    const visible = Object.entries(this.configs).filter(
      ([configKey, candidate]) => (candidate.name ?? configKey.slice(configKey.lastIndexOf(':') + 1).split('.')[0]) === name && within(withoutInstanceKeys(candidate.module_address ?? ''), modulePath),
    );
    // Without a `provider "aws"` block of its own, a module above may pass (or leave) the implied empty configuration.
    const implied = visible.every(([configKey, candidate]) => candidate.alias !== undefined || configKey.slice(configKey.lastIndexOf(':') + 1).includes('.'));
    if (visible.length === 1 && !implied) return { key: visible[0]![0], config: visible[0]![1] };
    if (visible.length === 0) return undefined;
    const where = modulePath === '' ? instance.address : modulePath;
    const choices = [...visible.map(([configKey]) => configKey), ...(implied ? [`the implied ${name}`] : [])];
    return {
      unknown: `this plan format does not record which provider configuration ${where} was passed: its provider_config_key ${key} is not in provider_config (Terraform 1.1 and earlier wrote module-local keys, hashicorp/terraform#30113), and ${choices.length} ${name} configurations could be it (${choices.join(', ')}); show the plan with Terraform 1.2 or later`,
    };
  }

  /** The value of `argument` in the configuration found by {@link configOf}. */
  argument(found: Configured, argument: string): Argument {
    if (found !== undefined && 'unknown' in found) return { unknown: found.unknown };
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
