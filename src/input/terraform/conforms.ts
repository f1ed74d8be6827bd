import type * as z from 'zod/mini';

/**
 * A check that a parsed JSON document passes a zod schema, without building what `safeParse` builds: zod's output is a
 * copy of every object and record it checks, which for a 10,000-resource plan is most of the time and garbage of
 * validating it. The check reads the schema's definition, so the plan format has one description.
 */

type Check = (value: unknown) => boolean;

/**
 * Compiles `schema` into a predicate that is true only where `schema.safeParse(value)` succeeds with an output that
 * reads like `value` itself: the same values at every key of an object's shape, the same own keys and values in every
 * record. False otherwise, and also for what it does not judge, so the caller's `safeParse` decides and says why:
 * schema kinds other than objects (zod's default, which strips unknown keys), records with string keys, arrays,
 * strings, optional, nullable and unknown; any schema with checks (`.check(...)`, lengths, patterns); an object that
 * is not plain (its prototype is not `Object.prototype`); a record with an own `__proto__` key (zod leaves that key
 * out of its output).
 *
 * @param schema - a zod mini schema; recursive schemas (getters in a shape) are followed.
 * @returns the predicate; it allocates nothing per value.
 */
export function conformer<T>(schema: z.ZodMiniType<T>): (value: unknown) => value is T {
  return compile(schema, new Map()) as (value: unknown) => value is T;
}

function compile(schema: z.ZodMiniType, compiled: Map<z.ZodMiniType, Check>): Check {
  const known = compiled.get(schema);
  if (known !== undefined) return known;
  // A recursive schema reaches itself while compiling: its check is looked up when first run.
  let check: Check | undefined;
  compiled.set(schema, (value) => check!(value));
  check = build(schema, compiled);
  compiled.set(schema, check);
  return check;
}

function build(schema: z.ZodMiniType, compiled: Map<z.ZodMiniType, Check>): Check {
  const def = schema._zod.def as z.core.$ZodTypeDef & Record<string, unknown>;
  if ((def.checks?.length ?? 0) > 0) return never;
  switch (def.type) {
    case 'unknown':
      return always;
    case 'string':
      return def.coerce === true ? never : isString;
    case 'optional': {
      const inner = compile(def.innerType as z.ZodMiniType, compiled);
      return (value) => value === undefined || inner(value);
    }
    case 'nullable': {
      const inner = compile(def.innerType as z.ZodMiniType, compiled);
      return (value) => value === null || inner(value);
    }
    case 'array': {
      const element = compile(def.element as z.ZodMiniType, compiled);
      return (value) => {
        if (!Array.isArray(value)) return false;
        for (let index = 0; index < value.length; index += 1) if (!element(value[index])) return false;
        return true;
      };
    }
    case 'record': {
      const key = (def.keyType as z.ZodMiniType)._zod.def as z.core.$ZodTypeDef & Record<string, unknown>;
      if (key.type !== 'string' || (key.checks?.length ?? 0) > 0 || key.coerce === true) return never;
      const element = compile(def.valueType as z.ZodMiniType, compiled);
      // A record of anything (a resource's values) needs no walk over its keys.
      if (element === always) return (value) => isPlainObject(value) && !Object.hasOwn(value, '__proto__');
      return (value) => {
        if (!isPlainObject(value) || Object.hasOwn(value, '__proto__')) return false;
        for (const name in value) if (!element(value[name])) return false;
        return true;
      };
    }
    case 'object': {
      if (def.catchall !== undefined) return never;
      // Reading `shape` resolves its getters once (zod freezes it then), so a recursive shape compiles.
      const fields = Object.entries(def.shape as Record<string, z.ZodMiniType>).map(([name, field]) => [name, compile(field, compiled)] as const);
      return (value) => {
        if (!isPlainObject(value)) return false;
        for (let index = 0; index < fields.length; index += 1) {
          const [name, field] = fields[index]!;
          if (!field(value[name])) return false;
        }
        return true;
      };
    }
    default:
      return never;
  }
}

const always: Check = () => true;
const never: Check = () => false;
const isString: Check = (value) => typeof value === 'string';

/** An object as `JSON.parse` makes it (zod's records refuse an object of another class; its objects are then unusual enough to leave to zod). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}
