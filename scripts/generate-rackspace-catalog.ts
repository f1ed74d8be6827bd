/**
 * Generates imglint's embedded Rackspace flavor catalog (`src/catalog/rackspace/*.json`) from the Nova captures in
 * `../shared/data/rackspace` (see its PROVENANCE.md).
 *
 *   node --import tsx scripts/generate-rackspace-catalog.ts [--data <shared data dir>] [--out <output dir>]
 *
 * `--data` (or env `IMGLINT_SHARED_DATA`) is the directory holding `rackspace/` (default `<repo>/../shared/data`);
 * `--out` defaults to `<repo>/src/catalog/rackspace`. Every flavor goes through `flavorFactsFromNova` (which validates
 * the raw Nova shape) and is checked against `FlavorFacts`, so the runtime loader can trust the files without
 * validating them. Output is deterministic: re-running on the same data rewrites identical bytes.
 *
 * Only `compute/flavors_detail_iad_2015.json` (a captured `GET /flavors/detail` from MIMIC, Apache-2.0) goes in. The
 * region is read from the flavors' own `links` (all IAD). `compute/flavors_onmetal_v2_docs.json` is left out and
 * recorded in `meta.json` under `excluded`: it is reconstructed from a docs table, its `class` (`onmetal2`) is
 * inferred, and it names no region, while the catalog promises facts Nova returned (see ../shared/DESIGN.md, "Data").
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { flavorFactsFromNova } from '../providers/openstack/normalize.js';
import type { RackspaceCatalogMeta, RackspaceFlavorsFile } from '../src/catalog/rackspace-embedded.js';
import { FlavorFacts } from '../src/model/index.js';
import { generatorDirs, writeGeneratedFiles } from './generate-aws-catalog.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MIMIC_REPOSITORY = 'https://github.com/rackerlabs/mimic';
const CAPTURE = 'compute/flavors_detail_iad_2015.json';
const RECONSTRUCTED_ONMETAL_V2 = 'compute/flavors_onmetal_v2_docs.json';

/** One row of the file table of `rackspace/PROVENANCE.md`. */
interface ProvenanceRow {
  sha256: string;
  /** True when the row says the file is **reconstructed** rather than copied from a captured response. */
  reconstructed: boolean;
  /** `MIMIC <path> @ <commit> (<date>...)`, when the file was copied from MIMIC. */
  mimic?: { path: string; commit: string; date: string };
}

/**
 * Parses the file table of `<dataDir>/rackspace/PROVENANCE.md` and checks that MIMIC is Apache-2.0 there.
 * Throws when a part is missing, so a reworded provenance file fails the generator instead of producing a catalog
 * without attribution.
 */
function readRackspaceProvenance(dataDir: string): Map<string, ProvenanceRow> {
  const text = readFileSync(path.join(dataDir, 'rackspace', 'PROVENANCE.md'), 'utf8');
  if (!/^\| MIMIC \| rackerlabs\/mimic\b[^\n]*\| Apache-2\.0 /m.test(text)) {
    throw new Error('PROVENANCE.md: no "| MIMIC | rackerlabs/mimic ... | Apache-2.0" source row');
  }
  const rows = new Map<string, ProvenanceRow>();
  for (const [row, file, sha256] of text.matchAll(/^\| `([^`]+)` \|.*\| `([0-9a-f]{64})` \|$/gm)) {
    const mimic = /\| MIMIC `([^`]+)` @ `([0-9a-f]{40})` \((\d{4}-\d{2}-\d{2})\b/.exec(row);
    rows.set(file!, {
      sha256: sha256!,
      reconstructed: row.includes('**reconstructed**'),
      mimic: mimic ? { path: mimic[1]!, commit: mimic[2]!, date: mimic[3]! } : undefined,
    });
  }
  return rows;
}

/** Reads `<dataDir>/rackspace/<file>`, checking its sha256 against the provenance row. */
function readDataFile(dataDir: string, rows: Map<string, ProvenanceRow>, file: string): { json: unknown; row: ProvenanceRow } {
  const row = rows.get(file);
  if (!row) throw new Error(`PROVENANCE.md has no row for ${file}`);
  const bytes = readFileSync(path.join(dataDir, 'rackspace', file));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== row.sha256) {
    throw new Error(`${file}: sha256 ${sha256} differs from PROVENANCE.md (${row.sha256}); update the provenance first`);
  }
  return { json: JSON.parse(bytes.toString('utf8')), row };
}

/** Just enough of `GET /flavors/detail` to walk it: each flavor is validated by `flavorFactsFromNova`. */
const FlavorList = z.object({
  flavors: z.array(z.looseObject({ id: z.string(), links: z.optional(z.array(z.object({ href: z.string() }))) })),
});

/** The region of a Rackspace flavor, from its `self`/`bookmark` links (`https://iad.servers.api.rackspacecloud.com/...`). */
function regionFromLinks(id: string, links: readonly { href: string }[] | undefined): string {
  const regions = new Set(
    (links ?? []).map(({ href }) => {
      const host = /^https:\/\/([a-z]+)\.servers\.api\.rackspacecloud\.com\//.exec(href)?.[1];
      if (!host) throw new Error(`${CAPTURE}: flavor ${id} links to ${href}, not a Rackspace compute endpoint`);
      return host.toUpperCase();
    }),
  );
  if (regions.size !== 1) throw new Error(`${CAPTURE}: flavor ${id} links to ${regions.size} regions`);
  return [...regions][0]!;
}

/** One flavor a line, so the committed file diffs one flavor per line. */
function flavorsText(file: RackspaceFlavorsFile): string {
  const regions = Object.keys(file.regions)
    .sort()
    .map((region) => {
      const lines = file.regions[region]!.map((facts) => `      ${JSON.stringify(facts)}`);
      return `    ${JSON.stringify(region)}: [\n${lines.join(',\n')}\n    ]`;
    });
  return `{\n  "regions": {\n${regions.join(',\n')}\n  }\n}\n`;
}

/**
 * Builds the catalog files from `<dataDir>/rackspace`. Returns file name -> content (`flavors.json`, `meta.json`).
 * Throws on a flavor that fails validation, on ids or names that collide (case-insensitively) within a region, and
 * on data that does not match PROVENANCE.md.
 */
export function buildRackspaceCatalog(dataDir: string): Record<string, string> {
  const rows = readRackspaceProvenance(dataDir);
  const capture = readDataFile(dataDir, rows, CAPTURE);
  const mimic = capture.row.mimic;
  if (!mimic || capture.row.reconstructed) throw new Error(`PROVENANCE.md: ${CAPTURE} is not a MIMIC capture`);

  const file: RackspaceFlavorsFile = { regions: {} };
  const raw = FlavorList.parse(capture.json).flavors;
  raw.forEach((flavor, index) => {
    const facts = FlavorFacts.parse(flavorFactsFromNova(flavor, 'rackspace', { source: 'file', path: CAPTURE, at: ['flavors', index] }));
    (file.regions[regionFromLinks(flavor.id, flavor.links)] ??= []).push({
      ...facts,
      extraSpecs: Object.fromEntries(Object.entries(facts.extraSpecs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    });
  });
  for (const [region, flavors] of Object.entries(file.regions)) {
    const seen = new Map<string, string>();
    for (const { id, name } of flavors) {
      for (const key of new Set([id.toLowerCase(), name.toLowerCase()])) {
        const other = seen.get(key);
        if (other !== undefined) throw new Error(`${CAPTURE}: ${region} flavors ${other} and ${id} share the id or name "${key}"`);
        seen.set(key, id);
      }
    }
  }
  const text = flavorsText(file);
  const roundTrip = JSON.parse(text) as RackspaceFlavorsFile;
  for (const [region, flavors] of Object.entries(file.regions)) {
    if (!isDeepStrictEqual(roundTrip.regions[region], JSON.parse(JSON.stringify(flavors)))) {
      throw new Error(`flavors.json: ${region} does not read back as the flavors written`);
    }
  }

  const onmetalV2 = readDataFile(dataDir, rows, RECONSTRUCTED_ONMETAL_V2);
  if (!onmetalV2.row.reconstructed) throw new Error(`PROVENANCE.md: ${RECONSTRUCTED_ONMETAL_V2} is no longer marked reconstructed`);

  const meta: RackspaceCatalogMeta = {
    dataAsOf: mimic.date,
    regions: Object.keys(file.regions).sort(),
    source: {
      repository: MIMIC_REPOSITORY,
      commit: mimic.commit,
      commitDate: mimic.date,
      path: mimic.path,
      license: 'Apache-2.0',
      sharedDataFile: CAPTURE,
      sha256: capture.row.sha256,
    },
    excluded: [
      {
        sharedDataFile: RECONSTRUCTED_ONMETAL_V2,
        sha256: onmetalV2.row.sha256,
        flavors: FlavorList.parse(onmetalV2.json).flavors.map(({ id }) => id),
        reason:
          'OnMetal v2: reconstructed from the Cloud Servers docs flavor table, not a captured Nova answer; ' +
          'its extra_specs class (onmetal2) is inferred and no region is recorded',
      },
    ],
    generatedBy: 'scripts/generate-rackspace-catalog.ts',
    counts: Object.fromEntries(Object.entries(file.regions).map(([region, flavors]) => [region, flavors.length])),
  };

  return { 'flavors.json': text, 'meta.json': `${JSON.stringify(meta, null, 2)}\n` };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const { dataDir, outDir } = generatorDirs(process.argv.slice(2), path.join(repoRoot, 'src', 'catalog', 'rackspace'));
  writeGeneratedFiles(outDir, buildRackspaceCatalog(dataDir));
}
