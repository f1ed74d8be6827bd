import type { ServerResponse } from 'node:http';

/**
 * Writes 300 MiB of `fill` after the response's head and opening text, as fast as the client reads it, and stops when
 * the client hangs up: an answer past any sane size cap, without holding it in memory.
 */
export function writeOversizeBody(response: ServerResponse, fill: string): void {
  const megabyte = Buffer.alloc(1024 * 1024, fill);
  let sent = 0;
  const more = () => {
    while (sent < 300 && response.write(megabyte)) sent += 1;
    if (sent < 300) response.once('drain', more);
  };
  response.on('close', () => (sent = 300));
  more();
}
