import { Command, Option } from 'commander';
import { rules } from '../rules/index.js';
import type { CliIo } from './io.js';

/** `imglint rules`: every rule with its severity and a one-line summary. */
export function rulesCommand(io: CliIo): Command {
  return new Command('rules')
    .description('list the rules, their default severity and what they check')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((flags: { format: 'text' | 'json' }) => {
      if (flags.format === 'json') {
        const list = rules.map(({ id, severity, providers, summary, docsUrl }) => ({ id, severity, providers, summary, docs: docsUrl }));
        io.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        return;
      }
      const width = Math.max(...rules.map((rule) => rule.id.length));
      for (const rule of rules) io.stdout.write(`${rule.id.padEnd(width)}  ${rule.severity.padEnd(7)}  ${rule.summary}\n`);
    });
}
