/**
 * The library as the docs show it: the README's TypeScript blocks type-check against the built declarations (the
 * `imglint` package of this checkout, strict, unused imports refused), and every function the README's Library
 * section and docs/formats.md name is an export of the package. Needs `npm run build` (dist/ and its declarations).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './cli/run-cli.js';
import { writeConsumerTsconfig } from './support/consumer-project.js';
import { useTempDir } from './support/temp-dir.js';

const dir = useTempDir('imglint-library-docs-');
const read = (file: string) => readFileSync(join(repoRoot, file), 'utf8');
const readme = read('README.md');
const librarySection = readme.split(/^## /m).find((part) => part.startsWith('Library\n'))!;

/** The ```ts blocks of a Markdown text that import from the package. */
const tsBlocks = (markdown: string) =>
  [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map(([, body]) => body!).filter((body) => /from 'imglint'/.test(body));

describe('README Library section', () => {
  it('has a TypeScript example', () => {
    expect(tsBlocks(librarySection).length).toBeGreaterThan(0);
  });

  it("type-checks as it is written, against the package's declarations", () => {
    const project = join(dir(), 'consumer');
    mkdirSync(join(project, 'node_modules'), { recursive: true });
    symlinkSync(repoRoot, join(project, 'node_modules', 'imglint'), 'dir');
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'readme-consumer', private: true, type: 'module' }));
    const files = tsBlocks(readme).map((body, index) => {
      writeFileSync(join(project, `readme-${index}.ts`), body);
      return `readme-${index}.ts`;
    });
    writeConsumerTsconfig(project, files, { noUnusedLocals: true, skipLibCheck: true });
    const tsc = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], { cwd: project, encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 60_000);
});

describe('functions the docs name', () => {
  /** `name(` in backticks: a function the text tells a library user to call. */
  const called = (markdown: string) => [...markdown.matchAll(/`([a-z][A-Za-z]+)\(/g)].map(([, name]) => name!);
  // `send(command, { abortSignal })` is the method an ec2Client provides, not one imglint exports.
  const named = [...new Set([...called(librarySection), ...called(read('docs/formats.md'))])].filter((name) => name !== 'send');

  it('are exports of the package', async () => {
    expect(named.length).toBeGreaterThan(5);
    const exported = new Set(Object.keys(await import(join(repoRoot, 'dist', 'index.js'))));
    expect(named.filter((name) => !exported.has(name))).toEqual([]);
  });
});
