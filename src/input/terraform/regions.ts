import { at, type Instance, type PlanIndex } from './plan-index.js';
import type { Argument, ProviderConfigs } from './provider-configs.js';

/** `us-east-1`, `ap-southeast-5`, `us-gov-west-1`, `cn-north-1`. */
const AWS_REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;

/** The region a resource launches in: `{ value }`, `{ unknown }` with the reason, or `{}` for the provider's default. */
export type RegionOf = (instance: Instance, family: 'aws' | 'openstack') => Argument;

/**
 * Where each resource launches: its own `region` argument when the plan knows it (every regional resource of the
 * AWS provider 6 has one, https://hashicorp.github.io/terraform-provider-aws/enhanced-region-support, and the
 * provider plans it as the effective region; OpenStack resources too), else its provider configuration's `region`,
 * else `defaultRegion` (`--region`), else `{}` (the provider's default: `AWS_REGION`, `OS_REGION_NAME`). A `region`
 * the resource sets but the plan knows only after apply makes the launch's region unknown, never the provider's.
 */
export function regions(index: PlanIndex, providers: ProviderConfigs, defaultRegion: string | undefined): RegionOf {
  return (instance, family) => {
    const own = instance.values.region;
    if (typeof own === 'string' && own !== '') return { value: own };
    const setByResource = at(index.configResource(instance)?.expressions, ['region']) !== undefined;
    if (setByResource && at(instance.afterUnknown, ['region']) === true) return { unknown: `the region of ${instance.address} is known only after apply` };
    const configured = providers.argument(providers.configOf(instance, family), 'region');
    // A region from a variable is taken as the whole argument only when it looks like one: `"${var.x}-1"` has the same references.
    if (family === 'aws' && 'value' in configured && !AWS_REGION.test(configured.value)) {
      return { unknown: `the provider configuration's region evaluates to ${JSON.stringify(configured.value)}, which is not an AWS region` };
    }
    if ('value' in configured || 'unknown' in configured) return configured;
    return defaultRegion === undefined ? {} : { value: defaultRegion };
  };
}
