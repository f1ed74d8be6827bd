import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { createColors } from 'picocolors';
import { closeMatches, didYouMean } from '../catalog/close-matches.js';
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
  const close = didYouMean(id, closeMatches(id, rules.map((rule) => [rule.id, []] as const)), false);
  const hint = close.length > 0 ? `${close[0]} ('imglint rules' lists every rule)` : `rule IDs: ${rules.map((rule) => rule.id).join(', ')}`;
  return new UsageError(`unknown rule '${id}'`, { hint });
}
