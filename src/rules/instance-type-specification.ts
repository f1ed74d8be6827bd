import { createRule } from './rule.js';

/** `*` matches any run of characters; everything else is literal. */
function matches(pattern: string, name: string): boolean {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`).test(name);
}

/** The AMI owner's `InstanceTypeSpecification` allow/deny list, enforced by EC2 at launch. */
export const instanceTypeSpecification = createRule({
  id: 'instance-type-specification',
  severity: 'error',
  providers: ['aws'],
  summary: "The image's own InstanceTypeSpecification (allow/deny list set by its owner) excludes the instance type.",
  curedByOtherType: true,
  check({ image, type }) {
    const spec = image.instanceTypeSpecification;
    if (!spec) return undefined;
    const denied = spec.unsupported.find((pattern) => matches(pattern, type.name));
    const allowed = spec.supported.length === 0 || spec.supported.some((pattern) => matches(pattern, type.name));
    if (!denied && allowed) return undefined;
    const why = denied
      ? `lists ${type.name} as unsupported (${denied})`
      : `allows only ${spec.supported.join(', ')}`;
    return {
      message: `AMI ${image.id}'s InstanceTypeSpecification ${why}`,
      // Code documented for ReplaceImageInstanceTypeSpecification; AWS publishes no message text.
      providerError: {
        code: 'InvalidParameterCombination',
        inferred: true,
      },
      fix: 'Use an instance type the AMI allows, or ask its owner to change the list (aws ec2 replace-image-instance-type-specification)',
    };
  },
});
