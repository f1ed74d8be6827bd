import { CommanderError } from 'commander';
import { redactAwsSecrets } from '../../providers/aws/redact.js';
import { ImglintError } from '../errors.js';

/** Characters of one printed message or hint; a server can put anything in an error text. */
const MAX_LINE_CHARS = 1_000;
/** Characters of one stack printed with --debug. */
const MAX_STACK_CHARS = 8_000;

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

/**
 * The message printed on stderr: one line plus a hint; the stack (and the cause's) only with --debug. Every part
 * is scrubbed of AWS credentials (a server's error text may echo the signed request) and cut to a bounded length.
 */
export function describeError(error: unknown, debug: boolean): string {
  const lines: string[] = [];
  if (ImglintError.is(error)) {
    lines.push(`imglint: ${line(error.message)}`);
    if (error.hint) lines.push(`hint: ${line(error.hint)}`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    lines.push(`imglint: internal error: ${line(message)}`);
    if (!debug) lines.push('hint: run again with --debug for details, and report it');
  }
  if (debug && error instanceof Error) {
    lines.push(stack(error.stack ?? ''));
    if (error.cause instanceof Error) lines.push(`caused by: ${stack(error.cause.stack ?? error.cause.message)}`);
  }
  return `${lines.join('\n')}\n`;
}

function line(text: string): string {
  const flat = redactAwsSecrets(text).replace(/\s*\n\s*/g, ' ');
  return flat.length > MAX_LINE_CHARS ? `${flat.slice(0, MAX_LINE_CHARS - 1)}…` : flat;
}

function stack(text: string): string {
  const clean = redactAwsSecrets(text);
  return clean.length > MAX_STACK_CHARS ? `${clean.slice(0, MAX_STACK_CHARS - 1)}…` : clean;
}
