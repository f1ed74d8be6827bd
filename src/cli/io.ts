import { createSupportsColor } from 'supports-color';

/** Where a CLI run writes: stdout or stderr (`StandardOutput`) in the bin, a collector in tests. */
export interface CliOutput {
  write(text: string): unknown;
  /** Whether it is a terminal (progress lines, colour); absent: not one. */
  readonly isTTY?: boolean;
  /** A terminal's width in columns. */
  readonly columns?: number | undefined;
}

/** The streams and settings a CLI run uses; injected so tests can run the CLI in-process. */
export interface CliIo {
  stdout: CliOutput;
  stderr: CliOutput;
  /** Colour what goes to stdout: {@link colorFromEnvironment}, then `--color` / `--no-color`. */
  color: boolean;
  /** Set by commands; the process exits with it. */
  exitCode: number;
}

/**
 * Whether to colour a stream before `--color` / `--no-color` are seen, by the conventions of `supports-color`
 * (chalk's): `FORCE_COLOR` (`0` or `false` off, `1`-`3`, `true` or empty on) wins; then a non-empty `NO_COLOR`
 * (no-color.org) turns colour off; otherwise colour when the stream is a terminal whose `TERM` is not `dumb` (and
 * in the CI services supports-color knows). Node's own `FORCE_COLOR` over `NO_COLOR` order.
 */
export function colorFromEnvironment(stream: { isTTY?: boolean }): boolean {
  if (!('FORCE_COLOR' in process.env) && process.env.NO_COLOR) return false;
  return createSupportsColor(stream as NodeJS.WriteStream, { sniffFlags: false }) !== false;
}
