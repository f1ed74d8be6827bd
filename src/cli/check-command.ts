import { Command, InvalidArgumentError, Option } from 'commander';
import { check } from '../engine/check.js';
import type { LaunchOptions, ProviderId, Report } from '../model/index.js';
import { FAIL_ON, reaches, type FailOn } from '../model/severity.js';
import { formatJson } from '../report/json.js';
import { formatText } from '../report/text.js';
import { UsageError } from '../errors.js';
import { ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';

interface CheckFlags {
  provider: ProviderId;
  image: string[];
  imageFile: string[];
  type: string[];
  flavor: string[];
  region?: string;
  offline?: boolean;
  diskConfig?: 'AUTO' | 'MANUAL';
  bootFromVolume?: boolean;
  volumeSize?: number;
  admin?: boolean;
  format: 'text' | 'json';
  failOn: FailOn;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function gibibytes(value: string): number {
  const size = Number(value);
  if (!Number.isInteger(size) || size <= 0) throw new InvalidArgumentError('expected a whole number of GiB, e.g. 40');
  return size;
}

/** The launch options the flags describe; OpenStack only. */
function launchOptions(flags: CheckFlags): LaunchOptions | undefined {
  const launch: LaunchOptions = {
    ...(flags.diskConfig ? { diskConfig: flags.diskConfig } : {}),
    ...(flags.bootFromVolume ? { bootFromVolume: true } : {}),
    ...(flags.volumeSize !== undefined ? { volumeSizeGiB: flags.volumeSize } : {}),
    ...(flags.admin ? { admin: true } : {}),
  };
  if (Object.keys(launch).length === 0) return undefined;
  if (flags.provider === 'aws') {
    throw new UsageError('--disk-config, --boot-from-volume, --volume-size and --admin apply to OpenStack flavors', {
      hint: 'add --provider rackspace or --provider openstack',
    });
  }
  if (flags.volumeSize !== undefined && !flags.bootFromVolume) {
    throw new UsageError('--volume-size needs --boot-from-volume');
  }
  return launch;
}

/** `imglint check`: image x instance type (or flavor) pairs, verdict and exit code. */
export function checkCommand(io: CliIo): Command {
  return new Command('check')
    .description('check images against instance types (AWS) or flavors (Rackspace, OpenStack) before launch')
    .addOption(new Option('--provider <provider>', 'cloud').choices(['aws', 'rackspace', 'openstack']).default('aws'))
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
    .option('--offline', 'use the embedded catalog: no API call, no credentials (needs --image-file)')
    .addOption(new Option('--disk-config <mode>', 'OpenStack: the OS-DCF:diskConfig the server is created with').choices(['AUTO', 'MANUAL']))
    .option('--boot-from-volume', 'OpenStack: boot from a volume created from the image')
    .option('--volume-size <GiB>', 'OpenStack: size of that boot volume, in GiB', gibibytes)
    .option('--admin', "OpenStack: the caller has Nova's admin role (may boot images on zero-disk flavors)")
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding has this severity or higher').choices(FAIL_ON).default('error'))
    .addHelpText(
      'after',
      `
Examples:
  $ imglint check --offline --image-file examples/aws/ami-0e972d2890378139a.json --type t2.micro
  $ imglint check --image ami-0abcdef1234567890 --type c5.large --type m6g.large --region eu-west-1
  $ AWS_PROFILE=prod imglint check --image ami-0abcdef1234567890 --type t3.micro --format json
  $ imglint check --provider rackspace --region IAD --image "CentOS 7 (PVHVM)" --flavor compute1-4 --boot-from-volume --volume-size 40
  $ imglint check --provider rackspace --offline --region IAD --image-file image.json --flavor general1-1 --disk-config AUTO

AWS checks use the SDK's credential chain and configuration (AWS_PROFILE, AWS_REGION,
AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_EC2) and make at most 3 EC2 calls: DescribeImages,
DescribeInstanceTypes, DescribeInstanceTypeOfferings.
OpenStack checks read OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME, OS_USER_DOMAIN_NAME,
OS_REGION_NAME, or OS_CLOUD with clouds.yaml; Rackspace also RAX_USERNAME, RAX_API_KEY, RAX_REGION.`,
    )
    .action(async (flags: CheckFlags) => {
      const report = await check({
        provider: flags.provider,
        image: flags.image,
        imageFile: flags.imageFile,
        type: [...flags.type, ...flags.flavor],
        region: flags.region,
        offline: flags.offline,
        launch: launchOptions(flags),
        failOn: flags.failOn,
      });
      io.stdout.write(flags.format === 'json' ? formatJson(report) : formatText(report, { color: io.color }));
      io.exitCode = failed(report) ? ExitCode.Findings : ExitCode.Clean;
    });
}

function failed(report: Report): boolean {
  return report.results.some((result) => result.findings.some((finding) => reaches(finding.severity, report.failOn)));
}
