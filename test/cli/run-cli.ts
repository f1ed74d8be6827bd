import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/imglint.js', import.meta.url));

/** A catalog cache of its own for every run, so one test's cached answers never change another's API calls. */
const freshCache = () => ({ IMGLINT_CACHE_DIR: mkdtempSync(path.join(tmpdir(), 'imglint-cache-')) });

/** No AWS configuration from the machine running the tests, no colour. */
const TEST_ENV = {
  NO_COLOR: '1',
  AWS_CONFIG_FILE: '/nonexistent/imglint-test-config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/imglint-test-credentials',
  AWS_EC2_METADATA_DISABLED: 'true',
};

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built `imglint` bin (npm test builds first) in the repo root, with an environment that has no
 * AWS configuration unless `env` adds some.
 */
export function runCli(args: readonly string[], env: Record<string, string> = {}): CliRun {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')));
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...clean, ...TEST_ENV, ...freshCache(), ...env },
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** True when the output holds a JavaScript stack frame. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+:\d+:\d+\)?$/m.test(text);
}

/** Like {@link runCli}, without blocking the event loop (for tests that serve the CLI from this process). */
export function runCliAsync(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      {
        cwd: repoRoot,
        encoding: 'utf8',
        env: { ...clean, ...TEST_ENV, ...freshCache(), ...env },
        timeout: 30_000,
      },
      (error, stdout, stderr) => resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}
