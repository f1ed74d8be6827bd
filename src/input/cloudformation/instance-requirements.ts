import type { InstanceRequirements } from '../../model/index.js';
import { Unknown } from './intrinsics.js';

/**
 * A launch's `InstanceRequirements` as the template gives them, evaluated: the attributes (a map of attribute names
 * to values, judged by `src/engine/requirement-attributes.ts`), or why they cannot be read (known only at deploy;
 * not a map, which CloudFormation refuses); `undefined` when the launch sets none.
 */
export function instanceRequirementsOf(value: unknown): { requirements: InstanceRequirements } | { reason: string } | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Unknown) return { reason: `InstanceRequirements: ${value.reason}` };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { reason: `InstanceRequirements is not a map of attributes (${JSON.stringify(value)?.slice(0, 60)})` };
  }
  return { requirements: value as InstanceRequirements };
}
