import { createRule, type ZonePlacement } from './rule.js';

/** EC2's `Unsupported` text for a zone that does not offer the type (the same code as the region's). */
function zoneError(type: string, zone: string, offering: readonly string[]): string {
  const choices = offering.length > 0 ? ` or choosing ${offering.join(', ')}` : '';
  return `Your requested instance type (${type}) is not supported in your requested Availability Zone (${zone}). Please retry your request by not specifying an Availability Zone${choices}.`;
}

/**
 * Whether a requested zone does not offer the type. A loop in a function of its own: a closure over `zones` in
 * `violates` would make every call allocate its context, and `violates` runs for every type of a catalog.
 */
function lacksOne(zones: ZonePlacement): boolean {
  for (let index = 0; index < zones.requested.length; index += 1) if (!zones.offering.includes(zones.requested[index]!)) return true;
  return false;
}

/**
 * The type must be offered in the region (`DescribeInstanceTypeOfferings`, location type `region`) and, for a launch
 * pinned to availability zones, in its zones (location type `availability-zone` or `availability-zone-id`): an error
 * when no requested zone offers it, a warning naming the zones that do not when others do (an Auto Scaling group
 * then launches only in those).
 */
export const instanceTypeOffering = createRule({
  id: 'instance-type-offering',
  severity: 'error',
  summary: 'The instance type is not offered in the region or availability zone.',
  curedByOtherType: true,
  variableSeverity: true,
  aws: {
    violates: ({ offeredInRegion, zones }) => offeredInRegion === false || (zones !== undefined && lacksOne(zones)),
    explain({ type, region, offeredInRegion, zones }) {
      if (offeredInRegion === false || zones === undefined) {
        return {
          message: `${type.name} is not offered in ${region}`,
          providerError: {
            code: 'Unsupported',
            message: 'The requested configuration is currently not supported. Please check the documentation for supported configurations.',
          },
          fix: `Launch in a region that offers ${type.name} (aws ec2 describe-instance-type-offerings --filters Name=instance-type,Values=${type.name} --region <r>), or use a type offered in ${region}`,
        };
      }
      const lacking = zones.requested.filter((zone) => !zones.offering.includes(zone));
      const offeredIn = zones.offering.length > 0 ? zones.offering.join(', ') : `none of ${region}'s zones`;
      const providerError = { code: 'Unsupported', message: zoneError(type.name, lacking[0]!, zones.offering) };
      if (lacking.length === zones.requested.length) {
        const where = lacking.length === 1 ? `availability zone ${lacking[0]}` : `any of the availability zones ${lacking.join(', ')}`;
        return {
          message: `${type.name} is not offered in ${where} (${region}); it is offered in ${offeredIn}`,
          providerError,
          fix: `Launch in a zone that offers ${type.name} (${offeredIn}), leave the zone to EC2, or use a type offered in ${lacking.join(', ')}`,
        };
      }
      const several = lacking.length > 1;
      return {
        severity: 'warning',
        message: `${type.name} is not offered in availability zone${several ? 's' : ''} ${lacking.join(', ')} of the ${zones.requested.length} the launch spans; launches there fail, the other zones offer it`,
        providerError,
        fix: `Drop ${lacking.join(', ')} from the zones, or use a type offered in every zone (${type.name} is offered in ${offeredIn})`,
      };
    },
  },
});
