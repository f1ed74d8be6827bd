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
    .option('--region <region>', 'region (AWS: default AWS_REGION, AWS_DEFAULT_REGION, the AWS_PROFILE profile\'s region in ~/.aws/config; OpenStack: OS_REGION_NAME / RAX_REGION)')
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
    .addCommand(pullCommand(io))
    .addCommand(
      new Command('path')
        .description(`print the catalog cache directory (set it with IMGLINT_CACHE_DIR)`)
        .action(() => {
          io.stdout.write(`${cacheDirectory()}\n`);
        }),
    )
    .addCommand(
      new Command('clear').description('delete the cached catalogs').action(async () => {
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
