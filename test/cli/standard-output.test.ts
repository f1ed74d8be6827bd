/**
 * stdout and stderr of the CLI (src/cli/standard-output.ts): written to the descriptor when it is not a terminal, so
 * a run whose output is a file or a pipe never builds Node's stdout stream; a descriptor that would block hands the
 * rest to the stream, in order; a reader that goes away ends the output quietly.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StandardOutput } from '../../src/cli/standard-output.js';
import { useTempDir } from '../support/temp-dir.js';
import { repoRoot, runCli } from './run-cli.js';

const CHECK = ['check', '--offline', '--region', 'us-east-1', '--image-file', 'examples/aws/ami-0e972d2890378139a.json', '--type', 't2.micro'];
const MATRIX = ['matrix', '--offline', '--region', 'us-east-1', '--image-file', 'examples/aws/ami-0e972d2890378139a.json', '--format', 'csv'];

/** Node's internal modules a run of the built CLI loaded, recorded by a preload script at exit. */
function modulesLoaded(dir: string, args: readonly string[], stdout: 'pipe' | 'ignore' | number): { status: number | null; stdout: string; modules: string[] } {
  const preload = path.join(dir, 'record-modules.cjs');
  const record = path.join(dir, 'modules.txt');
  writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(record)}, process.moduleLoadList.join('\\n')));\n`);
  const run = spawnSync(process.execPath, ['--require', preload, path.join(repoRoot, 'bin', 'imglint.js'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', stdout, 'pipe'],
    env: { ...process.env, NO_COLOR: '1', IMGLINT_CACHE_DIR: mkdtempSync(path.join(tmpdir(), 'imglint-cache-')) },
  });
  return { status: run.status, stdout: run.stdout ?? '', modules: readFileSync(record, 'utf8').split('\n') };
}

describe('the CLI output', () => {
  const dir = useTempDir('imglint-standard-output-');

  it.skipIf(process.platform === 'win32').each([
    ['a pipe', 'pipe' as const],
    ['/dev/null', 'ignore' as const],
  ])('to %s is written without building Node stdout stream (no tty, net or sync write stream)', (_name, stdout) => {
    const run = modulesLoaded(dir(), CHECK, stdout);
    expect(run.status).toBe(1);
    if (stdout === 'pipe') expect(run.stdout).toContain('FAIL ami-0e972d2890378139a');
    expect(run.modules).toContain('NativeModule vm');
    expect(run.modules.filter((name) => /^NativeModule (tty|net|internal\/fs\/sync_write_stream)$/.test(name))).toEqual([]);
  });

  it('to a file holds the same report as to a pipe', () => {
    const file = path.join(dir(), 'out.txt');
    const piped = runCli(CHECK);
    const fd = openSync(file, 'w');
    try {
      expect(modulesLoaded(dir(), CHECK, fd).status).toBe(1);
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(file, 'utf8')).toBe(piped.stdout);
  });

  it.skipIf(process.platform === 'win32')('to a reader that stops early ends quietly with the exit code of the run', () => {
    // More than a pipe holds (64 KiB on Linux): the reader's exit leaves the rest unwritten.
    const run = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" bin/imglint.js ${MATRIX.join(' ')} | head -c 100 > /dev/null; echo "exit=\${PIPESTATUS[0]}"`], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', IMGLINT_CACHE_DIR: mkdtempSync(path.join(tmpdir(), 'imglint-cache-')) },
    });
    expect(runCli(MATRIX).stdout.length).toBeGreaterThan(65_536);
    expect(run.stdout.trim()).toBe('exit=0');
    expect(run.stderr).toBe('');
  });
});

describe('StandardOutput', () => {
  it.skipIf(process.platform === 'win32')('hands what a non-blocking descriptor refuses (EAGAIN) to the stream, in order', async () => {
    // A socket is non-blocking in Node: while the other end does not read, writeSync fills it and then meets EAGAIN.
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
    const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    await new Promise<void>((resolve) => client.once('connect', resolve));
    const peer = await accepted;
    peer.pause();
    const fd = (client as unknown as { _handle: { fd: number } })._handle.fd;
    let streamUsed = false;
    const output = new StandardOutput(fd, () => {
      streamUsed = true;
      return client as unknown as NodeJS.WriteStream;
    });
    const lines = Array.from({ length: 300_000 }, (_, index) => `line ${index} ${'x'.repeat(80)}\n`);
    for (const line of lines) output.write(line);
    expect(streamUsed).toBe(true);
    const received: Buffer[] = [];
    peer.on('data', (chunk: Buffer) => received.push(chunk));
    peer.resume();
    client.end();
    await new Promise<void>((resolve) => peer.once('end', resolve));
    server.close();
    expect(Buffer.concat(received).toString('utf8')).toBe(lines.join(''));
  });

  it('is not a terminal when its descriptor is a file, and has no columns', () => {
    const fd = openSync(path.join(mkdtempSync(path.join(tmpdir(), 'imglint-out-')), 'out.txt'), 'w');
    try {
      const output = new StandardOutput(fd, () => {
        throw new Error('a file is written to its descriptor, never through the stream');
      });
      expect(output.isTTY).toBe(false);
      expect(output.columns).toBeUndefined();
      expect(output.write('report\n')).toBe(true);
    } finally {
      closeSync(fd);
    }
  });
});
