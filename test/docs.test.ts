import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import { rules } from '../src/rules/index.js';

/** docs/rules/, resolved from this file so the test does not depend on the working directory. */
const RULE_DOCS_DIR = fileURLToPath(new URL('../docs/rules/', import.meta.url));

function pagePath(id: string): string {
  return `${RULE_DOCS_DIR}${id}.md`;
}

function readPage(id: string): string {
  return readFileSync(pagePath(id), 'utf8');
}

/** The providers cell of a rule's row in docs/rules/README.md's index table. */
function indexProviders(id: string): string | undefined {
  const lines = readFileSync(`${RULE_DOCS_DIR}README.md`, 'utf8').split('\n');
  const header = lines.find((line) => line.startsWith('| id |'))?.split('|').map((cell) => cell.trim());
  const row = lines.find((line) => line.startsWith(`| \`${id}\` |`));
  return header && row?.split('|')[header.indexOf('providers')]?.trim();
}

/** The value of a `| label | value |` row in the page's header table. */
function headerRow(page: string, label: string): string | undefined {
  const row = page.split('\n').find((line) => line.startsWith(`| ${label} |`));
  return row?.split('|')[2]?.trim();
}

describe('rule docs (docs/rules/<id>.md)', () => {
  it('has rules to check', () => {
    expect(rules.length).toBeGreaterThan(0);
  });

  describe.each(rules.map((rule) => [rule.id, rule] as const))('%s', (id, rule) => {
    it('has a page', () => {
      expect(existsSync(pagePath(id)), `missing docs/rules/${id}.md`).toBe(true);
    });

    it('starts with "# <id>"', () => {
      expect(readPage(id).split('\n')[0]).toBe(`# ${id}`);
    });

    it("states the rule's severity", () => {
      expect(headerRow(readPage(id), 'Default severity')).toBe(`\`${rule.severity}\``);
    });

    it("states the rule's providers (for none, the index's `—` and why)", () => {
      const cell = headerRow(readPage(id), 'Providers');
      if (rule.providers.length === 0) expect(cell).toBe(indexProviders(id));
      else expect(cell).toBe(rule.providers.map((provider) => `\`${provider}\``).join(', '));
    });

    it('has the sections every rule page needs', () => {
      const page = readPage(id);
      expect(page).toMatch(/^## What it checks$/m);
      expect(page).toMatch(/^## Why the launch (fails|does not fail)$/m);
      expect(page).toMatch(/^## How to fix$/m);
    });

    it('is where its docsUrl points', () => {
      expect(rule.docsUrl.endsWith(`docs/rules/${id}.md`), rule.docsUrl).toBe(true);
    });
  });

  it('has no page for a rule that does not exist', () => {
    const ids = new Set(rules.map((rule) => rule.id));
    const orphans = readdirSync(RULE_DOCS_DIR)
      .filter((name) => name.endsWith('.md') && name !== 'README.md')
      .map((name) => name.slice(0, -'.md'.length))
      .filter((id) => !ids.has(id));
    expect(orphans).toEqual([]);
  });

  it('lists every rule, with its severity, its providers and a link, in docs/rules/README.md, in registry order', () => {
    const index = readFileSync(`${RULE_DOCS_DIR}README.md`, 'utf8');
    const lines = index.split('\n');
    const header = lines.find((line) => line.startsWith('| id |'))!.split('|').map((cell) => cell.trim());
    const providersColumn = header.indexOf('providers');
    expect(providersColumn).toBeGreaterThan(0);
    const table = lines.slice(lines.findIndex((line) => line.startsWith('| id |')) + 2);
    const rows = table.slice(0, table.findIndex((line) => !line.startsWith('|')));
    expect(rows.map((row) => row.split('|')[1]!.trim())).toEqual(rules.map((rule) => `\`${rule.id}\``));
    for (const rule of rules) {
      const row = rows.find((line) => line.startsWith(`| \`${rule.id}\` |`))!;
      expect(row).toContain(`| \`${rule.severity}\` |`);
      // The providers a rule runs for, as the registry says (src/rules/index.ts), in its order; `—` for none.
      const cell = row.split('|')[providersColumn]!.trim();
      if (rule.providers.length === 0) expect(cell, rule.id).toMatch(/^— /);
      else expect(cell, rule.id).toBe(rule.providers.join(', '));
      expect(row).toContain(`](${rule.id}.md)`);
    }
  });
});
