import { readFile } from 'node:fs/promises';

/**
 * Where the package's docs/rules/ is, relative to the module reading it: `../docs/rules/` from dist/index.js,
 * `../../docs/rules/` from a chunk in dist/chunks/, from dist/cli/main.cjs or from src/report/ (tests),
 * `../../../docs/rules/` from a chunk in dist/cli/chunks/. The first that has the page wins.
 */
const RULE_DOCS_DIRS = ['../docs/rules/', '../../docs/rules/', '../../../docs/rules/'].map((dir) => new URL(dir, import.meta.url));

/**
 * A rule's documentation page (`docs/rules/<id>.md`, Markdown), as shipped in the package.
 *
 * @returns the page, or `undefined` when this installation has no page for the rule.
 * @throws the read error when a page exists but cannot be read (anything but ENOENT).
 */
export async function readRulePage(id: string): Promise<string | undefined> {
  // Rule IDs are kebab-case; anything else (a report from elsewhere) names no page and never a path.
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) return undefined;
  for (const dir of RULE_DOCS_DIRS) {
    try {
      return await readFile(new URL(`${id}.md`, dir), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return undefined;
}

/**
 * The page's first paragraph of prose (after the `# id` heading and the facts table): what the rule is about, in a
 * few sentences, for SARIF's `fullDescription`.
 */
export function firstParagraph(page: string): string | undefined {
  const paragraphs = page.split(/\r?\n\s*\r?\n/).map((block) => block.trim());
  const prose = paragraphs.find((block) => block !== '' && !/^(#|\||```|>|[-*] )/.test(block));
  return prose?.replace(/\s*\r?\n\s*/g, ' ');
}
