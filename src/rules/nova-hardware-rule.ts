import type { NovaRefusal, NovaStage } from '../../providers/openstack/nova-checks/server-create.js';
import { novaRefusal } from './nova-checks.js';
import type { NovaImageHardware } from '../model/index.js';
import { createRule, type OpenStackRuleContext, type Rule } from './rule.js';

/** What sets one Nova hardware rule apart: its ID, its summary, the stage that raises its errors, its settings. */
export interface NovaHardwareRuleDefinition {
  readonly id: string;
  readonly summary: string;
  readonly stage: NovaStage;
  /** The flavor extra specs of its concern (`hw:cpu_policy`), shown in the message when the flavor has them. */
  readonly flavorSpecs: RegExp;
  /** The image properties of its concern, shown in the message when the image has them. */
  readonly imageProperties: readonly (keyof NovaImageHardware)[];
}

/** `cpuPolicy` -> `hw_cpu_policy=dedicated`; lists as `hw_numa_cpus.N`; traits as `trait:X=required`. */
function imageSetting(field: keyof NovaImageHardware, value: NonNullable<NovaImageHardware[keyof NovaImageHardware]>): string[] {
  const name = `hw_${field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)}`;
  if (field === 'traitsRequired') return (value as string[]).map((trait) => `trait:${trait}=required`);
  if (Array.isArray(value)) return value.map((item, index) => `${name}.${index}=${item}`);
  return [`${name}=${String(value)}`];
}

function settings(context: OpenStackRuleContext, definition: NovaHardwareRuleDefinition): { image: string; flavor: string } {
  const hardware = context.image.hardware ?? {};
  const image = definition.imageProperties.flatMap((field) => {
    const value = hardware[field];
    return value === undefined ? [] : imageSetting(field, value);
  });
  const flavor = Object.entries(context.type.extraSpecs).flatMap(([key, value]) => (definition.flavorSpecs.test(key) ? [`${key}=${value}`] : []));
  const list = (items: string[]) => (items.length > 0 ? ` (${items.join(', ')})` : '');
  return { image: list(image), flavor: list(flavor) };
}

/**
 * A rule over one concern of Nova's image `hw_*` x flavor `hw:*` checks (generic OpenStack only: Rackspace runs its
 * own Nova fork). It fires when the first error Nova raises at `stage` belongs to the concern; Nova's exact answer is
 * the `providerError`. Another flavor (other extra specs) can cure every such pair, so the fix lists flavors of the
 * catalog that accept the image.
 */
export function novaHardwareRule(definition: NovaHardwareRuleDefinition): Rule {
  const { id, summary, stage } = definition;
  const refusal = ({ image, type }: OpenStackRuleContext): NovaRefusal | undefined => {
    const found = novaRefusal(stage, image, type);
    return found?.rule === id ? found : undefined;
  };
  return createRule({
    id,
    severity: 'error',
    summary,
    curedByOtherType: true,
    openstackProviders: ['openstack'],
    openstack: {
      violates: (context) => refusal(context) !== undefined,
      explain(context) {
        const found = refusal(context)!;
        const escaped = found.status === '500' ? ` (${found.exception}: Nova's API answers 500, the error escapes its handler)` : '';
        const { image, flavor } = settings(context, definition);
        return {
          message: `Image ${context.image.id}${image} on flavor ${context.type.id}${flavor}: ${found.reason}${escaped}`,
          providerError: { code: found.status, message: found.message, ...(found.inferred ? { inferred: true } : {}) },
          fix: found.fix,
        };
      },
    },
  });
}
