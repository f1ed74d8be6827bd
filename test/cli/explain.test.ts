import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import { rules } from '../../src/rules/index.js';
import { hasStackTrace, repoRoot, runCli } from './run-cli.js';

/** Runs the CLI in-process from source (docs resolved from src/cli/, not dist/). */
async function runInProcess(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) }, color: false, exitCode: 0 };
  const status = await main(argv, io);
  return { status, stdout, stderr };
}

describe('imglint explain <rule-id>', () => {
  it("prints the rule's page from the built bundle, rendered for the terminal: tables drawn, no Markdown syntax", () => {
    const run = runCli(['explain', 'virtualization-type']);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^# virtualization-type$/m);
    expect(run.stdout).toMatch(/^## Why the launch fails$/m);
    expect(run.stdout).toContain("Virtualization type 'hvm' is required for instances of type 't2.micro'");
    expect(run.stdout).toMatch(/^## How to fix$/m);
    // The facts table is drawn, not printed as `| Default severity | ... |` with a `|---|` line.
    expect(run.stdout).toMatch(/│ Default severity\s+│ error\s+│/);
    expect(run.stdout).not.toContain('|---|');
    expect(run.stdout).not.toContain('`');
    expect(run.stdout).not.toMatch(/\u001b\[/);
  });

  it('colours the rendered page with --color, and prints the Markdown source with --markdown', () => {
    expect(runCli(['--color', 'explain', 'virtualization-type']).stdout).toMatch(/\u001b\[/);
    expect(runCli(['explain', 'virtualization-type', '--markdown']).stdout).toBe(readFileSync(`${repoRoot}docs/rules/virtualization-type.md`, 'utf8'));
  });

  it('finds the pages from source too, for every rule', async () => {
    for (const rule of rules) {
      const run = await runInProcess(['explain', rule.id]);
      expect(run.status, rule.id).toBe(0);
      expect(run.stdout.split('\n')[0]).toBe(`# ${rule.id}`);
      expect(run.stdout).not.toContain('|---|');
    }
  });

  it('an unknown rule exits 2 and names the close rule IDs', () => {
    const run = runCli(['explain', 'virtualisation-type']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe("imglint: unknown rule 'virtualisation-type'\nhint: Did you mean virtualization-type? ('imglint rules' lists every rule)\n");
    expect(hasStackTrace(run.stderr)).toBe(false);
  });

  it('an ID close to nothing exits 2 and lists every rule ID', () => {
    const run = runCli(['explain', 'xyz']);
    expect(run.status).toBe(2);
    for (const rule of rules) expect(run.stderr).toContain(rule.id);
  });

  it('a missing rule ID is a usage error (exit 2); --help has examples', () => {
    expect(runCli(['explain']).status).toBe(2);
    const help = runCli(['explain', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('$ imglint explain virtualization-type');
  });
});
