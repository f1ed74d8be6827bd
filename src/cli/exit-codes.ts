import { CommanderError } from 'commander';
import { ImglintError } from '../errors.js';

/** imglint's exit codes; documented in the README and `imglint --help`. */
export const ExitCode = {
  /** No finding at or above --fail-on. */
  Clean: 0,
  /** Findings at or above --fail-on. */
  Findings: 1,
  /** Usage or input error: unknown flag, malformed file, unknown AMI or type. */
  Usage: 2,
  /** Provider or network error: credentials, throttling after retries, timeouts; also internal errors. */
  Provider: 3,
} as const;

/** The one place errors become exit codes and one-line messages. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.Clean : ExitCode.Usage;
  if (ImglintError.is(error)) return error.kind === 'provider' ? ExitCode.Provider : ExitCode.Usage;
  return ExitCode.Provider;
}

/** The message printed on stderr: one line plus a hint; the stack only with --debug. */
export function describeError(error: unknown, debug: boolean): string {
  const lines: string[] = [];
  if (ImglintError.is(error)) {
    lines.push(`imglint: ${error.message}`);
    if (error.hint) lines.push(`hint: ${error.hint}`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    lines.push(`imglint: internal error: ${message}`);
    if (!debug) lines.push('hint: run again with --debug for details, and report it');
  }
  if (debug && error instanceof Error) {
    lines.push(error.stack ?? '');
    if (error.cause instanceof Error) lines.push(`caused by: ${error.cause.stack ?? error.cause.message}`);
  }
  return `${lines.join('\n')}\n`;
}
