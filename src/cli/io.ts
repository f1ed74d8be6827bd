/** The streams and settings a CLI run uses; injected so tests can run the CLI in-process. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Colour text output (stdout is a TTY and NO_COLOR is unset). */
  color: boolean;
  /** Set by commands; the process exits with it. */
  exitCode: number;
}
