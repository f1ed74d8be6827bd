/**
 * What the built CLI reads of dist/cli/ at start-up (scripts/build.mjs, src/cli/startup/loader.ts): an offline AWS
 * check runs from the start pack alone; Nova's checks load only for OpenStack targets.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../support/temp-dir.js';
import { repoRoot } from './run-cli.js';

describe('start-up files', () => {
  const dir = useTempDir('imglint-startup-files-');

  /** The files under dist/cli/ a run reads, relative to it, in the order read; with its exit code. */
  function scriptsRead(args: readonly string[]): { status: number | null; files: string[] } {
    const probe = path.join(dir(), 'probe.cjs');
    const record = path.join(dir(), 'read.json');
    writeFileSync(
      probe,
      `const fs = require('node:fs'); const read = fs.readFileSync; const seen = [];
       fs.readFileSync = function (file, ...rest) { if (typeof file === 'string') seen.push(file); return read.call(this, file, ...rest); };
       process.on('exit', () => fs.writeFileSync(${JSON.stringify(record)}, JSON.stringify(seen)));`,
    );
    const run = spawnSync(process.execPath, ['--require', probe, 'bin/imglint.js', ...args], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', IMGLINT_CACHE_DIR: mkdtempSync(path.join(tmpdir(), 'imglint-cache-')) },
    });
    const cli = path.join(repoRoot, 'dist', 'cli') + path.sep;
    const seen = JSON.parse(readFileSync(record, 'utf8')) as string[];
    return { status: run.status, files: seen.filter((file) => file.startsWith(cli)).map((file) => file.slice(cli.length).replaceAll(path.sep, '/')) };
  }

  it('an offline AWS check reads the loader and the start pack only: no other script, never Nova checks', () => {
    const run = scriptsRead(['check', '--offline', '--region', 'us-east-1', '--image-file', 'examples/aws/ami-0e972d2890378139a.json', '--type', 't2.micro']);
    expect(run.status).toBe(1);
    expect(run.files).toEqual(['loader.cjs', 'start.cjs']);
  });

  it("an OpenStack check loads Nova's checks", () => {
    const run = scriptsRead(['check', '--provider', 'openstack', '--offline', '--image-file', 'examples/openstack/image.json', '--flavor-file', 'examples/openstack/flavor.json']);
    expect(run.status).toBe(1);
    expect(run.files.slice(0, 2)).toEqual(['loader.cjs', 'start.cjs']);
    expect(run.files).toContainEqual(expect.stringMatching(/^chunks\/server-create-\w+\.cjs$/));
  });
});
