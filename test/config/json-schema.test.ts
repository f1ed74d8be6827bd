import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { configSchemaText, SCHEMA_FILE } from '../../scripts/generate-config-schema.js';
import { INIT_TEMPLATE } from '../../src/config/init-template.js';
import { CONFIG_SCHEMA_URL } from '../../src/config/schema-url.js';

const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);

describe('the JSON Schema of .imglint.yaml (schema/imglint-config.schema.json)', () => {
  it('is what scripts/generate-config-schema.ts makes from the zod schema (npm run generate:config-schema)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(configSchemaText());
    expect(schema.$id).toBe(CONFIG_SCHEMA_URL);
  });

  it('accepts the annotated example and what imglint init writes', () => {
    const example = parse(readFileSync(new URL('../../examples/config/.imglint.yaml', import.meta.url), 'utf8'));
    expect(validate(example) ? [] : validate.errors).toEqual([]);
    expect(validate(parse(INIT_TEMPLATE) ?? {})).toBe(true);
    expect(INIT_TEMPLATE.startsWith(`# yaml-language-server: $schema=${CONFIG_SCHEMA_URL}\n`)).toBe(true);
  });

  it('rejects what the CLI rejects: unknown keys, unknown rule IDs, a missing reason, a bad enum value', () => {
    for (const bad of [{ failon: 'error' }, { rules: { 'previous-generaton': 'off' } }, { ignore: [{ rule: 'architecture' }] }, { failOn: 'warn' }]) {
      expect(validate(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it('is shipped in the package', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(pkg.files).toContain('schema');
  });
});
