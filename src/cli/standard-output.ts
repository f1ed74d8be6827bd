import { fstatSync, statSync, writeSync } from 'node:fs';

/**
 * Whether `fd` may be a terminal: a character device other than `/dev/null`. A regular file, a pipe or a socket is
 * not; on Windows every handle is left to Node's own stream.
 */
function mayBeTerminal(fd: number): boolean {
  if (process.platform === 'win32') return true;
  try {
    const stats = fstatSync(fd);
    return stats.isCharacterDevice() && stats.rdev !== statSync('/dev/null').rdev;
  } catch {
    return true;
  }
}

/**
 * stdout or stderr of the CLI. Output that is not a terminal (a file, a pipe, `/dev/null`: what CI runs see) is
 * written to the descriptor with `fs.writeSync`: `process.stdout` would load Node's stream modules, and for a pipe
 * `net` too, which cost a one-pair check 5-10 ms of its start-up. A terminal gets `process.stdout` / `process.stderr`
 * as before (their `isTTY` and `columns`). A descriptor that would block (`EAGAIN`, a non-blocking pipe the parent
 * handed over) passes the rest of the output to Node's stream, which waits for it; a reader that has gone (`EPIPE`,
 * `imglint matrix | head`) ends the output quietly, the exit code unchanged, as it did with the stream.
 */
export class StandardOutput {
  readonly isTTY: boolean;
  private stream: NodeJS.WriteStream | undefined;
  private closed = false;

  /**
   * @param fd - the descriptor: 1 or 2 in the bin.
   * @param nodeStream - `process.stdout` or `process.stderr`, read only when it is used (its getter builds it).
   */
  constructor(
    private readonly fd: number,
    private readonly nodeStream: () => NodeJS.WriteStream,
  ) {
    if (mayBeTerminal(fd)) this.useStream();
    this.isTTY = this.stream?.isTTY === true;
  }

  /** The terminal's width in columns; `undefined` when the output is not a terminal. */
  get columns(): number | undefined {
    return this.isTTY ? this.stream?.columns : undefined;
  }

  write(text: string): boolean {
    if (this.closed) return false;
    if (this.stream !== undefined) return this.stream.write(text);
    // The text as it is, without a Buffer copy of a matrix's 200 KB; bytes only for what a short write left.
    let bytes: Buffer | undefined;
    let written = 0;
    try {
      written = writeSync(this.fd, text);
      if (written < Buffer.byteLength(text)) {
        bytes = Buffer.from(text, 'utf8');
        while (written < bytes.length) written += writeSync(this.fd, bytes, written);
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') {
        this.closed = true;
        return false;
      }
      if (code !== 'EAGAIN') throw error;
      return this.useStream().write((bytes ?? Buffer.from(text, 'utf8')).subarray(written));
    }
    return true;
  }

  private useStream(): NodeJS.WriteStream {
    const stream = this.nodeStream();
    // A reader that stops early closes the pipe: stop writing, keep the exit code.
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      this.closed = true;
    });
    this.stream = stream;
    return stream;
  }
}
