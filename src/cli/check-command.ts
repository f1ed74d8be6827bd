import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Command, Option } from 'commander';
import { applyConfig, exceedsMaxWarnings } from '../config/apply.js';
import { loadConfig } from '../config/load.js';
import { checkTargets } from '../engine/check-targets.js';
import { readImageFiles } from '../engine/resolve.js';
import { UsageError } from '../errors.js';
import type { Report } from '../model/index.js';
import { FAIL_ON, ON_UNVERIFIABLE, reaches, type FailOn, type OnUnverifiable } from '../model/severity.js';
import { FORMATS, parseFormatSpec, renderReport, type FormatSpec } from '../report/formats.js';
import { catalogProviderFor } from './catalog-options.js';
import { addInputOptions, collectTargets, hasTargetFiles, imageFilesAreALibrary, type InputFlags } from './check-inputs.js';
import { ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';
import { collect, wholeNumber } from './option-parsers.js';
import { progressReporter } from './progress.js';

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
}

/** The exit code of a report: provider trouble first (3), then input trouble (2), then findings (1). */
function exitCodeOf(report: Report, maxWarnings: number | undefined): number {
  const errors = report.results.flatMap((result) => (result.error ? [result.error.kind] : []));
  if (errors.includes('provider')) return ExitCode.Provider;
  if (errors.length > 0) return ExitCode.Usage;
  // An unverifiable target fails the run when --on-unverifiable made its finding reach --fail-on.
  const failing = report.results.some((result) => result.findings.some((f) => !f.suppressed && reaches(f.severity, report.failOn)));
  if (failing || exceedsMaxWarnings(report, maxWarnings)) return ExitCode.Findings;
  return ExitCode.Clean;
}

/** A report file that cannot be written is the user's to fix (a path, a permission): exit 2, not an internal error. */
async function writeOrExplain(path: string, write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`cannot write ${path} (${reason})`, { hint: 'pick a path in a writable directory', cause: error });
  }
}

/**
 * Writes every requested format: to its file, or to standard output; GitHub's step summary when in Actions. Every
 * format is rendered before anything is written, so a format that cannot be produced fails the run up front.
 */
async function writeReports(report: Report, specs: readonly FormatSpec[], io: CliIo, fallbackFile: string | undefined): Promise<void> {
  const options = { color: io.color, root: process.cwd(), fallbackFile };
  const rendered = await Promise.all(specs.map(async (spec) => ({ spec, text: await renderReport(report, spec.format, options) })));
  for (const { spec, text } of rendered) {
    if (spec.path === undefined) io.stdout.write(text);
    else await writeOrExplain(spec.path, () => mkdir(dirname(spec.path!), { recursive: true }).then(() => writeFile(spec.path!, text)));
    const summaryFile = process.env.GITHUB_STEP_SUMMARY;
    if (spec.format === 'github' && summaryFile) {
      const { githubStepSummary } = await import('../report/github.js');
      await writeOrExplain(summaryFile, () => appendFile(summaryFile, githubStepSummary(report)));
    }
  }
}

/** `imglint check`: image x instance type (or flavor) pairs, plans and manifests; verdicts, reports, exit code. */
export function checkCommand(io: CliIo): Command {
  return addInputOptions(new Command('check'))
    .description('check images against instance types (AWS) or flavors (Rackspace, OpenStack) before launch')
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
    .option('--region <region>', 'region (AWS: default AWS_REGION / profile, us-east-1 offline; OpenStack: OS_REGION_NAME / RAX_REGION)')
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
      `output format, repeatable; FORMAT=FILE writes a file (${FORMATS.join(', ')}); e.g. --format text --format sarif=imglint.sarif`,
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
    .addHelpText(
      'after',
      `
Examples:
  $ imglint check --offline --image-file examples/aws/ami-0e972d2890378139a.json --type t2.micro
  $ imglint check --image ami-0abcdef1234567890 --type c5.large --type m6g.large --region eu-west-1
  $ imglint check --plan plan.json --format text --format sarif=imglint.sarif --format junit=imglint.xml
  $ imglint check --offline --plan plan.json --image-file ami-a.json --image-file ami-b.json   (AMIs from files)
  $ imglint check --manifest imglint.yaml --format github --fail-on warning
  $ imglint check --cloudformation template.yaml --region eu-west-1 --parameter Environment=prod
  $ imglint check --provider rackspace --region IAD --image "CentOS 7 (PVHVM)" --flavor compute1-4 --boot-from-volume --volume-size 40

AWS checks use the SDK's credential chain and configuration (AWS_PROFILE, AWS_REGION,
AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_EC2): per region, one DescribeImages, one DescribeInstanceTypes per
100 types and one DescribeInstanceTypeOfferings, whatever the number of targets or unknown references.
Each AWS request attempt ends after 10 s (5 attempts at most); all provider calls end at --timeout.
OpenStack checks read OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME, OS_USER_DOMAIN_NAME,
OS_REGION_NAME, or OS_CLOUD with clouds.yaml; Rackspace also RAX_USERNAME, RAX_API_KEY, RAX_REGION.
Flags override .imglint.yaml, which overrides the defaults.`,
    )
    .action(async (flags: CheckFlags, command: Command) => {
      const debug = (command.optsWithGlobals() as { debug?: boolean }).debug ? (line: string) => io.stderr.write(`imglint: debug: ${line}\n`) : undefined;
      const loaded = await loadConfig({ cwd: process.cwd(), explicitPath: flags.config });
      const config = loaded?.config ?? {};
      const provider = flags.provider ?? config.provider ?? 'aws';
      const region = flags.region ?? config.region;
      const specs = (flags.format.length > 0 ? flags.format : ['text']).map(parseFormatSpec);
      const inputs = { cloudformation: config.cloudformation, ...(loaded && { directory: dirname(loaded.path) }) };
      const targets = await collectTargets(flags, provider, region, inputs);
      const now = new Date();
      const progress = progressReporter(io);
      const knownImages = imageFilesAreALibrary(flags, inputs) ? await readImageFiles(provider, flags.imageFile) : [];
      const report = await checkTargets(targets, {
        knownImages,
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
      const final = loaded ? applyConfig(report, config, loaded.displayPath, now) : report;
      // SARIF and Code Quality need a file for every finding: targets typed as flags point at the config or an image file.
      await writeReports(final, specs, io, flags.manifest[0] ?? flags.plan[0] ?? flags.cloudformation[0] ?? loaded?.path ?? flags.imageFile[0]);
      io.exitCode = exitCodeOf(final, flags.maxWarnings ?? config.maxWarnings);
    });
}
