import type { InstanceRequirements } from '../../model/index.js';
import { Unknown } from './intrinsics.js';

/**
 * A launch's `InstanceRequirements` as the template gives them, evaluated: the attributes (a map of attribute names
 * to values, judged by `src/engine/requirement-attributes.ts`), or why they cannot be read (a value known only at
 * deploy; not a map, which CloudFormation refuses); `undefined` when the launch sets none.
 *
 * Scalars are passed on as CloudFormation passes them: a `Number` parameter is a string wherever `Ref` puts it ("when
 * you use the parameter elsewhere in your template (for example, by using the Ref intrinsic function), the parameter
 * value becomes a string", the Parameters section reference), and a resource property of type integer or boolean
 * takes such a string (`Min: "2"`, `RequireHibernateSupport: "false"`). So an attribute's value, and the `Min` and
 * `Max` of a range, that is a decimal number or `true` / `false` in a string is that number or boolean here. Any other
 * string stays a string, which the attribute then names as malformed; list items (`AllowedInstanceTypes`) are names.
 */
export function instanceRequirementsOf(value: unknown): { requirements: InstanceRequirements } | { reason: string } | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Unknown) return { reason: `InstanceRequirements: ${value.reason}` };
  if (!isMap(value)) return { reason: `InstanceRequirements is not a map of attributes (${JSON.stringify(value)?.slice(0, 60)})` };
  const requirements: Record<string, unknown> = {};
  for (const [name, given] of Object.entries(value)) {
    const unknown = unknownIn(given);
    if (unknown !== undefined) return { reason: `InstanceRequirements.${name}: ${unknown.reason}` };
    const attribute = isMap(given) ? Object.fromEntries(Object.entries(given).map(([side, limit]) => [side, side === 'Min' || side === 'Max' ? scalar(limit) : limit])) : scalar(given);
    Object.defineProperty(requirements, name, { value: attribute, enumerable: true, writable: true, configurable: true });
  }
  return { requirements };
}

/** Digits, an optional fraction, an optional sign: a number CloudFormation reads in a string without a doubt. */
const DECIMAL = /^-?\d+(\.\d+)?$/;

function scalar(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (DECIMAL.test(value)) return Number(value);
  return value === 'true' ? true : value === 'false' ? false : value;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Unknown);
}

/** The first value known only at deploy in an attribute's value (`Min: !ImportValue ...`), if any. */
function unknownIn(value: unknown): Unknown | undefined {
  if (value instanceof Unknown) return value;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const item of Object.values(value)) {
    const found = unknownIn(item);
    if (found !== undefined) return found;
  }
  return undefined;
}
