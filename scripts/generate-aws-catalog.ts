/**
 * Generates imglint's embedded EC2 catalog (`src/catalog/aws/*.json`) from the moto data in
 * `../shared/data/aws` (see its PROVENANCE.md).
 *
 *   npm run generate:catalog -- [--data <shared data dir>] [--out <output dir>]
 *
 * `--data` (or env `IMGLINT_SHARED_DATA`) is the directory holding `aws/` (default `<repo>/../shared/data`);
 * `--out` defaults to `<repo>/src/catalog/aws`. Every `InstanceTypeInfo` is validated with `Ec2InstanceTypeInfo`,
 * mapped with `machineTypeFactsFromEc2` and checked against `InstanceTypeFacts`, so the runtime loader can trust the
 * files without validating them. Output is deterministic: re-running on the same data rewrites identical bytes.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { z } from 'zod';
import { machineTypeFactsFromEc2 } from '../providers/aws/normalize.js';
import { Ec2InstanceTypeInfo } from '../providers/aws/instance-type-schema.js';
import {
  expandAwsInstanceTypes,
  type AwsCatalogMeta,
  type AwsCatalogSourceFile,
  type AwsInstanceTypesFile,
  type AwsOfferingsFile,
  type AwsTypeProfile,
} from '../src/catalog/aws-catalog-format.js';
import { InstanceTypeFacts } from '../src/model/index.js';

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

/**
 * Builds the catalog files from `<dataDir>/aws`. Returns file name -> content (`meta.json`,
 * `instance-types.json`, `offerings.json`). Throws on any record that fails validation, on an offering
 * for a type missing from `instance_types.json`, and on data that does not match PROVENANCE.md.
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
  const roundTrip = expandAwsInstanceTypes(JSON.parse(typesText) as AwsInstanceTypesFile);
  for (const fact of facts) {
    if (!isDeepStrictEqual(roundTrip.get(fact.name), JSON.parse(JSON.stringify(fact)))) {
      throw new Error(`${fact.name}: the compact form does not expand back to its facts`);
    }
  }

  const typeIndex = new Map(typesFile.types.map(([name], index) => [name, index]));
  const offeringsFile: AwsOfferingsFile = { regions: {} };
  const offeringSources: AwsCatalogSourceFile[] = [];
  const offeringsDir = path.join(dataDir, 'aws', 'instance_type_offerings', 'region');
  // Until every region is embedded (issue: every region and zone), only the regions PROVENANCE.md's table lists.
  const tabled = (name: string) => provenance.files.has(`instance_type_offerings/region/${name}`);
  for (const fileName of readdirSync(offeringsDir).filter((name) => name.endsWith('.json') && tabled(name)).sort()) {
    const region = fileName.slice(0, -'.json'.length);
    const file = readAwsDataFile(dataDir, provenance, `instance_type_offerings/region/${fileName}`);
    const indexes = OfferingsJson.parse(JSON.parse(file.text)).map(({ InstanceType, Location }) => {
      if (Location !== region) throw new Error(`${fileName}: ${InstanceType} has Location ${Location}`);
      const index = typeIndex.get(InstanceType);
      if (index === undefined) throw new Error(`${fileName}: ${InstanceType} is offered but missing from instance_types.json`);
      return index;
    });
    offeringsFile.regions[region] = [...new Set(indexes)].sort((a, b) => a - b);
    offeringSources.push(file.source);
  }

  const meta: AwsCatalogMeta = {
    dataAsOf: instanceTypes.source.lastCommitDate,
    source: {
      repository: MOTO_REPOSITORY,
      commit: provenance.commit,
      commitDate: provenance.commitDate,
      license: provenance.license,
      files: [instanceTypes.source, ...offeringSources],
    },
    generatedBy: 'scripts/generate-aws-catalog.ts',
    counts: {
      types: typesFile.types.length,
      profiles: typesFile.profiles.length,
      offerings: Object.fromEntries(Object.entries(offeringsFile.regions).map(([region, list]) => [region, list.length])),
    },
  };
  for (const file of meta.source.files) {
    if (!file.path.startsWith(MOTO_RESOURCES)) throw new Error(`PROVENANCE.md: unexpected source path ${file.path}`);
  }

  return {
    'meta.json': `${stringifySorted(meta, 4)}\n`,
    'instance-types.json': typesText,
    'offerings.json': `${stringifySorted(offeringsFile, 2)}\n`,
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
