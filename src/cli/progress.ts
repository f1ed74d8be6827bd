import type { CliIo } from './io.js';

/** Runs shorter than this print no progress at all. */
const QUIET_MS = 1000;

/**
 * A progress line on stderr (`checking: 3/5 provider regions`), only when stderr is a terminal and the run has
 * taken over a second; erased when done so it never mixes with the report.
 */
export function progressReporter(io: CliIo): { update: (done: number, total: number) => void; done: () => void } {
  const stream = io.stderr;
  const interactive = stream.isTTY === true;
  const started = Date.now();
  let shown = false;
  return {
    update(done, total) {
      if (!interactive || Date.now() - started < QUIET_MS) return;
      shown = true;
      stream.write(`\rchecking: ${done}/${total} provider regions`);
    },
    done() {
      if (shown) stream.write('\r\u001b[2K');
    },
  };
}
