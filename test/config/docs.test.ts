import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse.js';
import { ImglintConfigFile } from '../../src/config/schema.js';

const page = readFileSync(fileURLToPath(new URL('../../docs/configuration.md', import.meta.url)), 'utf8');
const yamlBlocks = [...page.matchAll(/^```yaml\n(.*?)^```$/gms)].map((match) => match[1]!);

describe('docs/configuration.md', () => {
  it('has YAML examples', () => {
    expect(yamlBlocks.length).toBeGreaterThan(0);
  });

  it.each(yamlBlocks.map((block, index) => [index, block]))('YAML example %i is a valid configuration', (_, block) => {
    expect(() => parseConfig(block, 'docs/configuration.md')).not.toThrow();
  });

  it('documents every key in the table', () => {
    for (const key of Object.keys(ImglintConfigFile.shape)) expect(page).toContain(`| \`${key}\` |`);
  });
});
