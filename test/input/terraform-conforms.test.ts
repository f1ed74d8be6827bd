/** The plan's shape check without zod's copy: true only where zod's safeParse succeeds with an output that reads the same. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { conformer } from '../../src/input/terraform/conforms.js';
import { Plan } from '../../src/input/terraform/plan-format.js';
import { resourceChange } from './plan-json.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const examples = ['examples/terraform/plan.json', 'examples/terraform/every-launch/plan.json'].map((file) => JSON.parse(readFileSync(path.join(repoRoot, file), 'utf8')) as unknown);
const isPlan = conformer(Plan);

/** `value` with the node at `path` replaced by `replacement` (a copy; `value` is untouched). */
function replaced(value: unknown, route: readonly (string | number)[], replacement: unknown): unknown {
  if (route.length === 0) return replacement;
  const [head, ...rest] = route;
  const copy = Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) };
  (copy as Record<string | number, unknown>)[head!] = replaced((value as Record<string | number, unknown>)[head!], rest, replacement);
  return copy;
}

/** Every path to a node of a JSON value, the root's `[]` first. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const children = Array.isArray(value) ? value.map((item, index) => [index, item] as const) : typeof value === 'object' && value !== null ? Object.entries(value) : [];
  return [prefix, ...children.flatMap(([key, child]) => paths(child, [...prefix, key]))];
}

describe('conformer(Plan)', () => {
  it('accepts the example plans, which zod accepts', () => {
    for (const plan of examples) {
      expect(Plan.safeParse(plan).success).toBe(true);
      expect(isPlan(plan)).toBe(true);
    }
  });

  it('refuses what zod refuses, at any depth (recursive modules included)', () => {
    const nested = { format_version: '1.2', planned_values: { root_module: { child_modules: [{ address: 'module.a', child_modules: [{ address: 'module.a.module.b', resources: [{ address: 7 }] }] }] } } };
    expect(Plan.safeParse(nested).success).toBe(false);
    expect(isPlan(nested)).toBe(false);
    const change = { format_version: '1.2', resource_changes: [resourceChange('aws_instance.web', { ami: 'ami-1' }), { ...resourceChange('aws_instance.b', {}), change: { actions: 'create' } }] };
    expect(Plan.safeParse(change).success).toBe(false);
    expect(isPlan(change)).toBe(false);
    expect(isPlan({ format_version: '1.2', resource_changes: [] })).toBe(true);
  });

  it('accepts a changed example only when zod does', () => {
    const plan = examples[1]!;
    const routes = paths(plan);
    const replacement = fc.oneof(fc.constant(null), fc.constant(undefined), fc.constant([]), fc.constant({}), fc.string(), fc.integer(), fc.boolean(), fc.jsonValue());
    fc.assert(
      fc.property(fc.integer({ min: 0, max: routes.length - 1 }), replacement, (at, value) => {
        const changed = replaced(plan, routes[at]!, value);
        expect(isPlan(changed)).toBe(Plan.safeParse(changed).success);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves to zod a record with an own __proto__ key, which zod drops from its output', () => {
    const plan = JSON.parse('{"format_version":"1.2","resource_changes":[],"variables":{"__proto__":{"value":"x"}}}') as unknown;
    expect(Plan.safeParse(plan).success).toBe(true);
    expect(isPlan(plan)).toBe(false);
  });

  it('leaves to zod the schemas it does not judge', () => {
    expect(conformer(z.number())(1)).toBe(false);
    expect(conformer(z.string().check(z.minLength(1)))('a')).toBe(false);
    expect(conformer(z.looseObject({ a: z.string() }))({ a: 'x' })).toBe(false);
    expect(conformer(z.record(z.enum(['a']), z.string()))({ a: 'x' })).toBe(false);
    expect(conformer(z.object({ a: z.string() }))({ a: 'x' })).toBe(true);
    expect(conformer(z.object({ a: z.string() }))([])).toBe(false);
  });
});
