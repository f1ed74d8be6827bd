import * as fs from 'node:fs';

/**
 * Promise forms of the `node:fs` calls on the start-up path of a check (reading the image file, the config and inline
 * ignores; writing report files), built on `node:fs`'s callback API: `node:fs/promises` and the FileHandle, readline
 * and stream code it loads cost a one-pair check ~1.6 ms (measured on Node 20). The calls and their errors are those
 * of `node:fs/promises` (`ENOENT: no such file or directory, open '<path>'`, with `code`, `errno`, `syscall`, `path`);
 * {@link realpath} is the native `realpath(3)`, as there.
 */

type Callback<T> = (error: NodeJS.ErrnoException | null, value: T) => void;

function call<T>(run: (done: Callback<T>) => void): Promise<T> {
  return new Promise((resolve, reject) => run((error, value) => (error ? reject(error) : resolve(value))));
}

/** The whole file (a path, or an open descriptor from its current offset) as UTF-8 text. */
export const readFile = (file: fs.PathLike | number): Promise<string> => call<string>((done) => fs.readFile(file, 'utf8', done));

/** Opens `path` with `flags` (`fs.constants.O_*`); the descriptor must be given to {@link close}. */
export const open = (path: fs.PathLike, flags: number): Promise<number> => call<number>((done) => fs.open(path, flags, done));

/** `fstat(2)` of an open descriptor. */
export const fstat = (fd: number): Promise<fs.Stats> => call<fs.Stats>((done) => fs.fstat(fd, done));

export const close = (fd: number): Promise<void> => call<void>((done) => fs.close(fd, done));

export const stat = (path: fs.PathLike): Promise<fs.Stats> => call<fs.Stats>((done) => fs.stat(path, done));

export const lstat = (path: fs.PathLike): Promise<fs.Stats> => call<fs.Stats>((done) => fs.lstat(path, done));

export const readlink = (path: fs.PathLike): Promise<string> => call<string>((done) => fs.readlink(path, done));

export const realpath = (path: fs.PathLike): Promise<string> => call<string>((done) => fs.realpath.native(path, done));

/** Creates `path` and its missing parents (`recursive`): resolves to the first directory created, if any. */
export const mkdirs = (path: fs.PathLike): Promise<string | undefined> => call<string | undefined>((done) => fs.mkdir(path, { recursive: true }, done));

export const rename = (from: fs.PathLike, to: fs.PathLike): Promise<void> => call<void>((done) => fs.rename(from, to, done));

export const rm = (path: fs.PathLike, options: fs.RmOptions): Promise<void> => call<void>((done) => fs.rm(path, options, done));

/** Writes UTF-8 `text` to `path` (`flag` as `fs.writeFile`'s, default `w`). */
export const writeFile = (path: fs.PathLike, text: string, options: { flag?: string } = {}): Promise<void> =>
  call<void>((done) => fs.writeFile(path, text, options, done));

/** Appends UTF-8 `text` to `path`, creating it. */
export const appendFile = (path: fs.PathLike, text: string): Promise<void> => call<void>((done) => fs.appendFile(path, text, done));
