import { appendFile } from '../fs-async.js';
import { dirname } from 'node:path';
import { Command, Option } from 'commander';
import { suggestion } from '../catalog/close-matches.js';
import { loadConfig } from '../config/load.js';
import { checkTargets } from '../engine/check-targets.js';
import { readImageFiles } from '../engine/resolve.js';
import { UsageError } from '../errors.js';
import type { ImageFacts, Report, TargetRequest } from '../model/index.js';
import { KNOWN_AFTER_APPLY } from '../model/placeholders.js';
import { FAIL_ON, ON_UNVERIFIABLE, reaches, type FailOn, type OnUnverifiable } from '../model/severity.js';
import { FORMATS, parseFormatSpec, renderReport, type FormatSpec } from '../report/formats.js';
import { exceedsMaxWarnings } from '../report/max-warnings.js';
import { catalogProviderFor } from './catalog-options.js';
import { addInputOptions, collectTargets, hasTargetFiles, imageFilesAreALibrary, unusedImageFiles, type InputFlags } from './check-inputs.js';
import { ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';
import { collect, wholeNumber } from './option-parsers.js';
import { progressReporter } from './progress.js';
import { checkOutputs, writeAllOrNone, type InputFile, type OutputFile } from './report-files.js';

interface CheckFlags extends InputFlags {
  region?: string;
  refresh?: boolean;
  catalog?: string;
  config?: string;
  format: string[];
  failOn?: FailOn;
  onUnverifiable?: OnUnverifiable;
  maxWarnings?: number;
  timeout?: number;
  quiet?: boolean;
  baseline?: string;
  writeBaseline?: string;
}

/**
 * The exit code of a report: provider trouble first (3), then input trouble (2: a target that could not be checked,
 * or offline targets whose images no --image-file describes), then findings and the report's warnings threshold (1).
 */
function exitCodeOf(report: Report, missingImages: boolean): number {
  const errors = report.results.flatMap((result) => (result.error ? [result.error.kind] : []));
  if (errors.includes('provider')) return ExitCode.Provider;
  if (errors.length > 0 || missingImages) return ExitCode.Usage;
  // An unverifiable target fails the run when --on-unverifiable made its finding reach --fail-on.
  const failing = report.results.some((result) => result.findings.some((f) => !f.suppressed && reaches(f.severity, report.failOn)));
  if (failing || exceedsMaxWarnings(report)) return ExitCode.Findings;
  return ExitCode.Clean;
}

/**
 * Offline (or with a snapshot), a plan or manifest target naming an image that no --image-file describes cannot be
 * checked at all: the catalogs hold types, never images. Such targets are unverifiable, and the run says why once
 * and exits 2, because the missing input is the user's to give.
 *
 * @returns the notice, or undefined when every named image had its facts.
 */
function missingImageFacts(report: Report, requests: readonly TargetRequest[], knownImages: readonly ImageFacts[]): string | undefined {
  const known = new Set(knownImages.flatMap((image) => [image.id, ...(image.name === undefined ? [] : [image.name])]));
  // Images named by reference, to be looked up (not read from a file the request names) and not among the files.
  // A request already unverifiable for its own reason (an SSM parameter offline, a value known after apply) is not one.
  const lookedUp = new Set(
    requests.flatMap((request) =>
      request.unknown === undefined && request.image !== undefined && request.imageFile === undefined && !known.has(request.image) ? [request.image] : [],
    ),
  );
  const missing = report.results.filter(({ verdict, target }) => verdict === 'unverifiable' && target.image !== KNOWN_AFTER_APPLY && lookedUp.has(target.image));
  if (missing.length === 0) return undefined;
  const images = [...new Set(missing.map(({ target }) => target.image))];
  const aws = missing.some(({ target }) => target.provider === 'aws');
  const how = aws ? '`aws ec2 describe-images --image-ids <id>` output' : '`openstack image show -f json <id>` output';
  const targets = `${missing.length} target${missing.length === 1 ? '' : 's'}`;
  return (
    `${targets} name${missing.length === 1 ? 's' : ''} ${images.length === 1 ? 'an image' : 'images'} no --image-file describes (${images.join(', ')}), ` +
    `so offline ${missing.length === 1 ? 'it' : 'they'} cannot be checked: pass each image's ${how} with --image-file, or run without --offline (exit 2)`
  );
}

/** Flags that name files the run reads, with their names for messages (some are added by the input readers). */
const INPUT_FLAGS = {
  plan: '--plan',
  manifest: '--manifest',
  cloudformation: '--cloudformation',
  parameter: '--parameter',
  imageFile: '--image-file',
  flavorFile: '--flavor-file',
  catalog: '--catalog',
  baseline: '--baseline',
} as const;

/** The files the targets were read from or point at, and their image files, once each. */
function namedFiles(targets: readonly TargetRequest[]): InputFile[] {
  const paths = new Set(targets.flatMap((target) => [target.source?.file, target.imageFile].filter((path) => path !== undefined)));
  return [...paths].map((path) => ({ path, flag: 'an input of this run' }));
}

function inputFiles(flags: CheckFlags, configPath: string | undefined): InputFile[] {
  const values = flags as unknown as Record<string, unknown>;
  const inputs = Object.entries(INPUT_FLAGS).flatMap(([key, flag]) =>
    [values[key]].flat().flatMap((value) => (typeof value === 'string' && value !== '' ? [{ path: value, flag }] : [])),
  );
  return configPath === undefined ? inputs : [...inputs, { path: configPath, flag: 'the configuration' }];
}

/**
 * Renders every requested format, then writes all report files (and the baseline) or none, atomically, then prints
 * the one format meant for standard output, then appends GitHub's step summary when in Actions. A format that
 * cannot be produced, or a file that cannot be written, fails the run before any report file is replaced.
 */
async function writeReports(
  report: Report,
  specs: readonly FormatSpec[],
  io: CliIo,
  options: { fallbackFile: string | undefined; quiet: boolean; baseline?: { path: string; text: string } },
): Promise<void> {
  const render = { root: process.cwd(), fallbackFile: options.fallbackFile, quiet: options.quiet };
  const rendered = await Promise.all(
    // Colour is for the terminal: a text report written to a file is plain.
    specs.map(async (spec) => ({ spec, text: await renderReport(report, spec.format, { ...render, color: spec.path === undefined && io.color }) })),
  );
  const files = rendered.flatMap(({ spec, text }) => (spec.path === undefined ? [] : [{ path: spec.path, text }]));
  await writeAllOrNone(options.baseline ? [...files, options.baseline] : files);
  for (const { spec, text } of rendered) if (spec.path === undefined) io.stdout.write(text);
  const summaryFile = process.env.GITHUB_STEP_SUMMARY;
  if (summaryFile && specs.some((spec) => spec.format === 'github')) {
    const { githubStepSummary } = await import('../report/github.js');
    try {
      await appendFile(summaryFile, githubStepSummary(report));
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new UsageError(`cannot write GITHUB_STEP_SUMMARY ${summaryFile} (${reason})`, { hint: 'the runner sets it; unset it outside GitHub Actions', cause: error });
    }
  }
}

/**
 * The report after every suppression, in order: the configuration's rule settings and ignores, the inline
 * `# imglint-ignore` comments above the resources, then the baseline (`--baseline`, or the one `--write-baseline`
 * writes, which suppresses everything it lists).
 */
async function suppress(report: Report, flags: CheckFlags, config: { loaded: Awaited<ReturnType<typeof loadConfig>>; now: Date }) {
  const { loaded, now } = config;
  const configured = loaded ? (await import('../config/apply.js')).applyConfig(report, loaded.config, loaded.displayPath, now) : report;
  const { applyInlineIgnores } = await import('../config/inline-ignores.js');
  const inline = await applyInlineIgnores(configured);
  if (flags.baseline === undefined && flags.writeBaseline === undefined) return { final: inline };
  const { applyBaseline, formatBaseline, parseBaseline } = await import('../config/baseline.js');
  const root = process.cwd();
  if (flags.writeBaseline !== undefined) {
    const text = formatBaseline(inline, root);
    return { final: applyBaseline(inline, parseBaseline(text, flags.writeBaseline), flags.writeBaseline, root), baseline: { path: flags.writeBaseline, text } };
  }
  const { readRegularFile } = await import('./read-input.js');
  const baseline = parseBaseline(await readRegularFile(flags.baseline!, '--baseline'), flags.baseline!);
  return { final: applyBaseline(inline, baseline, flags.baseline!, root) };
}

/** `imglint check`: image x instance type (or flavor) pairs, plans and manifests; verdicts, reports, exit code. */
export function checkCommand(io: CliIo): Command {
  return withCheckOptions(new Command('check'))
    .description('check images against instance types (AWS) or flavors (Rackspace, OpenStack) before launch')
    .action((flags: CheckFlags, command: Command) => runCheck(io, flags, command));
}

/** Input flags a pre-commit hook hands its staged files to, by the hook's kind. */
const HOOK_KINDS = { plan: 'plan', manifest: 'manifest', cloudformation: 'cloudformation' } as const;

/**
 * `imglint pre-commit <kind> [files...]`: `imglint check` with each file given as `--<kind> FILE`, for hooks that
 * are handed file names at the end of their command line (pre-commit, lefthook). Every `check` option works.
 */
export function preCommitCommand(io: CliIo): Command {
  return withCheckOptions(new Command('pre-commit'))
    .description('check the files a git hook hands over: imglint pre-commit plan|manifest|cloudformation FILE... [check options]')
    .argument('<kind>', `what the files are: ${Object.keys(HOOK_KINDS).join(', ')}`)
    .argument('[files...]', 'the files (a hook appends them)')
    .action(async (kind: string, files: string[], flags: CheckFlags, command: Command) => {
      const key = Object.hasOwn(HOOK_KINDS, kind) ? HOOK_KINDS[kind as keyof typeof HOOK_KINDS] : undefined;
      if (key === undefined) {
        throw new UsageError(`unknown kind of file "${kind}"${suggestion(kind, Object.keys(HOOK_KINDS))}`, { hint: `use one of ${Object.keys(HOOK_KINDS).join(', ')}` });
      }
      if (files.length === 0) return;
      const values = flags as unknown as Record<string, unknown>;
      values[key] = [...((values[key] as string[] | undefined) ?? []), ...files];
      await runCheck(io, flags, command);
    });
}

/** The options `check` and `pre-commit` share: every input, catalog, threshold and output flag. */
function withCheckOptions(command: Command): Command {
  return addInputOptions(command)
    .addOption(new Option('--provider <provider>', 'cloud for --image/--type targets (default: config, else aws)').choices(['aws', 'rackspace', 'openstack']))
    .option('--image <id|name>', 'image to look up: AMI ID (AWS); image ID or name (OpenStack) (repeatable)', collect, [])
    .option(
      '--image-file <file>',
      'image JSON: `aws ec2 describe-images` output; `openstack image show -f json`, Glance v2 or Nova image JSON (repeatable)',
      collect,
      [],
    )
    .option('--type <type>', 'instance type (t3.micro) or flavor ID or name (general1-1) (repeatable: every image x every type)', collect, [])
    .option('--flavor <id|name>', 'alias of --type, for OpenStack', collect, [])
    .option(
      '--flavor-file <file>',
      'flavor JSON: `openstack flavor show -f json` or Nova flavor JSON, looked up before the cloud; without --flavor, the flavors to check (repeatable)',
      collect,
      [],
    )
    .option('--region <region>', 'region (AWS: default AWS_REGION, AWS_DEFAULT_REGION, the AWS_PROFILE profile\'s region in ~/.aws/credentials, then ~/.aws/config, else exit 2; OpenStack: OS_REGION_NAME / RAX_REGION)')
    .option(
      '--availability-zone <name|id>',
      'AWS: the zone the launch is pinned to, by name (us-east-1a) or zone ID (use1-az1); repeatable for a group spanning zones',
      collect,
      [],
    )
    .option('--offline', 'no API call: the on-disk cache, then the embedded catalog (images from --image-file)')
    .option('--refresh', 'ignore cached catalogs: ask the provider and update the cache')
    .option('--catalog <snapshot>', 'use a catalog snapshot from `imglint catalog pull` (air-gapped CI)')
    .option('--config <file>', 'configuration file (default: .imglint.yaml from here up to the repository root)')
    .addOption(new Option('--disk-config <mode>', 'OpenStack: the OS-DCF:diskConfig the server is created with').choices(['AUTO', 'MANUAL']))
    .option('--boot-from-volume', 'OpenStack: boot from a volume created from the image')
    .option('--volume-size <GiB>', 'OpenStack: size of that boot volume, in GiB', wholeNumber(1, 'a whole number of GiB, e.g. 40'))
    .option('--admin', "OpenStack: the caller has Nova's admin role (may boot images on zero-disk flavors)")
    .option(
      '--format <format>',
      `output format, repeatable, at most one to standard output; FORMAT=FILE writes a file (${FORMATS.join(', ')}); e.g. --format text --format sarif=imglint.sarif`,
      collect,
      [],
    )
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding has this severity or higher (default: error)').choices(FAIL_ON))
    .addOption(new Option('--on-unverifiable <mode>', 'severity of targets that cannot be checked before apply (default: warning)').choices(ON_UNVERIFIABLE))
    .option('--max-warnings <n>', 'exit 1 when there are more warnings than this', wholeNumber(0, 'a whole number, e.g. 0'))
    .option(
      '--timeout <seconds>',
      'stop provider calls after this many seconds in all, exit 3 (default: 60; each AWS attempt also stops at 10 s)',
      wholeNumber(1, 'a whole number of seconds, e.g. 60'),
    )
    .option('--quiet', 'text output: only errors (targets with an error finding or that could not be checked) and the summary')
    .option('--baseline <file>', 'report only findings not in this baseline (the ones it lists are suppressed)')
    .option('--write-baseline <file>', "write every current finding to this baseline file (and suppress them in this run's report)")
    .addHelpText(
      'after',
      `
Examples:
  $ imglint check --offline --region us-east-1 --image-file examples/aws/ami-0e972d2890378139a.json --type t2.micro
  $ imglint check --image ami-0abcdef1234567890 --type c5.large --type m6g.large --region eu-west-1
  $ imglint check --plan plan.json --format text --format sarif=imglint.sarif --format junit=imglint.xml
  $ imglint check --offline --plan plan.json --image-file ami-a.json --image-file ami-b.json   (AMIs from files)
  $ imglint check --manifest imglint.yaml --format github --fail-on warning
  $ imglint check --cloudformation template.yaml --region eu-west-1 --parameter Environment=prod
  $ imglint check --plan plan.json --write-baseline imglint-baseline.json   (accept what is there today)
  $ imglint check --plan plan.json --baseline imglint-baseline.json         (then fail on new findings only)
  $ imglint check --provider rackspace --region IAD --image "CentOS 7 (PVHVM)" --flavor compute1-4 --boot-from-volume --volume-size 40
  $ imglint check --provider openstack --offline --image-file examples/openstack/image.json --flavor-file examples/openstack/flavor.json

AWS checks use the SDK's credential chain and configuration (AWS_PROFILE, AWS_REGION, AWS_DEFAULT_REGION,
AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_EC2, the profile's region in AWS_SHARED_CREDENTIALS_FILE, then AWS_CONFIG_FILE;
offline, the region is read from the same places in the same order, without the SDK). Lookups are batched per region (regions in parallel), each call
paged through to its last NextToken: DescribeImages per 200 AMIs (one image-id filter),
DescribeInstanceTypes per 100 types (one instance-type filter, one page), DescribeInstanceTypeOfferings
per 200 types (by zone name or ID when targets are pinned to zones); so one call of each kind up to those
sizes, whatever the number of targets, and an unknown ID costs no extra call. Types answered by the cache
(24 h) are not asked again. Instance requirements add the region's full listings once; SSM parameters
cost one GetParameters per 10 names.
Each AWS request attempt ends after 10 s (5 attempts at most); all provider calls end at --timeout.
OpenStack checks read OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME, OS_USER_DOMAIN_NAME,
OS_REGION_NAME, or OS_CLOUD with clouds.yaml; Rackspace also RAX_USERNAME, RAX_API_KEY, RAX_REGION.
Flags override .imglint.yaml, which overrides the defaults. A comment '# imglint-ignore <rule-id> -- <reason>'
on the line above a resource suppresses that rule's findings for it. Report files are written atomically,
all or none, and never over an input.`,
    )
;
}

/** One `check` run: configuration, targets, verdicts, suppressions, reports, exit code. */
async function runCheck(io: CliIo, flags: CheckFlags, command: Command): Promise<void> {
  const debug = (command.optsWithGlobals() as { debug?: boolean }).debug ? (line: string) => io.stderr.write(`imglint: debug: ${line}\n`) : undefined;
  const loaded = await loadConfig({ cwd: process.cwd(), explicitPath: flags.config });
  const config = loaded?.config ?? {};
  const provider = flags.provider ?? config.provider ?? 'aws';
  const region = flags.region ?? config.region;
  const specs = (flags.format.length > 0 ? flags.format : ['text']).map(parseFormatSpec);
  const outputs: OutputFile[] = [
    ...specs.flatMap((spec) => (spec.path === undefined ? [] : [{ path: spec.path, flag: `--format ${spec.format}=${spec.path}` }])),
    ...(flags.writeBaseline === undefined ? [] : [{ path: flags.writeBaseline, flag: '--write-baseline' }]),
  ];
  await checkOutputs(specs, outputs, inputFiles(flags, loaded?.path));
  if (flags.baseline !== undefined && flags.writeBaseline !== undefined) {
    throw new UsageError('--baseline and --write-baseline do not go together', { hint: 'write the baseline once, then check against it' });
  }
  const inputs = { plans: config.plans, cloudformation: config.cloudformation, ...(loaded && { directory: dirname(loaded.path) }) };
  const inputNotices: string[] = [];
  const targets = await collectTargets(flags, provider, region, inputs, (notice) => inputNotices.push(notice));
  // The files the configuration and manifests name (plans, templates, .tf sources, image files) are inputs too.
  await checkOutputs(specs, outputs, namedFiles(targets));
  const now = new Date();
  const progress = progressReporter(io);
  const imageFiles = imageFilesAreALibrary(flags, inputs)
    ? await Promise.all(flags.imageFile.map(async (path) => ({ path, images: await readImageFiles(provider, [path]) })))
    : [];
  const knownImages = imageFiles.flatMap((file) => file.images);
  inputNotices.push(...unusedImageFiles(imageFiles, targets));
  const report = await checkTargets(targets, {
    knownImages,
    flavorFiles: flags.flavorFile,
    failOn: flags.failOn ?? config.failOn ?? 'error',
    onUnverifiable: flags.onUnverifiable ?? config.onUnverifiable ?? 'warning',
    offline: flags.offline,
    now,
    providerFor: catalogProviderFor({ offline: flags.offline ?? false, refresh: flags.refresh ?? false, catalog: flags.catalog, stderr: io.stderr }),
    onProgress: progress.update,
    ...(flags.timeout !== undefined ? { timeoutMs: flags.timeout * 1000 } : {}),
    debug,
    // Only targets typed as flags: an unknown AMI there is a usage error (exit 2), not one verdict among many.
    strict: !hasTargetFiles(flags, inputs),
  }).finally(progress.done);
  // The flag's threshold goes in the report, so every format says when it fails the run; the configuration's fills in.
  const judged = flags.maxWarnings === undefined ? report : { ...report, maxWarnings: flags.maxWarnings };
  const { final: suppressed, baseline } = await suppress(judged, flags, { loaded, now });
  const missing = flags.offline || flags.catalog !== undefined ? missingImageFacts(suppressed, targets, knownImages) : undefined;
  const notices = [...inputNotices, ...suppressed.notices, ...(missing === undefined ? [] : [missing])];
  const final = { ...suppressed, notices };
  // GitLab Code Quality has no place for notices (a region whose offerings were not judged): they go to stderr.
  const noticesReported = specs.some((spec) => spec.format !== 'gitlab');
  if (!noticesReported) for (const notice of notices) io.stderr.write(`imglint: note: ${notice}\n`);
  // The reason for exit 2 reaches the terminal even when the text report is not there to show it.
  const textShown = !flags.quiet && specs.some((spec) => spec.format === 'text' && spec.path === undefined);
  if (missing !== undefined && !textShown && noticesReported) io.stderr.write(`imglint: ${missing}\n`);
  // SARIF and Code Quality need a file for every finding: targets typed as flags point at the config or an image file.
  await writeReports(final, specs, io, {
    fallbackFile: flags.manifest[0] ?? flags.plan[0] ?? flags.cloudformation[0] ?? loaded?.path ?? flags.imageFile[0],
    quiet: flags.quiet ?? false,
    ...(baseline ? { baseline } : {}),
  });
  io.exitCode = exitCodeOf(final, missing !== undefined);
}
