/**
 * The generated Rackspace catalog is reproducible from its committed source data and says where it came from. Re-runs the
 * generator as a user would, into a temp dir, and compares the output with the committed files byte for byte.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { flavorFactsFromNova } from '../../providers/openstack/normalize.js';
import type { RackspaceCatalogMeta, RackspaceFlavorsFile } from '../../src/catalog/rackspace-embedded.js';
import { inflatedDataDir, readDataJson, repoRoot } from '../support/data.js';

const catalogDir = path.join(repoRoot, 'src', 'catalog', 'rackspace');
const committed = (name: string) => readFileSync(path.join(catalogDir, name), 'utf8');

describe('scripts/generate-rackspace-catalog.ts', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'imglint-generate-rackspace-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('reproduces src/catalog/rackspace byte for byte', () => {
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/generate-rackspace-catalog.ts', '--data', inflatedDataDir(), '--out', scratch], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(stdout).toMatch(/total {2}[\d,]+ bytes/);
    const generated = readdirSync(scratch).sort();
    expect(generated).toEqual(['flavors.json', 'meta.json']);
    expect(readdirSync(catalogDir).sort()).toEqual(generated);
    for (const name of generated) {
      expect(committed(name) === readFileSync(path.join(scratch, name), 'utf8'), `src/catalog/rackspace/${name} is stale: run the generator again`).toBe(true);
    }
  }, 60_000);

  it('holds exactly the IAD capture, flavor for flavor', () => {
    const capture = readDataJson<{ flavors: unknown[] }>('rackspace/compute/flavors_detail_iad_2015.json');
    const { regions } = JSON.parse(committed('flavors.json')) as RackspaceFlavorsFile;
    expect(Object.keys(regions)).toEqual(['IAD']);
    expect(regions.IAD).toEqual(capture.flavors.map((flavor) => flavorFactsFromNova(flavor, 'rackspace')));
  });
});

describe('src/catalog/rackspace/meta.json', () => {
  const meta = JSON.parse(committed('meta.json')) as RackspaceCatalogMeta;

  it('dates the data to the capture and attributes it', () => {
    expect(meta).toMatchObject({
      dataAsOf: '2015-08-27',
      regions: ['IAD'],
      source: {
        repository: 'https://github.com/rackerlabs/mimic',
        commit: 'a2d670f93ee9d0f7152a05a7029035f6b859e7e6',
        path: 'mimic/canned_responses/json/nova/flavor_details_json.py',
        license: 'Apache-2.0',
        sharedDataFile: 'compute/flavors_detail_iad_2015.json',
        sha256: 'f709ecf85769e722433e318ce9280ad3dfe694e8f53e383ef1bd0e819a912540',
      },
      generatedBy: 'scripts/generate-rackspace-catalog.ts',
      counts: { IAD: 38 },
    });
  });

  it('records the reconstructed OnMetal v2 flavors as left out, and why', () => {
    expect(meta.excluded).toEqual([
      expect.objectContaining({
        sharedDataFile: 'compute/flavors_onmetal_v2_docs.json',
        flavors: ['onmetal-general2-large', 'onmetal-general2-medium', 'onmetal-general2-small', 'onmetal-io2'],
        reason: expect.stringMatching(/reconstructed.*inferred/),
      }),
    ]);
  });

  it('lists the regions of flavors.json, and stays small', () => {
    expect(Object.keys((JSON.parse(committed('flavors.json')) as RackspaceFlavorsFile).regions)).toEqual(meta.regions);
    const total = readdirSync(catalogDir).reduce((sum, name) => sum + readFileSync(path.join(catalogDir, name)).length, 0);
    expect(total).toBeLessThan(20_000);
  });
});
