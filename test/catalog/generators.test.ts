import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inflatedDataDir, repoRoot } from '../support/data.js';

/**
 * Re-runs each generator, as `npm run generate:*` does, into a temp dir and compares the output with the
 * committed files byte for byte: a catalog or example that is stale against its source data fails here.
 */
describe('generators reproduce the committed files', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'imglint-generate-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it.each([
    ['scripts/generate-aws-catalog.ts', 'src/catalog/aws', (name: string) => name.endsWith('.json')],
    ['scripts/generate-aws-examples.ts', 'examples/aws', (name: string) => /^ami-[0-9a-f]+\.json$/.test(name)],
  ])('%s -> %s', (script, committedDir, isGenerated) => {
    const outDir = path.join(scratch, path.basename(script, '.ts'));
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', script, '--data', inflatedDataDir(), '--out', outDir], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(stdout).toMatch(/total {2}[\d,]+ bytes/);
    const generated = readdirSync(outDir).sort();
    expect(readdirSync(path.join(repoRoot, committedDir)).filter(isGenerated).sort()).toEqual(generated);
    for (const name of generated) {
      const fresh = readFileSync(path.join(outDir, name), 'utf8');
      const committed = readFileSync(path.join(repoRoot, committedDir, name), 'utf8');
      expect(committed === fresh, `${committedDir}/${name} is stale: run the generator again`).toBe(true);
    }
  }, 60_000);
});

describe('embedded catalog size', () => {
  const size = (name: string) => readFileSync(path.join(repoRoot, 'src', 'catalog', 'aws', name)).length;

  it('stays well under 100 KB, the offerings of 30 regions and their zones under 40 KB', () => {
    // selection.json is loaded only for instance requirements (its own budget below), never on a pair's start-up path.
    const files = readdirSync(path.join(repoRoot, 'src', 'catalog', 'aws')).filter((name) => name !== 'selection.json');
    expect(files.reduce((sum, name) => sum + size(name), 0)).toBeLessThan(100_000);
    expect(size('offerings.json')).toBeLessThan(40_000);
  });

  it('keeps the selection facts of every type under 45 KB (distinct rows stored once)', () => {
    expect(size('selection.json')).toBeLessThan(45_000);
  });
});
