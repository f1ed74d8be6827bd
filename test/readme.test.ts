/** README.md says what the code does: its quick start comes first, its options table is `check --help`'s, its links resolve. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot, runCli } from './cli/run-cli.js';

const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
const section = (heading: string) => readme.split(/^## /m).find((part) => part.startsWith(`${heading}\n`)) ?? '';
const flagsIn = (text: string) => new Set([...text.matchAll(/--[a-z][a-z-]*/g)].map(([flag]) => flag));

describe('README.md', () => {
  it('starts with the two quick-start commands: an offline check, then the tests', () => {
    const blocks = [...readme.matchAll(/^```sh\n([\s\S]*?)```$/gm)].map(([, body]) => body!.trim());
    expect(blocks.slice(0, 2)).toEqual(['npm ci && npx imglint check --offline --region us-east-1 --image-file examples/aws/ami-0e972d2890378139a.json --type t2.micro', 'npm test']);
    expect(readme.indexOf('## Quick start')).toBeLessThan(readme.indexOf('## Install'));
  });

  it('lists every option of `imglint check --help` and the global ones in its options table, and no other', () => {
    const table = section('Options').split('\n').filter((line) => line.startsWith('| `--'));
    const documented = flagsIn(table.map((row) => row.split(' | ')[0]).join(' '));
    // The option lines of --help: `  --plan <file>  description` (the first column only).
    const options = (help: string) => help.split('\n').filter((line) => /^\s+(-\w, )?--/.test(line)).map((line) => line.trim().split(/\s{2,}/)[0]);
    const known = flagsIn([...options(runCli(['check', '--help']).stdout), ...options(runCli(['--help']).stdout)].join(' '));
    for (const flag of ['--help', '--version']) known.delete(flag);
    expect([...documented].sort()).toEqual([...known].sort());
  });

  it("documents every input of action.yml in its GitHub Action section, and its example uses only real inputs", () => {
    const action = parse(readFileSync(path.join(repoRoot, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> };
    const text = section('GitHub Action');
    const documented = text
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .flatMap((row) => [...row.split(' | ')[0]!.matchAll(/`([\w-]+)`/g)].map(([, name]) => name!));
    expect(documented.sort()).toEqual(Object.keys(action.inputs).sort());
    const example = /```yaml\n([\s\S]*?)```/.exec(text)![1]!;
    const steps = (parse(example) as { steps: { uses?: string; with?: Record<string, unknown> }[] }).steps;
    const step = steps.find((candidate) => candidate.uses?.startsWith('imglint/imglint@'))!;
    expect(Object.keys(step.with!).filter((name) => !(name in action.inputs))).toEqual([]);
  });

  it('runs its offline commands as written: no usage error, nothing on stderr (the quick start exits 1, as it says)', () => {
    const lines = [...readme.matchAll(/^```sh\n([\s\S]*?)```$/gm)]
      .flatMap(([, body]) => body!.split('\n'))
      .map((line) => line.replace(/^npm ci && /, '').replace(/^npx /, ''))
      .filter((line) => line.startsWith('imglint ') && (line.includes(' --offline') || /^imglint (explain|rules)\b/.test(line)));
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const line of lines) {
      const args = line.split(' ').slice(1).map((word) => word.replace(/^"(.*)"$/, '$1'));
      const result = runCli(args);
      expect(result.stderr, line).toBe('');
      expect([0, 1], line).toContain(result.status);
    }
    expect(runCli(lines[0]!.split(' ').slice(1)).status).toBe(1);
  });

  it('links only to files that exist', () => {
    const links = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map(([, target]) => target!).filter((target) => !/^[a-z]+:/.test(target));
    expect(links.length).toBeGreaterThan(10);
    expect(links.filter((target) => !existsSync(path.join(repoRoot, target)))).toEqual([]);
  });
});
