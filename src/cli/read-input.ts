import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { UsageError } from '../errors.js';

/** Files the CLI reads whole (a baseline) are refused past this size. */
const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/**
 * A small input file's text: a regular file (opened without blocking, so a FIFO cannot hang the run) of at most
 * 64 MiB.
 *
 * @param flag - the flag that named it, for messages (`--baseline`).
 * @throws UsageError naming the flag and the path when the file is missing, not a regular file, too large or
 *   unreadable.
 */
export async function readRegularFile(path: string, flag: string): Promise<string> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const info = await handle.stat();
    if (!info.isFile()) throw new UsageError(`${flag} ${path}: ${info.isDirectory() ? 'is a directory' : 'not a regular file'}`, { hint: 'name a file' });
    if (info.size > MAX_INPUT_BYTES) throw new UsageError(`${flag} ${path}: larger than 64 MiB`, { hint: 'name the file imglint wrote' });
    return await handle.readFile('utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${flag} ${path}: ${code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? String(error)})`}`, { hint: 'check the path', cause: error });
  } finally {
    await handle?.close();
  }
}
