import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { configSchemaText, SCHEMA_FILE } from '../../scripts/generate-config-schema.js';
import { INIT_TEMPLATE } from '../../src/config/init-template.js';
import { parseConfig } from '../../src/config/parse.js';
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

  it('accepts the file imglint init writes with every key uncommented, and the file has every key of the schema', () => {
    const dir = mkdtempSync(join(tmpdir(), 'imglint-init-schema-'));
    execFileSync(process.execPath, [fileURLToPath(new URL('../../bin/imglint.js', import.meta.url)), 'init'], { cwd: dir, stdio: 'pipe' });
    const written = readFileSync(join(dir, '.imglint.yaml'), 'utf8');
    rmSync(dir, { recursive: true, force: true });
    expect(written).toBe(INIT_TEMPLATE);
    // Uncomment what a user would: a `# key:` line and the indented lines of its block; prose stays a comment.
    let inBlock = false;
    const uncommented = written
      .split('\n')
      .map((line) => {
        if (/^# [a-zA-Z]\w*:( |$)/.test(line)) inBlock = true;
        else if (!(inBlock && /^# {3}/.test(line))) inBlock = false;
        return inBlock ? line.slice(2) : line;
      })
      .join('\n');
    const config = parse(uncommented) as Record<string, unknown>;
    expect(Object.keys(config).sort()).toEqual(Object.keys(schema.properties).sort());
    expect(validate(config) ? [] : validate.errors).toEqual([]);
    // The CLI's own reader (the zod schema) agrees with the JSON Schema on it.
    expect(() => parseConfig(uncommented, '.imglint.yaml')).not.toThrow();
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
