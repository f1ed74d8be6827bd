/**
 * Generates imglint's embedded EC2 catalog (`src/catalog/aws/*.json`) from the moto data in
 * `../shared/data/aws` (see its PROVENANCE.md and SHA256SUMS): instance types, the facts attribute-based selection
 * reads of each (`selection.json`, loaded only for instance requirements), and the offerings of every region and
 * availability zone (names and IDs) as bitsets over the type index; plus the regions of every AWS partition as the
 * installed AWS SDK lists them (`regions.json`), for telling a new region from a misspelt one.
 *
 *   npm run generate:catalog -- [--data <shared data dir>] [--out <output dir>]
 *
 * `--data` (or env `IMGLINT_SHARED_DATA`) is the directory holding `aws/` (default `<repo>/../shared/data`);
 * `--out` defaults to `<repo>/src/catalog/aws`. Every `InstanceTypeInfo` is validated with `Ec2InstanceTypeInfo`,
 * mapped with `machineTypeFactsFromEc2` and checked against `InstanceTypeFacts`, every offerings file is checked
 * against SHA256SUMS and its locations against its region, and every encoding is decoded again, so the runtime loader
 * can trust the files without validating them. Output is deterministic: re-running on the same data rewrites identical bytes.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { z } from 'zod';
import { machineTypeFactsFromEc2 } from '../providers/aws/normalize.js';
import { selectionFactsFromEc2 } from '../providers/aws/selection-facts.js';
import { Ec2InstanceTypeInfo } from '../providers/aws/instance-type-schema.js';
import {
  bitsetIndexes,
  decodeBitset,
  decodeSelectionRow,
  encodeBitset,
  encodeSelectionRow,
  expandAwsInstanceTypes,
  findTypeRow,
  type AwsCatalogMeta,
  type AwsCatalogSourceFile,
  type AwsCatalogSourceFolder,
  type AwsInstanceTypesFile,
  type AwsOfferingsFile,
  type AwsRegionsFile,
  type AwsSelectionFile,
  type AwsTypeProfile,
} from '../src/catalog/aws-catalog-format.js';
import { InstanceTypeFacts, SelectionFacts } from '../src/model/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MOTO_REPOSITORY = 'https://github.com/getmoto/moto';
const MOTO_RESOURCES = 'moto/ec2/resources/';

/** What `../shared/data/aws/PROVENANCE.md` says about the copied moto files. */
export interface AwsProvenance {
  commit: string;
  commitDate: string;
  /** SPDX identifier of moto's license. */
  license: string;
  /** By path relative to the `aws/` data directory (`instance_types.json`, `latest_amis/us-east-1.json`). */
  files: Map<string, AwsCatalogSourceFile>;
}

/**
 * Parses `<dataDir>/aws/PROVENANCE.md`: the moto source commit, its license and the file table.
 * Throws when a part is missing, so a reworded provenance file fails the generators instead of
 * producing a catalog without attribution.
 */
export function readAwsProvenance(dataDir: string): AwsProvenance {
  const text = readFileSync(path.join(dataDir, 'aws', 'PROVENANCE.md'), 'utf8');
  const source = /Source commit: `([0-9a-f]{40})` \((\d{4}-\d{2}-\d{2})\)/.exec(text);
  if (!source) throw new Error('PROVENANCE.md: no "Source commit: `<sha>` (<date>)" line');
  if (!/License: \*\*Apache License 2\.0\*\*/.test(text)) throw new Error('PROVENANCE.md: license is not Apache License 2.0');
  const files = new Map<string, AwsCatalogSourceFile>();
  const row = /^\| `([^`]+)` \| `([^`]+)` \| `([0-9a-f]{40})` \((\d{4}-\d{2}-\d{2})\b[^|]*\| `([0-9a-f]{64})` \|$/gm;
  for (const [, local, sourcePath, lastCommit, lastCommitDate, sha256] of text.matchAll(row)) {
    files.set(local!, { path: sourcePath!, lastCommit: lastCommit!, lastCommitDate: lastCommitDate!, sha256: sha256! });
  }
  return { commit: source[1]!, commitDate: source[2]!, license: 'Apache-2.0', files };
}

/**
 * Reads `<dataDir>/aws/<relativePath>`, checking its sha256 against the provenance table.
 * Throws when the file has no provenance row or its content changed since the row was written.
 */
export function readAwsDataFile(dataDir: string, provenance: AwsProvenance, relativePath: string): { text: string; source: AwsCatalogSourceFile } {
  const source = provenance.files.get(relativePath);
  if (!source) throw new Error(`PROVENANCE.md has no row for ${relativePath}`);
  const bytes = readFileSync(path.join(dataDir, 'aws', relativePath));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== source.sha256) {
    throw new Error(`${relativePath}: sha256 ${sha256} differs from PROVENANCE.md (${source.sha256}); update the provenance first`);
  }
  return { text: bytes.toString('utf8'), source };
}

/**
 * JSON with object keys sorted; containers nested deeper than `inlineFromDepth` go on one line, so the
 * committed files diff one profile, type or region per line.
 */
function stringifySorted(value: unknown, inlineFromDepth: number, depth = 0): string {
  const inline = depth >= inlineFromDepth;
  const indent = '  '.repeat(depth + 1);
  const open = inline ? '' : `\n${indent}`;
  const separator = inline ? ',' : `,\n${indent}`;
  const close = inline ? '' : `\n${'  '.repeat(depth)}`;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[${open}${value.map((item) => stringifySorted(item, inlineFromDepth, depth + 1)).join(separator)}${close}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (entries.length === 0) return '{}';
    const colon = inline ? ':' : ': ';
    const body = entries.map(([key, item]) => `${JSON.stringify(key)}${colon}${stringifySorted(item, inlineFromDepth, depth + 1)}`);
    return `{${open}${body.join(separator)}${close}}`;
  }
  return JSON.stringify(value);
}

const InstanceTypesJson = z.record(z.string(), z.unknown());
const OfferingsJson = z.array(z.object({ InstanceType: z.string(), Location: z.string() }));

/** The offerings folders: moto's `instance_type_offerings/<kind>/` (DescribeInstanceTypeOfferings LocationType). */
const OFFERING_KINDS = ['region', 'availability-zone', 'availability-zone-id'] as const;

/** What PROVENANCE.md's "All regions and availability zones" section and SHA256SUMS say about the offerings. */
interface OfferingsProvenance {
  lastCommit: string;
  lastCommitDate: string;
  /** By path relative to the `aws/` data directory (`instance_type_offerings/region/us-east-1.json`) -> sha256. */
  sums: Map<string, string>;
  /** Files per folder, from the section's table. */
  counts: Map<string, number>;
}

/**
 * Parses the offerings section of PROVENANCE.md and the SHA256SUMS beside it. Throws when a part is missing or the
 * section names another source commit, so reworded provenance fails the generator instead of losing attribution.
 */
function readOfferingsProvenance(dataDir: string, provenance: AwsProvenance): OfferingsProvenance {
  const text = readFileSync(path.join(dataDir, 'aws', 'PROVENANCE.md'), 'utf8');
  const section = text.slice(text.indexOf('## All regions and availability zones'));
  const folder = /last commit touching the folder: `([0-9a-f]{40})`, (\d{4}-\d{2}-\d{2})/.exec(section);
  if (!folder) throw new Error('PROVENANCE.md: no "last commit touching the folder" in the offerings section');
  const commit = /same source commit\s+`([0-9a-f]{40})`/.exec(section);
  if (commit?.[1] !== provenance.commit) throw new Error('PROVENANCE.md: the offerings section names another source commit');
  const counts = new Map<string, number>();
  for (const [, kind, files] of section.matchAll(/^\| `instance_type_offerings\/([a-z-]+)\/` \| (\d+) \| \d+ \|$/gm)) counts.set(kind!, Number(files));
  const sums = new Map<string, string>();
  const sumsText = readFileSync(path.join(dataDir, 'aws', 'SHA256SUMS'), 'utf8');
  for (const [, sha256, file] of sumsText.matchAll(/^([0-9a-f]{64}) {2}\.\/(\S+)$/gm)) sums.set(file!, sha256!);
  return { lastCommit: folder[1]!, lastCommitDate: folder[2]!, sums, counts };
}

/** Reads one offerings file, checking its sha256 against SHA256SUMS. */
function readOfferingsFile(dataDir: string, sums: ReadonlyMap<string, string>, relativePath: string): { InstanceType: string; Location: string }[] {
  const expected = sums.get(relativePath);
  if (expected === undefined) throw new Error(`SHA256SUMS has no line for ${relativePath}`);
  const bytes = readFileSync(path.join(dataDir, 'aws', relativePath));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== expected) throw new Error(`${relativePath}: sha256 ${sha256} differs from SHA256SUMS (${expected})`);
  return OfferingsJson.parse(JSON.parse(bytes.toString('utf8')));
}

/** A zone name is its region's name plus letters (`us-east-1a`); a zone ID is `<short region>-az<n>` (`use1-az2`). */
const ZONE_ID = /^[a-z]+\d+-az\d+$/;

/**
 * Reads every region's offerings (region, zone names, zone IDs), each file checked against SHA256SUMS, into bitsets
 * over the type index. Throws on an offering of a type `instance_types.json` lacks, a zone outside its region, a zone
 * offering a type its region does not, or a folder whose file count differs from PROVENANCE.md.
 */
function buildOfferings(dataDir: string, provenance: OfferingsProvenance, typeIndex: ReadonlyMap<string, number>) {
  const regions: AwsOfferingsFile['regions'] = {};
  const folders: AwsCatalogSourceFolder[] = [];
  const names = (kind: string) =>
    readdirSync(path.join(dataDir, 'aws', 'instance_type_offerings', kind)).filter((name) => name.endsWith('.json')).sort();
  const regionNames = names('region').map((name) => name.slice(0, -'.json'.length));
  for (const kind of OFFERING_KINDS) {
    const files = names(kind);
    if (files.length !== provenance.counts.get(kind)) {
      throw new Error(`instance_type_offerings/${kind}/ holds ${files.length} files; PROVENANCE.md says ${provenance.counts.get(kind)}`);
    }
    if (files.join() !== regionNames.map((region) => `${region}.json`).join()) throw new Error(`instance_type_offerings/${kind}/: not the regions of region/`);
    const lines = files.map((file) => `${provenance.sums.get(`instance_type_offerings/${kind}/${file}`)}  ./instance_type_offerings/${kind}/${file}\n`);
    folders.push({
      path: `${MOTO_RESOURCES}instance_type_offerings/${kind}/`,
      lastCommit: provenance.lastCommit,
      lastCommitDate: provenance.lastCommitDate,
      files: files.length,
      sha256sums: createHash('sha256').update(lines.join('')).digest('hex'),
    });
  }
  const size = typeIndex.size;
  for (const region of regionNames) {
    const indexOf = (file: string, { InstanceType }: { InstanceType: string }) => {
      const index = typeIndex.get(InstanceType);
      if (index === undefined) throw new Error(`${file}: ${InstanceType} is offered but missing from instance_types.json`);
      return index;
    };
    const regionFile = `instance_type_offerings/region/${region}.json`;
    const offered = new Set(
      readOfferingsFile(dataDir, provenance.sums, regionFile).map((offering) => {
        if (offering.Location !== region) throw new Error(`${regionFile}: ${offering.InstanceType} has Location ${offering.Location}`);
        return indexOf(regionFile, offering);
      }),
    );
    const byZone = new Map<string, Set<number>>();
    for (const kind of ['availability-zone', 'availability-zone-id'] as const) {
      const file = `instance_type_offerings/${kind}/${region}.json`;
      for (const offering of readOfferingsFile(dataDir, provenance.sums, file)) {
        const zone = offering.Location;
        const fits = kind === 'availability-zone' ? zone.startsWith(region) && !ZONE_ID.test(zone) : ZONE_ID.test(zone);
        if (!fits) throw new Error(`${file}: ${zone} is not a zone ${kind === 'availability-zone' ? 'name' : 'ID'} of ${region}`);
        const index = indexOf(file, offering);
        if (!offered.has(index)) throw new Error(`${file}: ${offering.InstanceType} is offered in ${zone} but not in ${region}`);
        byZone.set(zone, (byZone.get(zone) ?? new Set()).add(index));
      }
    }
    const sets: string[] = [];
    const zones: Record<string, number> = {};
    for (const zone of [...byZone.keys()].sort()) {
      const bits = encodeBitset([...byZone.get(zone)!].sort((a, b) => a - b), size);
      let set = sets.indexOf(bits);
      if (set < 0) set = sets.push(bits) - 1;
      zones[zone] = set;
    }
    regions[region] = { region: encodeBitset([...offered].sort((a, b) => a - b), size), zones, sets };
  }
  return { regions, folders };
}

/**
 * `selection.json`: every type's {@link SelectionFacts} (`selectionFactsFromEc2`, validated), row for row with
 * `instance-types.json`, as indexes into the distinct profiles. Throws on a record whose selection members are not in the documented shape, and when a row
 * does not decode back to its facts.
 */
function buildSelection(raw: Record<string, unknown>, typesFile: AwsInstanceTypesFile): string {
  const file: AwsSelectionFile = { cpuManufacturers: [], accelerators: [], profiles: [], types: [] };
  const facts = typesFile.types.map(([name]) => {
    const selection = selectionFactsFromEc2(raw[name]);
    if (selection === undefined) throw new Error(`instance_types.json ${name}: the selection members are not in the documented shape`);
    return SelectionFacts.parse(selection);
  });
  const profileKeys = new Map<string, number>();
  for (const selection of facts) {
    const row = encodeSelectionRow(selection, file, (value) => stringifySorted(value, 0));
    const key = JSON.stringify(row);
    let index = profileKeys.get(key);
    if (index === undefined) profileKeys.set(key, (index = file.profiles.push(row) - 1));
    file.types.push(index);
  }
  // One profile per line; the type column on one line (1,373 numbers one per line would double the file).
  const { types, ...tables } = file;
  const text = `${stringifySorted(tables, 2).slice(0, -2)},\n  "types": ${JSON.stringify(types)}\n}\n`;
  const reread = JSON.parse(text) as AwsSelectionFile;
  for (const [index, selection] of facts.entries()) {
    if (!isDeepStrictEqual(decodeSelectionRow(reread.profiles[reread.types[index]!]!, reread), JSON.parse(JSON.stringify(selection)))) {
      throw new Error(`${typesFile.types[index]![0]}: the selection row does not decode back to its facts`);
    }
  }
  if (reread.types.length !== typesFile.types.length) throw new Error('selection.json: not one row per type');
  return text;
}

/**
 * The regions of every partition of the installed AWS SDK's endpoint metadata (`partitions.js` of `@aws-sdk/core`,
 * the data the SDK resolves endpoints from), without the `*-global` pseudo-regions. Throws when the file moved or
 * changed shape, so an SDK update that breaks this is noticed when the catalog is generated, not at run time.
 */
export function readSdkPartitions(): AwsRegionsFile {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve('@aws-sdk/core/package.json');
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  const file = path.join(path.dirname(packageJson), 'dist-es', 'submodules', 'client', 'util-endpoints', 'lib', 'aws', 'partitions.js');
  const text = readFileSync(file, 'utf8');
  const json = /^export const partitionsInfo = (\{[\s\S]*\});\s*$/.exec(text)?.[1];
  if (json === undefined) throw new Error(`${file}: not the partitions module this generator reads`);
  const parsed = z
    .object({ partitions: z.array(z.object({ id: z.string(), regionRegex: z.string(), regions: z.record(z.string(), z.unknown()) })) })
    .parse(JSON.parse(json));
  return {
    source: `@aws-sdk/core ${version}`,
    partitions: parsed.partitions.map(({ id, regionRegex, regions }) => {
      new RegExp(regionRegex); // throws on a pattern JavaScript cannot use
      const names = Object.keys(regions).filter((name) => !name.endsWith('-global')).sort();
      const stray = names.find((name) => !new RegExp(regionRegex).test(name));
      if (stray !== undefined) throw new Error(`${file}: ${stray} does not match the ${id} partition's regionRegex`);
      return { id, regionRegex, regions: names };
    }),
  };
}

/**
 * Builds the catalog files from `<dataDir>/aws` (and the region list of the installed AWS SDK). Returns file name ->
 * content (`meta.json`, `instance-types.json`, `offerings.json`, `selection.json`, `regions.json`). Throws on any record that fails
 * validation, on an offering for a type missing from `instance_types.json`, and on data that does not match
 * PROVENANCE.md or SHA256SUMS.
 */
export function buildAwsCatalog(dataDir: string): Record<string, string> {
  const provenance = readAwsProvenance(dataDir);

  const instanceTypes = readAwsDataFile(dataDir, provenance, 'instance_types.json');
  const raw = InstanceTypesJson.parse(JSON.parse(instanceTypes.text));
  const facts = Object.keys(raw)
    .sort()
    .map((key) => {
      const info = Ec2InstanceTypeInfo.safeParse(raw[key]);
      if (!info.success) throw new Error(`instance_types.json ${key}: ${z.prettifyError(info.error)}`);
      if (info.data.InstanceType !== key) throw new Error(`instance_types.json ${key}: InstanceType is ${info.data.InstanceType}`);
      return InstanceTypeFacts.parse(machineTypeFactsFromEc2(info.data));
    });

  const profileKeys: string[] = [];
  const typesFile: AwsInstanceTypesFile = { profiles: [], types: [] };
  for (const { provider: _provider, name, vcpus, memoryMiB, ...profile } of facts) {
    const key = stringifySorted(profile, 0);
    let index = profileKeys.indexOf(key);
    if (index < 0) {
      index = profileKeys.push(key) - 1;
      typesFile.profiles.push(profile satisfies AwsTypeProfile);
    }
    typesFile.types.push([name, index, vcpus, memoryMiB]);
  }
  const typesText = `${stringifySorted(typesFile, 2)}\n`;
  const reread = JSON.parse(typesText) as AwsInstanceTypesFile;
  const roundTrip = expandAwsInstanceTypes(reread);
  for (const [index, fact] of facts.entries()) {
    if (!isDeepStrictEqual(roundTrip.get(fact.name), JSON.parse(JSON.stringify(fact)))) {
      throw new Error(`${fact.name}: the compact form does not expand back to its facts`);
    }
    if (findTypeRow(reread.types, fact.name) !== index) throw new Error(`${fact.name}: the rows are not in binary-search order`);
  }

  const selectionText = buildSelection(raw, typesFile);

  const typeIndex = new Map(typesFile.types.map(([name], index) => [name, index]));
  const offeringsProvenance = readOfferingsProvenance(dataDir, provenance);
  const offerings = buildOfferings(dataDir, offeringsProvenance, typeIndex);
  const offeringsFile: AwsOfferingsFile = { regions: offerings.regions };
  const offeringsText = `${stringifySorted(offeringsFile, 2)}\n`;
  const rereadOfferings = JSON.parse(offeringsText) as AwsOfferingsFile;
  for (const [region, { region: bits, zones, sets }] of Object.entries(rereadOfferings.regions)) {
    const offered = new Set(bitsetIndexes(decodeBitset(bits)));
    if (encodeBitset(offered, typeIndex.size) !== offerings.regions[region]!.region) throw new Error(`${region}: the bitset does not round-trip`);
    for (const [zone, set] of Object.entries(zones)) {
      if (sets[set] === undefined) throw new Error(`${region} ${zone}: names missing set ${set}`);
      if (bitsetIndexes(decodeBitset(sets[set])).some((index) => !offered.has(index))) throw new Error(`${region} ${zone}: offers what the region does not`);
    }
  }

  const regionsFile = readSdkPartitions();
  const aws = regionsFile.partitions.find((partition) => partition.id === 'aws');
  const unlisted = Object.keys(offerings.regions).filter((region) => !aws?.regions.includes(region));
  if (unlisted.length > 0) throw new Error(`offerings for ${unlisted.join(', ')}, which the SDK's aws partition does not list`);

  const meta: AwsCatalogMeta = {
    dataAsOf: instanceTypes.source.lastCommitDate,
    offeringsAsOf: offeringsProvenance.lastCommitDate,
    source: {
      repository: MOTO_REPOSITORY,
      commit: provenance.commit,
      commitDate: provenance.commitDate,
      license: provenance.license,
      files: [instanceTypes.source],
      folders: offerings.folders,
    },
    generatedBy: 'scripts/generate-aws-catalog.ts',
    counts: {
      types: typesFile.types.length,
      profiles: typesFile.profiles.length,
      offerings: Object.fromEntries(
        Object.entries(offerings.regions).map(([region, { region: bits }]) => [region, bitsetIndexes(decodeBitset(bits)).length]),
      ),
      zones: Object.fromEntries(Object.entries(offerings.regions).map(([region, { zones }]) => [region, Object.keys(zones).length])),
    },
  };
  for (const file of [...meta.source.files, ...meta.source.folders]) {
    if (!file.path.startsWith(MOTO_RESOURCES)) throw new Error(`PROVENANCE.md: unexpected source path ${file.path}`);
  }

  return {
    'meta.json': `${stringifySorted(meta, 4)}\n`,
    'instance-types.json': typesText,
    'offerings.json': offeringsText,
    'selection.json': selectionText,
    'regions.json': `${stringifySorted(regionsFile, 2)}\n`,
  };
}

/** Writes `files` (name -> content) into `outDir` and prints each size. */
export function writeGeneratedFiles(outDir: string, files: Record<string, string>): void {
  mkdirSync(outDir, { recursive: true });
  let total = 0;
  for (const [name, content] of Object.entries(files)) {
    const target = path.join(outDir, name);
    writeFileSync(target, content);
    const bytes = Buffer.byteLength(content);
    total += bytes;
    console.log(`${path.relative(process.cwd(), target)}  ${bytes.toLocaleString('en-US')} bytes`);
  }
  console.log(`total  ${total.toLocaleString('en-US')} bytes`);
}

/** Parses `--data` and `--out` (see the file comment) with the given defaults. */
export function generatorDirs(argv: string[], defaultOut: string): { dataDir: string; outDir: string } {
  const { values } = parseArgs({ args: argv, options: { data: { type: 'string' }, out: { type: 'string' } } });
  return {
    dataDir: path.resolve(values.data ?? process.env.IMGLINT_SHARED_DATA ?? path.join(repoRoot, '..', 'shared', 'data')),
    outDir: path.resolve(values.out ?? defaultOut),
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const { dataDir, outDir } = generatorDirs(process.argv.slice(2), path.join(repoRoot, 'src', 'catalog', 'aws'));
  writeGeneratedFiles(outDir, buildAwsCatalog(dataDir));
}
