import { Command, CommanderError, Help, type Option } from 'commander';
import { VERSION } from '../version.js';
import { describeError, ExitCode, exitCodeFor } from './exit-codes.js';
import { colorFromEnvironment, type CliIo } from './io.js';
import { StandardOutput } from './standard-output.js';
import { suggestChoices } from './option-parsers.js';

/**
 * The commands, in `--help` order, each loaded only when it runs: a one-pair `check` is mostly start-up, and it
 * should not parse matrix, catalog or explain code.
 */
const COMMANDS: Record<string, (io: CliIo) => Promise<Command>> = {
  check: async (io) => (await import('./check-command.js')).checkCommand(io),
  rules: async (io) => (await import('./rules-command.js')).rulesCommand(io),
  matrix: async (io) => (await import('./matrix-command.js')).matrixCommand(io),
  explain: async (io) => (await import('./explain-command.js')).explainCommand(io),
  catalog: async (io) => (await import('./catalog-command.js')).catalogCommand(io),
  init: async (io) => (await import('./init-command.js')).initCommand(io),
  'pre-commit': async (io) => (await import('./check-command.js')).preCommitCommand(io),
};

/**
 * The commands a run needs: the one `argv` names (its first argument that is not an option; the root takes no
 * option values), or all of them for `--help`, `--version`, no command or an unknown one (whose "did you mean"
 * needs every name).
 */
async function commandsFor(argv: readonly string[], io: CliIo): Promise<Command[]> {
  const named = argv.find((arg) => !arg.startsWith('-'));
  const names = named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
  return Promise.all(names.map((name) => COMMANDS[name]!(io)));
}

/**
 * Help that leaves out `(default: [])`: a repeatable option starts from an empty list, which says nothing the
 * description's "(repeatable)" does not.
 */
class ImglintHelp extends Help {
  override optionDescription(option: Option): string {
    if (!Array.isArray(option.defaultValue) || option.defaultValue.length > 0) return super.optionDescription(option);
    return super.optionDescription(Object.assign(Object.create(option) as Option, { defaultValue: undefined }));
  }
}

function program(io: CliIo, commands: readonly Command[]): Command {
  const root = new Command('imglint')
    .description(
      'Lint machine images against instance types (AWS) and flavors (Rackspace, OpenStack) before launch:\ncatches the mismatches the cloud refuses at deploy time.',
    )
    .version(VERSION)
    .option('--debug', 'show stack traces on errors')
    .option('--color', 'colour the output, also when it is not a terminal (default: FORCE_COLOR, NO_COLOR, a terminal)')
    .option('--no-color', 'never colour the output')
    .showSuggestionAfterError()
    .hook('preAction', (command) => {
      const { color } = command.opts<{ color?: boolean }>();
      if (color !== undefined) io.color = color;
    })
    .addHelpText(
      'after',
      `
Exit codes:
  0  check: no finding at or above --fail-on; matrix: some type can run the image
  1  check: findings at or above --fail-on (default: error), or more warnings than --max-warnings;
     matrix: no type can
  2  usage or input error (unknown flag, malformed file, unknown region; an unknown image, type or flavor
     given as a flag; --offline with plan or manifest targets whose images no --image-file describes).
     In --plan/--manifest runs an image the credentials cannot see, or a type or flavor unknown offline,
     makes that target unverifiable (see 'imglint explain unverifiable'); other input errors of a target
     make it error, and the run exits 2
  3  provider or network error (credentials, throttling after retries, timeouts)

Colour: --color / --no-color, else FORCE_COLOR (0 off, 1-3 on), else NO_COLOR (off), else on for a terminal.

Examples:
  $ imglint check --offline --region us-east-1 --image-file examples/aws/ami-0e972d2890378139a.json --type t2.micro
  $ imglint matrix --offline --region us-east-1 --image-file examples/aws/ami-0e972d2890378139a.json
  $ imglint explain virtualization-type
  $ imglint init                # a commented .imglint.yaml
Run 'imglint <command> --help' for each command's options.`,
    );
  for (const command of commands) root.addCommand(command);
  // Commander exits 1 on usage errors, which would read as "findings"; throw instead and map to 2.
  for (const command of [root, ...root.commands]) {
    command.exitOverride().configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
    command.createHelp = () => Object.assign(new ImglintHelp(), command.configureHelp());
    suggestChoices(command);
  }
  return root;
}

/** Runs the CLI on `argv` (without node and script); returns the exit code. Never throws. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    await program(io, await commandsFor(argv, io)).parseAsync([...argv], { from: 'user' });
    return io.exitCode;
  } catch (caught) {
    if (!(caught instanceof CommanderError)) io.stderr.write(describeError(caught, argv.includes('--debug')));
    return exitCodeFor(caught);
  }
}

/** Entry point of the `imglint` bin. */
export async function run(): Promise<void> {
  const stdout = new StandardOutput(1, () => process.stdout);
  const io: CliIo = {
    stdout,
    stderr: new StandardOutput(2, () => process.stderr),
    color: colorFromEnvironment(stdout),
    exitCode: ExitCode.Clean,
  };
  process.exitCode = await main(process.argv.slice(2), io);
}
