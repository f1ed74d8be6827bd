import { InvalidArgumentError, Option, type Command } from 'commander';
import { closeMatches, didYouMean } from '../catalog/close-matches.js';

/** A repeatable option: every occurrence, in order. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** An option that takes a whole number of at least `min`; `what` says what is expected (`a whole number of GiB, e.g. 40`). */
export function wholeNumber(min: number, what: string): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (value.trim() === '' || !Number.isInteger(number) || number < min) throw new InvalidArgumentError(`expected ${what}`);
    return number;
  };
}

/**
 * `--timeout <seconds>` of the commands that ask a provider (`matrix`, `catalog pull`): all of the command's EC2 or
 * OpenStack calls together, after which it stops with exit 3; the provider's `timeoutMs`, default 60 s
 * (`DEFAULT_PROVIDER_TIMEOUT_MS`).
 */
export function timeoutOption(): Option {
  return new Option('--timeout <seconds>', 'stop EC2 or OpenStack calls after this many seconds in all, exit 3 (default: 60; each attempt also stops at 10 s)').argParser(
    wholeNumber(1, 'a whole number of seconds, e.g. 60'),
  );
}

/**
 * Gives every option of `command` that has `.choices()` a "did you mean" when its value is not one of them
 * (`--fail-on err`: `Did you mean error?`), as unknown options and commands already have. The choices stay on the
 * option, so `--help` still lists them.
 */
export function suggestChoices(command: Command): void {
  for (const option of command.options) {
    const choices = option.argChoices;
    const parse = option.parseArg;
    if (choices === undefined || parse === undefined) continue;
    option.argParser((value: string, previous: unknown) => {
      try {
        return parse(value, previous);
      } catch (error) {
        if (!(error instanceof InvalidArgumentError)) throw error;
        const [close] = didYouMean(value, closeMatches(value, choices.map((choice) => [choice, []] as const)), false);
        throw close === undefined ? error : new InvalidArgumentError(`${error.message} ${close}`);
      }
    });
  }
}
