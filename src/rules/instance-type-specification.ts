import type { InstanceTypeSpecification } from '../model/index.js';
import { createRule } from './rule.js';

/** `*` matches any run of characters; everything else is literal. */
function matches(pattern: string, name: string): boolean {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`).test(name);
}

function deniedBy(spec: InstanceTypeSpecification, name: string): string | undefined {
  return spec.unsupported.find((pattern) => matches(pattern, name));
}

function allows(spec: InstanceTypeSpecification, name: string): boolean {
  return spec.supported.length === 0 || spec.supported.some((pattern) => matches(pattern, name));
}

/** The AMI owner's `InstanceTypeSpecification` allow/deny list, enforced by EC2 at launch. */
export const instanceTypeSpecification = createRule({
  id: 'instance-type-specification',
  severity: 'error',
  summary: "The image's own InstanceTypeSpecification (allow/deny list set by its owner) excludes the instance type.",
  curedByOtherType: true,
  aws: {
    violates({ image, type }) {
      const spec = image.instanceTypeSpecification;
      return spec !== undefined && (deniedBy(spec, type.name) !== undefined || !allows(spec, type.name));
    },
    explain({ image, type }) {
      const spec = image.instanceTypeSpecification!;
      const denied = deniedBy(spec, type.name);
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
  },
});
