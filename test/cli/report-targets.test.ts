/**
 * Report files that are not plain files: a symbolic link is written through (the link stays), a named pipe or a
 * device is written in place, never replaced by a regular file.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, lstatSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../support/temp-dir.js';
import { runCli } from './run-cli.js';

const PV_CHECK = ['check', '--offline', '--region', 'us-east-1', '--image-file', 'examples/aws/ami-0e972d2890378139a.json', '--type', 't2.micro'];

describe('report files that are links, pipes or devices', () => {
  const dir = useTempDir('imglint-report-targets-', { each: true });

  it('a symbolic link is written through: the file it points at gets the report, the link stays a link', () => {
    const target = path.join(dir(), 'target.json');
    const link = path.join(dir(), 'link.json');
    writeFileSync(target, 'old');
    symlinkSync('target.json', link);
    const run = runCli([...PV_CHECK, '--format', `json=${link}`]);
    expect(run.status).toBe(1);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('target.json');
    expect(JSON.parse(readFileSync(target, 'utf8'))).toMatchObject({ summary: { failed: 1 } });
  });

  it('a dangling link gets the file it names created', () => {
    const link = path.join(dir(), 'link.sarif');
    symlinkSync('reports/imglint.sarif', link);
    expect(runCli([...PV_CHECK, '--format', `sarif=${link}`]).status).toBe(1);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(path.join(dir(), 'reports', 'imglint.sarif'), 'utf8'))).toMatchObject({ version: '2.1.0' });
  });

  it('a named pipe is written in place, for the reader at its other end', async () => {
    const fifo = path.join(dir(), 'report.pipe');
    execFileSync('mkfifo', [fifo]);
    const chunks: Buffer[] = [];
    const reader = createReadStream(fifo);
    reader.on('data', (chunk) => chunks.push(chunk as Buffer));
    const read = new Promise<void>((resolve) => reader.on('end', () => resolve()));
    const child = spawn(process.execPath, ['bin/imglint.js', ...PV_CHECK, '--format', `json=${fifo}`], { stdio: 'ignore' });
    const status = await new Promise((resolve) => child.on('exit', resolve));
    await read;
    expect(status).toBe(1);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(JSON.parse(Buffer.concat(chunks).toString('utf8'))).toMatchObject({ summary: { failed: 1 } });
  });

  it('/dev/null stays a device', () => {
    expect(runCli([...PV_CHECK, '--format', 'json=/dev/null']).status).toBe(1);
    expect(lstatSync('/dev/null').isCharacterDevice()).toBe(true);
  });
});
