import { Command, Option } from 'commander';
import { cacheDirectory } from '../catalog/cache-dir.js';
import { createProvider } from '../engine/resolve.js';
import { UsageError } from '../errors.js';
import type { ProviderId } from '../model/index.js';
import type { CliIo } from './io.js';
import { timeoutOption } from './option-parsers.js';

interface PullFlags {
  provider: ProviderId;
  region?: string;
  out: string;
  timeout?: number;
}

/** `imglint catalog pull`: the live catalog of one region, written to a snapshot file for `--catalog`. */
function pullCommand(io: CliIo): Command {
  return new Command('pull')
    .description('fetch the full machine type catalog of a region from the live API and write it to a snapshot file')
    .addOption(new Option('--provider <provider>', 'cloud').choices(['aws', 'rackspace', 'openstack']).default('aws'))
    .option('--region <region>', 'region (AWS: default AWS_REGION, AWS_DEFAULT_REGION, the AWS_PROFILE profile\'s region in ~/.aws/credentials, then ~/.aws/config; OpenStack: OS_REGION_NAME / RAX_REGION)')
    .requiredOption('--out <file>', 'snapshot file to write (replaced atomically)')
    .addOption(timeoutOption())
    .addHelpText(
      'after',
      `
AWS: every DescribeInstanceTypes page (100 types each) and every DescribeInstanceTypeOfferings page
for LocationType region, availability-zone and availability-zone-id (the zone names as your account
maps them, and the zone IDs), with the SDK's credential chain and configuration, as \`imglint check\` does;
all within --timeout (a large region is about 20 pages: raise it on a slow link).
OpenStack: every flavor of Nova's /flavors/detail, with OS_* / RAX_* or clouds.yaml.
Writes only the --out file (JSON, replaced atomically), never the cache: commit it or keep it as a CI artifact,
and give it to check and matrix with --catalog, which then ask the API for images only.

Examples:
  $ imglint catalog pull --region us-east-1 --out catalogs/aws-us-east-1.json
  $ imglint catalog pull --provider rackspace --region IAD --out catalogs/rackspace-iad.json
  $ imglint check --catalog catalogs/aws-us-east-1.json --image-file ami.json --type c5.large`,
    )
    .action(async (flags: PullFlags) => {
      const provider = await createProvider({
        provider: flags.provider,
        offline: false,
        region: flags.region,
        fileImages: [],
        ec2Client: undefined,
        ...(flags.timeout !== undefined && { timeoutMs: flags.timeout * 1000 }),
      });
      await provider.checkRegion?.();
      const { pullCatalog, writeSnapshot } = await import('../catalog/snapshot.js');
      const snapshot = await pullCatalog(provider);
      try {
        await writeSnapshot(flags.out, snapshot);
      } catch (error) {
        const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        throw new UsageError(`cannot write ${flags.out} (${reason})`, { hint: 'pass an --out path in a writable directory', cause: error });
      }
      const noun = snapshot.provider === 'aws' ? 'instance types' : 'flavors';
      const zones = snapshot.zones ? Object.keys(snapshot.zones) : [];
      const offered = snapshot.offered ? `, ${snapshot.offered.length} offered${zones.length > 0 ? ` (in ${zones.length} zone names and IDs)` : ''}` : '';
      io.stderr.write(
        `imglint: ${snapshot.machineTypes.length} ${noun}${offered} in ${snapshot.region} from ${snapshot.source}, written to ${flags.out}\n`,
      );
    });
}

/**
 * `imglint catalog`: `pull` (a snapshot file for `--catalog`), `path` (print the cache directory), `clear` (empty
 * the cache).
 */
export function catalogCommand(io: CliIo): Command {
  const catalog = new Command('catalog')
    .description('manage catalogs: pull a snapshot for --catalog, show or clear the on-disk cache')
    .addHelpText('after', () => `
A catalog is what imglint knows about instance types (AWS) or flavors (OpenStack): their hardware and, on AWS,
where they are offered; images are never in one. By default imglint asks the provider and caches the answers
for 24 hours; --catalog FILE reads a snapshot instead; --offline reads the cache (any age), then the embedded
catalog (AWS: 1,373 types, offerings of 30 regions; Rackspace: IAD, 2015). Every report names the one it used.

  pull    writes a region's whole live catalog to the --out file (never to the cache), for --catalog
  path    prints the cache directory: ${cacheDirectory()}
  clear   deletes the catalog files in it

Examples:
  $ imglint catalog pull --region us-east-1 --out catalogs/aws-us-east-1.json
  $ imglint check --catalog catalogs/aws-us-east-1.json --image-file ami.json --type c5.large
  $ imglint catalog path
  $ imglint catalog clear

'imglint catalog <command> --help' says more; docs/catalogs.md has the cache's layout and rules.`)
    .addCommand(pullCommand(io))
    .addCommand(
      new Command('path')
        .description(`print the catalog cache directory (set it with IMGLINT_CACHE_DIR)`)
        .addHelpText('after', () => `
Live checks cache the provider's answers about instance types, offerings and flavors here for 24 hours
(--offline uses them at any age), one directory per provider and region:
  <dir>/aws/<region>/instance-types.json, offerings.json; <dir>/<provider>/<region>/flavors.json
plus <dir>/compile/, the CLI's own code cache. Images are never cached.
Default: $XDG_CACHE_HOME/imglint or ~/.cache/imglint (Linux), ~/Library/Caches/imglint (macOS),
%LOCALAPPDATA%\\imglint\\Cache (Windows); here: ${cacheDirectory()}

Examples:
  $ imglint catalog path
  $ IMGLINT_CACHE_DIR=.imglint-cache imglint catalog path   (a directory CI keeps between runs)`)
        .action(() => {
          io.stdout.write(`${cacheDirectory()}\n`);
        }),
    )
    .addCommand(
      new Command('clear')
        .description('delete the cached catalogs')
        .addHelpText('after', () => `
Deletes the catalog files of the cache directory (instance-types.json, offerings.json, flavors.json under
<provider>/<region>/, and their stale locks) and nothing else: other files in a shared IMGLINT_CACHE_DIR and
snapshots written by 'catalog pull' stay. The next live check asks the provider again; to skip the cache
for one run instead, pass --refresh to check. Cache directory here: ${cacheDirectory()}

Examples:
  $ imglint catalog clear
  $ imglint check --refresh --image ami-0abcdef1234567890 --type c5.large   (one run, cache rewritten)`)
        .action(async () => {
        const { openCatalogCache } = await import('../catalog/cache.js');
        const cache = openCatalogCache();
        const removed = await cache.clear();
        io.stderr.write(`imglint: removed ${removed} cached catalog file${removed === 1 ? '' : 's'} from ${cache.dir}\n`);
        }),
    );
  // main() makes the top-level commands throw instead of exiting; these are one level further down.
  for (const command of catalog.commands) {
    command.exitOverride().configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  }
  return catalog;
}
