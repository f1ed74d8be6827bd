/**
 * docs/json-report.md against the report itself: every field of the `Report` zod schema (the definition, through
 * zod's JSON Schema export) has a row in the doc's tables, or is named in its parent's row; every row names a field
 * that exists; and the keys of real reports (offline runs of the examples, rich in optional fields) are all fields of
 * the schema, so none goes out undocumented. Needs `npm run build` (the reports come from the CLI).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { Report } from '../src/model/index.js';
import { repoRoot, runCli } from './cli/run-cli.js';

const doc = readFileSync(path.join(repoRoot, 'docs', 'json-report.md'), 'utf8');

/** Where each table's fields sit in a report. */
const TABLES = { Report: '', TargetResult: 'results[].', Finding: 'results[].findings[].' } as const;

/** Documented field path -> the text of its row. `a.b` / `.c` rows name `a.b` and `a.c`. */
function documentedFields(): Map<string, string> {
  const fields = new Map<string, string>();
  for (const [table, prefix] of Object.entries(TABLES)) {
    const section = doc.split(/^## /m).find((part) => part.startsWith(`\`${table}\`\n`));
    expect(section, table).toBeDefined();
    for (const row of section!.split('\n').filter((line) => line.startsWith('| `'))) {
      const [, first = '', ...rest] = row.split(/(?<!\\)\|/);
      let previous = '';
      for (const [, name] of first.matchAll(/`([^`]+)`/g)) {
        const field = name!.startsWith('.') ? `${previous.slice(0, previous.lastIndexOf('.'))}${name}` : name!;
        fields.set(`${prefix}${field}`, rest.join('|'));
        previous = field;
      }
    }
  }
  return fields;
}

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

/** Every field path of a JSON Schema: `a.b` for properties, `a[]` for an array's items. */
function schemaFields(schema: JsonSchema, at = '', into = new Set<string>()): Set<string> {
  for (const variant of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) schemaFields(variant, at, into);
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const field = at === '' ? name : `${at}.${name}`;
    into.add(field);
    schemaFields(property, field, into);
  }
  if (schema.items) {
    into.add(`${at}[]`);
    schemaFields(schema.items, `${at}[]`, into);
  }
  return into;
}

/** Every key path of a JSON value, as {@link schemaFields} writes them. */
function keyPaths(value: unknown, at = '', into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) {
      into.add(`${at}[]`);
      keyPaths(item, `${at}[]`, into);
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [name, child] of Object.entries(value)) {
      const field = at === '' ? name : `${at}.${name}`;
      into.add(field);
      keyPaths(child, field, into);
    }
  }
  return into;
}

const documented = documentedFields();
const defined = schemaFields(z.toJSONSchema(Report, { unrepresentable: 'any' }) as JsonSchema);
// `results[]` and `results[].findings[]` are the rows of their own tables; `catalogs[]` has its row.
const containers = new Set(['results[]', 'results[].findings[]']);

/** A field is documented by its row, or by being named in the row of its nearest documented ancestor. */
function isDocumented(field: string): boolean {
  if (documented.has(field) || containers.has(field)) return true;
  // An object or array whose fields have rows (`tool` of `tool.name`, `catalogs` of `catalogs[]`), or the items of a
  // documented array (`notices[]` of `notices`).
  if ([...documented.keys()].some((name) => name.startsWith(`${field}.`) || name.startsWith(`${field}[]`))) return true;
  if (field.endsWith('[]') && documented.has(field.slice(0, -2))) return true;
  const leaf = field.replace(/\[\]$/, '').split('.').at(-1)!;
  for (let parent = field; parent.includes('.'); ) {
    parent = parent.slice(0, parent.lastIndexOf('.'));
    const row = documented.get(parent) ?? documented.get(parent.replace(/\[\]$/, ''));
    if (row !== undefined) return row.includes(`\`${leaf}\``);
  }
  return false;
}

describe('docs/json-report.md', () => {
  it('documents every field of the Report schema', () => {
    expect(defined.size).toBeGreaterThan(40);
    expect([...defined].filter((field) => !isDocumented(field))).toEqual([]);
  });

  it('documents no field the schema does not have', () => {
    expect([...documented.keys()].filter((field) => !defined.has(field) && !defined.has(`${field}[]`))).toEqual([]);
  });

  it('covers every key of real reports', () => {
    const images = ['ami-0e972d2890378139a', 'ami-0006118602dfc1c09', 'ami-04fc404d256fd34a2'].flatMap((id) => ['--image-file', `examples/aws/${id}.json`]);
    const runs = [
      ['check', '--offline', '--cloudformation', 'examples/cloudformation/template.yaml', '--region', 'us-east-1', ...images, '--max-warnings', '0'],
      ['check', '--offline', '--manifest', 'examples/manifest/imglint.yaml', '--config', 'examples/config/.imglint.yaml'],
      ['check', '--offline', '--plan', 'examples/terraform/plan.json'],
      ['check', '--offline', '--region', 'us-east-1', '--image-file', 'examples/aws/ami-0006118602dfc1c09.json', '--type', 't3.micro', '--availability-zone', 'use1-az3'],
      ['check', '--provider', 'rackspace', '--offline', '--region', 'IAD', '--image-file', 'examples/rackspace/ubuntu-14.04-pv.json', '--flavor', 'io1-15', '--disk-config', 'AUTO'],
    ];
    const seen = new Set<string>();
    for (const args of runs) {
      const result = runCli([...args, '--format', 'json']);
      expect(result.status, `${args.join(' ')}\n${result.stderr}`).not.toBeNull();
      const json: unknown = JSON.parse(result.stdout);
      Report.parse(json);
      // The JSON as printed, not as parsed: zod drops keys it does not know, and those are the ones to catch.
      keyPaths(json, '', seen);
    }
    expect(seen.size).toBeGreaterThan(30);
    expect([...seen].filter((field) => !defined.has(field))).toEqual([]);
  });
});
