import { dirname, isAbsolute, join } from 'node:path';
import * as z from 'zod/mini';
import { closeMatches } from '../../catalog/close-matches.js';
import { InputError } from '../../errors.js';
import { ProviderId } from '../../model/common.js';
import { LaunchOptions, type TargetRequest } from '../../model/target.js';
import { formatIssuePath, formatZodIssue } from '../../model/zod-issues.js';
import { readTextFile } from '../json-file.js';
import { parseYaml } from '../yaml-document.js';
import { PlanEntry, TemplateEntry } from './plan-and-template-entries.js';
import { plansIn, readPlansAndTemplates, templatesIn, type PlanAndTemplateOptions } from './plans-and-templates.js';

/**
 * The target manifest, `imglint.yaml`: the image x machine type pairs a deployment launches, and the Terraform plans
 * and CloudFormation templates that describe the rest of it, written down once and checked in CI. YAML, or JSON
 * (which YAML 1.2 reads too).
 */

const HINT = 'each target needs provider, image or imageFile, and type (or flavor); each of plans needs plan, each of cloudformation template; see examples/manifest/README.md'

/** How many problems an error message spells out. */
const MAX_ISSUES = 3;

const NonEmpty = z.string().check(z.minLength(1, 'must not be empty'));

/** Options that only mean something to Nova (Rackspace, OpenStack). */
const OPENSTACK_ONLY = ['diskConfig', 'bootFromVolume', 'volumeSize', 'admin'] as const;

const Entry = z
  .strictObject({
    name: z.optional(NonEmpty),
    provider: ProviderId,
    region: z.optional(NonEmpty),
    image: z.optional(NonEmpty),
    imageFile: z.optional(NonEmpty),
    type: z.optional(NonEmpty),
    flavor: z.optional(NonEmpty),
    flavorFile: z.optional(NonEmpty),
    diskConfig: LaunchOptions.shape.diskConfig,
    bootFromVolume: LaunchOptions.shape.bootFromVolume,
    // Nova sizes volumes in whole GiB.
    volumeSize: z.optional(z.int().check(z.positive('must be more than 0 (GiB)'))),
    admin: LaunchOptions.shape.admin,
  })
  .check(
    z.superRefine((entry, context) => {
      const problem = (path: PropertyKey[], message: string) => context.issues.push({ code: 'custom', message, path, input: undefined });
      if (entry.image === undefined && entry.imageFile === undefined) problem([], 'needs image or imageFile');
      if (entry.image !== undefined && entry.imageFile !== undefined) problem(['imageFile'], 'give image or imageFile, not both');
      if (entry.type === undefined && entry.flavor === undefined && entry.flavorFile === undefined) problem([], 'needs type (or flavor)');
      if (entry.type !== undefined && entry.flavor !== undefined) problem(['flavor'], 'give type or flavor, not both');
      if (entry.flavorFile !== undefined && (entry.type ?? entry.flavor) !== undefined) problem(['flavorFile'], 'give type, flavor or flavorFile, not two');
      if (entry.provider === 'aws' && entry.flavorFile !== undefined) problem(['flavorFile'], 'applies to rackspace and openstack only');
      if (entry.provider === 'aws') {
        for (const key of OPENSTACK_ONLY) {
          if (entry[key] !== undefined) problem([key], 'applies to rackspace and openstack only');
        }
      } else if (entry.volumeSize !== undefined && entry.bootFromVolume !== true) {
        problem(['volumeSize'], 'needs bootFromVolume: true');
      }
    }),
  );
type Entry = z.infer<typeof Entry>;

const ENTRY_KEYS = Object.keys(Entry.shape);

const Entries = z.array(Entry).check(z.minLength(1));
const ManifestFile = z
  .object({
    targets: z.optional(Entries),
    plans: z.optional(z.array(PlanEntry).check(z.minLength(1))),
    cloudformation: z.optional(z.array(TemplateEntry).check(z.minLength(1))),
  })
  .check(
    z.superRefine((manifest, context) => {
      if (manifest.targets === undefined && manifest.plans === undefined && manifest.cloudformation === undefined) {
        context.issues.push({ code: 'custom', message: NOTHING_NAMED, path: [], input: undefined });
      }
    }),
  );
const NOTHING_NAMED = 'needs targets, plans or cloudformation';
/** Top-level keys; others are errors unless they start with `x-` (a place for YAML anchors, as in Compose files). */
const MANIFEST_KEYS = Object.keys(ManifestFile.shape);
const EXTENSION_KEY = /^x-/;

/** What a manifest names: its own targets, and the plans and templates to read, paths resolved against its directory. */
export interface Manifest {
  targets: TargetRequest[];
  plans: PlanEntry[];
  templates: TemplateEntry[];
}

/**
 * Reads a manifest and everything it names: its targets, then the targets of its plans and templates (read by the
 * Terraform and CloudFormation readers, pointing at their resources' lines).
 *
 * @param path - the file, as the user wrote it (used verbatim in messages and `source.file`).
 * @param options - `region` (`--region`): the plans' default region and the templates' unless an entry says;
 *   `parameters` (`--parameter`) over every template's own.
 * @throws InputError `UnreadableManifest` (cannot read the file, with the OS's reason), anything
 *   {@link parseManifest} throws, and what the plan and template readers throw.
 */
export async function readManifest(path: string, options: PlanAndTemplateOptions = {}): Promise<TargetRequest[]> {
  const { targets, plans, templates } = await loadManifest(path);
  return [...targets, ...(await readPlansAndTemplates(plans, templates, options)).targets];
}

/**
 * Reads a manifest, without reading the plans and templates it names.
 *
 * @param path - the file, as the user wrote it.
 * @throws InputError `UnreadableManifest`, or anything {@link parseManifest} throws.
 */
export async function loadManifest(path: string): Promise<Manifest> {
  const text = await readTextFile(path, { unreadable: 'UnreadableManifest', what: 'the manifest', hint: HINT });
  return parseManifest(text, path);
}

/**
 * Parses a manifest (pure: no I/O). The document is a mapping of `targets:` (a list of entries), `plans:` and
 * `cloudformation:`, at least one of them (keys starting with `x-` are left alone, for anchors), or a bare list of
 * entries. `plans:` entries are `{plan, sourceDir?}`, `cloudformation:` entries `{template, parameters?, region?}`
 * (see `./plans-and-templates.ts`); their paths are relative to the manifest's directory unless absolute. An entry
 * of `targets:`:
 *
 * | key | | target field |
 * |---|---|---|
 * | `provider` | required: `aws`, `rackspace` or `openstack` | `provider` |
 * | `region` | optional (`us-east-1`, `IAD`); absent: the provider's default | `region` |
 * | `image` or `imageFile` | exactly one: an image reference (AMI ID; Glance ID or name), or an image description file, relative to the manifest's directory unless absolute | `image` / `imageFile` |
 * | `type`, `flavor` or `flavorFile` | exactly one: instance type, or flavor ID or name; or (Rackspace, OpenStack) a flavor description file (`openstack flavor show -f json` output), relative to the manifest's directory unless absolute | `type` / `flavorFile` |
 * | `diskConfig` | `AUTO` or `MANUAL` (Rackspace, OpenStack) | `launch.diskConfig` |
 * | `bootFromVolume` | boolean (Rackspace, OpenStack) | `launch.bootFromVolume` |
 * | `volumeSize` | whole GiB, > 0, with `bootFromVolume: true` | `launch.volumeSizeGiB` |
 * | `admin` | boolean (Rackspace, OpenStack): the caller has Nova's admin role | `launch.admin` |
 * | `name` | optional label | `source.address` |
 *
 * Every target gets `source: { file: path, line, address: name }`, `line` being the 1-based line where the entry
 * starts. Unknown keys in an entry are errors (a misspelt key would otherwise be silently ignored).
 *
 * @param text - the manifest's content, YAML or JSON (a leading byte-order mark is ignored).
 * @param path - the file name for messages, `source.file`, and resolving relative paths.
 * @returns one target per entry, in file order, and the plans and templates.
 * @throws InputError `MalformedManifest` (not YAML: `imglint.yaml:3:5: not valid YAML: ...`), or `InvalidManifest`
 *   naming the file, the line and the key of each of the first three problems, e.g.
 *   `imglint.yaml:7: targets[2].provider: expected one of aws|rackspace|openstack (got "azure")`.
 */
export function parseManifest(text: string, path: string): Manifest {
  const pieces = text.length > LARGE ? splitTargets(text) : undefined;
  if (pieces !== undefined) {
    try {
      return { targets: pieces.flatMap((piece) => parseEntries(piece.text, path, piece.index, piece.line).targets), plans: [], templates: [] };
    } catch (error) {
      // A piece that does not stand on its own (a flow collection across items): read the whole document.
      if (!(error instanceof InputError) || error.code !== 'MalformedManifest') throw error;
    }
  }
  return parseEntries(text, path, 0, 0);
}

/** Manifests larger than this (characters) are read in pieces of {@link PIECE_ENTRIES} targets, so memory stays bounded. */
const LARGE = 1 << 20;
const PIECE_ENTRIES = 2000;

/**
 * A large `targets:` manifest as pieces of whole entries, each a manifest of its own (`targets:` and its items),
 * with the index of its first entry and how many lines before it the piece's first item starts. `undefined` when
 * the document is not that plain shape (other top-level keys, anchors or aliases, which may cross pieces).
 */
function splitTargets(text: string): { text: string; index: number; line: number }[] | undefined {
  if (/(?:^|[\s[{,])[&*][^\s,\]}]/m.test(text)) return undefined;
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  let at = 0;
  while (at < lines.length && /^\s*(?:#.*)?$/.test(lines[at]!)) at++;
  if (!/^targets:\s*(?:#.*)?$/.test(lines[at] ?? '')) return undefined;
  const first = lines.findIndex((line, index) => index > at && !/^\s*(?:#.*)?$/.test(line));
  const indent = first < 0 ? undefined : /^( *)- /.exec(lines[first]!)?.[1];
  if (indent === undefined) return undefined;
  const item = `${indent}- `;
  const starts: number[] = [];
  for (let index = first; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.startsWith(item)) starts.push(index);
    else if (line.length > 0 && !line.startsWith(indent + ' ') && !/^\s*(?:#.*)?$/.test(line)) return undefined;
  }
  const pieces: { text: string; index: number; line: number }[] = [];
  for (let entry = 0; entry < starts.length; entry += PIECE_ENTRIES) {
    const from = starts[entry]!;
    const to = starts[entry + PIECE_ENTRIES] ?? lines.length;
    pieces.push({ text: `targets:\n${lines.slice(from, to).join('\n')}`, index: entry, line: from - 1 });
  }
  return pieces;
}

/**
 * One manifest document; `index` and `line` place a piece of a large manifest in the whole file (its first entry's
 * index, and the lines before the piece's first item).
 */
function parseEntries(text: string, path: string, index: number, line: number): Manifest {
  const { data, lineOf: pieceLine } = parseYaml(text, path, { malformed: 'MalformedManifest', hint: HINT });
  const lineOf = (at: readonly PropertyKey[]) => pieceLine(at) + line;
  if (data === null || data === undefined) {
    throw new InputError('InvalidManifest', `${path}: empty manifest: expected \`targets:\`, \`plans:\` or \`cloudformation:\` and a list`, { hint: HINT });
  }
  const list = Array.isArray(data);
  const result = list ? Entries.safeParse(data, { reportInput: true }) : ManifestFile.safeParse(data, { reportInput: true });
  // A top-level key imglint does not read would drop what it holds without a word (`plan:` for `plans:`).
  const unknownTopLevel = list || typeof data !== 'object' ? [] : Object.keys(data).filter((key) => !MANIFEST_KEYS.includes(key) && !EXTENSION_KEY.test(key));
  if (!result.success || unknownTopLevel.length > 0) {
    const whole = (at: readonly PropertyKey[]) => at.map((segment, position) => (position === (list ? 0 : 1) && typeof segment === 'number' ? segment + index : segment));
    // With a misspelt key, "needs targets, plans or cloudformation" only repeats what the unknown key says.
    const issues = (result.success ? [] : result.error.issues).filter((issue) => unknownTopLevel.length === 0 || issue.message !== NOTHING_NAMED);
    const problems = [
      ...unknownTopLevel.map((key) => ({ at: [key], text: unknownKey([key], key) })),
      ...issues.flatMap((issue) =>
        issue.code === 'unrecognized_keys'
          ? issue.keys.map((key) => ({ at: [...issue.path, key], text: unknownKey(whole([...issue.path, key]), key) }))
          : [{ at: issue.path, text: formatZodIssue({ ...issue, path: whole(issue.path) }) }],
      ),
    ]
      .map(({ at, text }) => ({ line: lineOf(at), text }))
      .sort((a, b) => a.line - b.line);
    const lines = problems.slice(0, MAX_ISSUES).map(({ line, text }) => `${path}:${line}: ${text}`);
    const more = problems.length - MAX_ISSUES;
    if (more > 0) lines.push(`and ${more} more problem${more === 1 ? '' : 's'}`);
    throw new InputError('InvalidManifest', lines.join('; '), { hint: HINT });
  }
  const manifest: z.infer<typeof ManifestFile> = Array.isArray(result.data) ? { targets: result.data } : result.data;
  const base = list ? [] : ['targets'];
  const directory = dirname(path);
  return {
    targets: (manifest.targets ?? []).map((entry, at) => toTarget(entry, path, lineOf([...base, at]))),
    plans: plansIn(directory, manifest.plans),
    templates: templatesIn(directory, manifest.cloudformation),
  };
}

/** The keys valid where `path` ends: the manifest's own, a plan's, a template's, or a target's. */
function keysAt(path: readonly PropertyKey[]): readonly string[] {
  if (path.length === 1) return [...MANIFEST_KEYS, 'x-...'];
  if (path[0] === 'plans') return Object.keys(PlanEntry.shape);
  if (path[0] === 'cloudformation') return Object.keys(TemplateEntry.shape);
  return ENTRY_KEYS;
}

/** `targets[3].imagefile: unknown key (did you mean imageFile?)` */
function unknownKey(path: readonly PropertyKey[], key: string): string {
  const known = keysAt(path);
  const [close] = closeMatches(key, known.map((name) => [name, []] as const), 1);
  return `${formatIssuePath(path)}: unknown key (${close ? `did you mean ${close}?` : `expected one of ${known.join('|')}`})`;
}

function toTarget(entry: Entry, path: string, line: number): TargetRequest {
  const launch: LaunchOptions = {
    ...(entry.diskConfig !== undefined && { diskConfig: entry.diskConfig }),
    ...(entry.bootFromVolume !== undefined && { bootFromVolume: entry.bootFromVolume }),
    ...(entry.volumeSize !== undefined && { volumeSizeGiB: entry.volumeSize }),
    ...(entry.admin !== undefined && { admin: entry.admin }),
  };
  const relative = (file: string | undefined) => (file === undefined || isAbsolute(file) ? file : join(dirname(path), file));
  const imageFile = relative(entry.imageFile);
  const flavorFile = relative(entry.flavorFile);
  const type = entry.type ?? entry.flavor;
  return {
    provider: entry.provider,
    ...(entry.region !== undefined && { region: entry.region }),
    ...(entry.image !== undefined && { image: entry.image }),
    ...(imageFile !== undefined && { imageFile }),
    ...(type !== undefined && { type }),
    ...(flavorFile !== undefined && { flavorFile }),
    ...(Object.keys(launch).length > 0 && { launch }),
    source: { file: path, line, ...(entry.name !== undefined && { address: entry.name }) },
  };
}
