import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { createColors } from 'picocolors';
import { UsageError } from '../errors.js';
import { rules, type Rule } from '../rules/index.js';
import type { CliIo } from './io.js';

/**
 * Where docs/rules/ is: next to dist/ in the package (this module bundled into dist/cli.js), or two levels up from
 * src/cli/ when run from source (tests).
 */
const RULE_DOCS_DIRS = [new URL('../docs/rules/', import.meta.url), new URL('../../docs/rules/', import.meta.url)];

/** `imglint explain <rule-id>`: the rule's documentation page, as shipped in the package's docs/rules/. */
export function explainCommand(io: CliIo): Command {
  return new Command('explain')
    .description("print a rule's documentation: what it checks, why the launch fails (the provider's exact error), how to fix it")
    .argument('<rule-id>', 'a rule ID, as findings and `imglint rules` print it')
    .addHelpText(
      'after',
      `
Examples:
  $ imglint explain virtualization-type
  $ imglint explain ena-support | less
  $ imglint rules            # every rule ID`,
    )
    .action(async (id: string) => {
      const rule = rules.find((candidate) => candidate.id === id);
      if (rule === undefined) throw unknownRule(id);
      const page = (await readRulePage(id)) ?? fallbackPage(rule);
      const c = createColors(io.color);
      io.stdout.write(page.replace(/^#+ .*$/gm, (heading) => c.bold(heading)));
    });
}

/** The page's Markdown, or undefined when this installation has no page for the rule. */
async function readRulePage(id: string): Promise<string | undefined> {
  for (const dir of RULE_DOCS_DIRS) {
    try {
      return await readFile(new URL(`${id}.md`, dir), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return undefined;
}

/** What the rule itself knows, for a rule whose page is not shipped. */
function fallbackPage(rule: Rule): string {
  return [
    `# ${rule.id}`,
    '',
    `Default severity: ${rule.severity}. Providers: ${rule.providers.join(', ')}.`,
    '',
    rule.summary,
    '',
    `This installation has no documentation page for the rule; see ${rule.docsUrl}`,
    '',
  ].join('\n');
}

/** A `UsageError` (exit 2) naming the rule IDs closest to `id`, or all of them when none is close. */
function unknownRule(id: string): UsageError {
  const scored = rules
    .map((rule) => ({ id: rule.id, score: similarity(id.toLowerCase(), rule.id) }))
    .filter(({ score }) => score >= 0.5)
    .sort((a, b) => b.score - a.score)
    .slice(0, 3)
    .map((candidate) => candidate.id);
  const hint =
    scored.length > 0
      ? `did you mean ${scored.join(', ')}? 'imglint rules' lists every rule`
      : `rule IDs: ${rules.map((rule) => rule.id).join(', ')}`;
  return new UsageError(`unknown rule '${id}'`, { hint });
}

/** Dice coefficient of the two strings' character bigrams: 1 for equal strings, 0 for nothing in common. */
function similarity(a: string, b: string): number {
  const bigrams = (text: string) => Array.from({ length: Math.max(text.length - 1, 0) }, (_, i) => text.slice(i, i + 2));
  const left = bigrams(a);
  const right = bigrams(b);
  if (left.length === 0 || right.length === 0) return a === b ? 1 : 0;
  const pool = new Map<string, number>();
  for (const pair of right) pool.set(pair, (pool.get(pair) ?? 0) + 1);
  let shared = 0;
  for (const pair of left) {
    const remaining = pool.get(pair) ?? 0;
    if (remaining > 0) {
      shared += 1;
      pool.set(pair, remaining - 1);
    }
  }
  return (2 * shared) / (left.length + right.length);
}
