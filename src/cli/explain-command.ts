import { stripVTControlCharacters } from 'node:util';
import { Command } from 'commander';
import { closeMatches, didYouMean } from '../catalog/close-matches.js';
import { UsageError } from '../errors.js';
import { readRulePage } from '../report/rule-docs.js';
import { rules, type Rule } from '../rules/index.js';
import type { CliIo } from './io.js';

/** Rendered pages are wrapped at the terminal's width, within these bounds. */
const MIN_WIDTH = 60;
const MAX_WIDTH = 100;

/** `imglint explain <rule-id>`: the rule's documentation page, as shipped in the package's docs/rules/. */
export function explainCommand(io: CliIo): Command {
  return new Command('explain')
    .description("print a rule's documentation: what it checks, why the launch fails (the provider's exact error), how to fix it")
    .argument('<rule-id>', 'a rule ID, as findings and `imglint rules` print it')
    .option('--markdown', "print the page's Markdown source instead of rendering it for the terminal")
    .addHelpText(
      'after',
      `
Examples:
  $ imglint explain virtualization-type
  $ imglint explain ena-support | less -R
  $ imglint explain ena-support --markdown > ena-support.md
  $ imglint rules            # every rule ID`,
    )
    .action(async (id: string, flags: { markdown?: boolean }) => {
      const rule = rules.find((candidate) => candidate.id === id);
      if (rule === undefined) throw unknownRule(id);
      const page = (await readRulePage(id)) ?? fallbackPage(rule);
      if (flags.markdown) {
        io.stdout.write(page);
        return;
      }
      const columns = io.stdout.columns ?? 80;
      io.stdout.write(await renderForTerminal(page, { color: io.color, width: Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, columns)) }));
    });
}

/**
 * Markdown for a terminal, by marked and marked-terminal (headings, tables drawn as tables, wrapped paragraphs),
 * loaded only here. Without colour every escape sequence is taken out, whatever the libraries' own detection says.
 */
async function renderForTerminal(page: string, { color, width }: { color: boolean; width: number }): Promise<string> {
  const [{ Marked }, { markedTerminal }, { Chalk }] = await Promise.all([import('marked'), import('marked-terminal'), import('chalk')]);
  const chalk = new Chalk({ level: color ? 1 : 0 });
  const marked = new Marked(
    markedTerminal({
      code: chalk.yellow,
      blockquote: chalk.gray.italic,
      html: chalk.gray,
      heading: chalk.green.bold,
      firstHeading: chalk.magenta.bold,
      strong: chalk.bold,
      em: chalk.italic,
      codespan: chalk.yellow,
      del: chalk.dim.strikethrough,
      link: chalk.blue,
      href: chalk.blue.underline,
      emoji: false,
      width,
      reflowText: true,
      // Without colour, `#` marks keep headings apart from text.
      showSectionPrefix: !color,
      tableOptions: color ? {} : { style: { head: [], border: [] } },
    }),
  );
  const rendered = await marked.parse(page);
  return color ? rendered : stripVTControlCharacters(rendered);
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
