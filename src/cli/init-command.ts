import { lstat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { INIT_TEMPLATE } from '../config/init-template.js';
import { CONFIG_FILE_NAMES } from '../config/file-names.js';
import { UsageError } from '../errors.js';
import type { CliIo } from './io.js';

/** `imglint init`: writes a commented `.imglint.yaml` (every key at its default) in the working directory. */
export function initCommand(io: CliIo): Command {
  return new Command('init')
    .description('write a commented .imglint.yaml in the working directory: every key at its default, with the JSON Schema line for editors')
    .option('--force', 'replace an existing .imglint.yaml')
    .addHelpText(
      'after',
      `
Examples:
  $ imglint init
  $ imglint init --force     # start over

The file changes nothing until a line is uncommented; 'imglint check' reads it from the working directory or
any parent up to the repository root.`,
    )
    .action(async (flags: { force?: boolean }) => {
      const dir = process.cwd();
      const [name] = CONFIG_FILE_NAMES;
      for (const other of CONFIG_FILE_NAMES) {
        if (!(await exists(join(dir, other)))) continue;
        if (other !== name) {
          throw new UsageError(`${other} already exists here; imglint reads only one config file per directory`, {
            hint: `edit ${other}, or remove it and run imglint init again`,
          });
        }
        if (!flags.force) throw new UsageError(`${name} already exists`, { hint: 'edit it, or pass --force to replace it with the commented defaults' });
      }
      try {
        await writeFile(join(dir, name), INIT_TEMPLATE, { flag: flags.force ? 'w' : 'wx' });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? String(error);
        throw new UsageError(`cannot write ${name} (${code})`, { hint: 'run imglint init in a writable directory', cause: error });
      }
      io.stdout.write(`wrote ${name}: every key is commented out at its default (docs/configuration.md)\n`);
    });
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}
