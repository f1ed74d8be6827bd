import { Command, Option } from 'commander';
import { check } from '../engine/check.js';
import type { Report } from '../model/index.js';
import { FAIL_ON, reaches, type FailOn } from '../model/severity.js';
import { formatJson } from '../report/json.js';
import { formatText } from '../report/text.js';
import { ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';

interface CheckFlags {
  image: string[];
  imageFile: string[];
  type: string[];
  region?: string;
  offline?: boolean;
  format: 'text' | 'json';
  failOn: FailOn;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `imglint check`: image x instance type pairs, verdict and exit code. */
export function checkCommand(io: CliIo): Command {
  return new Command('check')
    .description('check AMIs against instance types before launch')
    .option('--image <ami-id>', 'AMI ID to look up with DescribeImages (repeatable)', collect, [])
    .option('--image-file <file>', 'JSON of `aws ec2 describe-images` ({"Images":[...]}) or one Image (repeatable)', collect, [])
    .option('--type <instance-type>', 'instance type, e.g. t3.micro (repeatable: every image x every type)', collect, [])
    .option('--region <region>', 'AWS region (default: AWS_REGION / AWS_PROFILE config; us-east-1 with --offline)')
    .option('--offline', 'use the embedded instance-type catalog; no AWS call, no credentials (needs --image-file)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a finding has this severity or higher')
        .choices(FAIL_ON)
        .default('error'),
    )
    .addHelpText(
      'after',
      `
Examples:
  $ imglint check --offline --image-file examples/aws/ami-0e972d2890378139a.json --type t2.micro
  $ imglint check --image ami-0abcdef1234567890 --type c5.large --type m6g.large --region eu-west-1
  $ AWS_PROFILE=prod imglint check --image ami-0abcdef1234567890 --type t3.micro --format json

Live checks use the AWS SDK's credential chain and configuration (AWS_PROFILE, AWS_REGION,
AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_EC2) and make at most 3 EC2 calls per run of one pair:
DescribeImages, DescribeInstanceTypes, DescribeInstanceTypeOfferings.`,
    )
    .action(async (flags: CheckFlags) => {
      const report = await check({
        image: flags.image,
        imageFile: flags.imageFile,
        type: flags.type,
        region: flags.region,
        offline: flags.offline,
        failOn: flags.failOn,
      });
      io.stdout.write(flags.format === 'json' ? formatJson(report) : formatText(report, { color: io.color }));
      io.exitCode = failed(report) ? ExitCode.Findings : ExitCode.Clean;
    });
}

function failed(report: Report): boolean {
  return report.results.some((result) => result.findings.some((finding) => reaches(finding.severity, report.failOn)));
}
