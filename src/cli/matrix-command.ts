import { Command, InvalidArgumentError, Option } from 'commander';
import type { CandidateTypes, Provider } from '../../providers/provider.js';
import type { CandidateScope } from '../engine/alternatives.js';
import { matrixForImage, matrixForType, type MatrixFilters } from '../engine/matrix.js';
import { readImageFilesFor, resolveFacts } from '../engine/resolve.js';
import { UsageError } from '../errors.js';
import type { ImageFacts, ProviderId } from '../model/index.js';
import { formatMatrix, MATRIX_FORMATS, type ImageMatrixReport, type MatrixFormat, type TypeMatrixReport } from '../report/matrix/index.js';
import { catalogProviderFor } from './catalog-options.js';
import { ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';
import { collect, timeoutOption, wholeNumber } from './option-parsers.js';

interface MatrixFlags {
  provider: ProviderId;
  image: string[];
  imageFile: string[];
  type?: string;
  flavor?: string;
  owner?: string;
  region?: string;
  offline?: boolean;
  family: string[];
  currentGeneration?: boolean;
  minVcpus?: number;
  minMemory?: number;
  format: MatrixFormat;
  timeout?: number;
}

/** Text tables wider than this are split into column blocks when stdout is not a terminal. */
const DEFAULT_WIDTH = 120;

function gibibytes(value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number <= 0) throw new InvalidArgumentError('expected GiB above 0, e.g. 16 or 0.5');
  return number;
}

/**
 * `imglint matrix`: every instance type (or flavor) an image can run on and why not (`--image`), or every image that
 * can run on a type (`--type`). Exit 0 when at least one pair is compatible, 1 when none is.
 */
export function matrixCommand(io: CliIo): Command {
  return new Command('matrix')
    .description('every instance type (or flavor) an image can run on, and why not; or, with --type, every image that can run on a type')
    .addOption(new Option('--provider <provider>', 'cloud').choices(['aws', 'rackspace', 'openstack']).default('aws'))
    .option('--image <id|name>', 'the image to look up: AMI ID (AWS); image ID or name (OpenStack); with --type, repeatable', collect, [])
    .option('--image-file <file>', 'image JSON (`aws ec2 describe-images` output; Glance or Nova JSON); with --type, repeatable', collect, [])
    .option('--type <type>', 'reverse: judge images against this instance type (or flavor) instead')
    .option('--flavor <id|name>', 'alias of --type, for OpenStack')
    .option('--owner <owner>', 'with --type: every image of an owner: AWS self, amazon or an account ID (DescribeImages Owners); OpenStack self (the project), public or a project ID')
    .option('--region <region>', 'region (AWS: default AWS_REGION, AWS_DEFAULT_REGION, the AWS_PROFILE profile\'s region in ~/.aws/credentials, then ~/.aws/config, else exit 2; OpenStack: OS_REGION_NAME / RAX_REGION)')
    .option('--offline', 'use the embedded catalog: no API call, no credentials (needs --image-file)')
    .option('--family <family>', 'only this family, e.g. m5, c6g, general1 (repeatable)', collect, [])
    .option('--current-generation', 'only current-generation instance types (AWS)')
    .option('--min-vcpus <n>', 'only types with at least n vCPUs', wholeNumber(1, 'a whole number of at least 1, e.g. 4'))
    .option('--min-memory <GiB>', 'only types with at least this much memory, in GiB', gibibytes)
    .addOption(new Option('--format <format>', 'output format').choices(MATRIX_FORMATS).default('text'))
    .addOption(timeoutOption())
    .addHelpText(
      'after',
      `
Examples:
  $ imglint matrix --offline --region us-east-1 --image-file examples/aws/ami-0e972d2890378139a.json
  $ imglint matrix --offline --region us-east-1 --image-file examples/aws/ami-04fc404d256fd34a2.json --current-generation --min-vcpus 4 --format markdown
  $ imglint matrix --image ami-0abcdef1234567890 --region eu-west-1 --family m7i --family m7g --format csv > types.csv
  $ imglint matrix --type t3.micro --owner self --region eu-west-1
  $ imglint matrix --offline --region us-east-1 --type m6g.large --image-file a.json --image-file b.json --format json

With --image, every instance type of the region is judged. Live on AWS, the region's own types and
offerings: every DescribeInstanceTypes page (100 types a page) and every DescribeInstanceTypeOfferings
page, kept in the catalog cache for a day like check's answers, all within --timeout; offline, imglint's embedded catalog
with the region's offerings (the output says which, and its date). With --type, the images are those
of --owner (AWS: paginated DescribeImages with Owners), --image and --image-file.

Exit codes: 0 at least one type (or image) is compatible; 1 none is, or the image itself fails a rule
whatever the type (e.g. it is not available); 2 usage or input error; 3 provider or network error.`,
    )
    .action(async (flags: MatrixFlags) => {
      const typeRef = flags.type ?? flags.flavor;
      if (flags.type !== undefined && flags.flavor !== undefined) throw new UsageError('pass --type or --flavor, not both');
      const report = typeRef === undefined ? await imageMatrix(flags, io) : await typeMatrix(flags, typeRef, io);
      const width = io.stdout.columns ?? DEFAULT_WIDTH;
      io.stdout.write(formatMatrix(report, flags.format, { color: io.color, width }));
      io.exitCode = compatibleFound(report) ? ExitCode.Clean : ExitCode.Findings;
    });
}

function compatibleFound(report: ImageMatrixReport | TypeMatrixReport): boolean {
  if (report.kind === 'type') return report.matrix.compatible > 0;
  return report.matrix.compatible > 0 && !report.matrix.imageFindings.some((finding) => finding.severity === 'error');
}

function filtersOf(flags: MatrixFlags): MatrixFilters {
  return {
    ...(flags.family.length > 0 ? { families: flags.family } : {}),
    ...(flags.currentGeneration ? { currentGeneration: true } : {}),
    ...(flags.minVcpus !== undefined ? { minVcpus: flags.minVcpus } : {}),
    ...(flags.minMemory !== undefined ? { minMemoryGiB: flags.minMemory } : {}),
  };
}

/** The provider, through the catalog cache (live answers and listings are kept a day), its region validated. */
async function connect(flags: MatrixFlags, fileImages: readonly ImageFacts[], io: CliIo): Promise<Provider> {
  const offline = flags.offline ?? false;
  const providerFor = catalogProviderFor({ offline, refresh: false, catalog: undefined, stderr: io.stderr });
  const provider = await providerFor({
    provider: flags.provider,
    offline,
    region: flags.region,
    fileImages,
    ec2Client: undefined,
    ...(flags.timeout !== undefined && { timeoutMs: flags.timeout * 1000 }),
  });
  const notice = (await provider.checkRegion?.())?.notice;
  // The other formats name the catalog, which says when availability was not judged; a CSV table has no place for it.
  if (notice !== undefined && flags.format === 'csv') io.stderr.write(`imglint: note: ${notice}\n`);
  return provider;
}

/**
 * The types to judge: live on AWS, the region's own listing (every `DescribeInstanceTypes` page, 100 a page, and
 * every `DescribeInstanceTypeOfferings` page), cached; otherwise the provider's candidates (the embedded catalog
 * offline, every flavor on OpenStack).
 */
async function candidatesOf(provider: Provider, flags: MatrixFlags): Promise<CandidateTypes> {
  if (flags.provider !== 'aws' || flags.offline || provider.listMachineTypes === undefined || provider.listOfferings === undefined) {
    return provider.candidateTypes();
  }
  const [types, offered] = await Promise.all([provider.listMachineTypes(), provider.listOfferings()]);
  return { types, offered, source: provider.catalogSource };
}

/** `--image`: the one image against every type of the region's catalog. */
async function imageMatrix(flags: MatrixFlags, io: CliIo): Promise<ImageMatrixReport> {
  if (flags.owner !== undefined) throw new UsageError('--owner lists images to judge against one type', { hint: 'add --type, e.g. --type t3.micro' });
  const given = flags.image.length + flags.imageFile.length;
  if (given === 0) {
    const example = flags.provider === 'aws' ? '--image ami-... or --image-file describe-images.json' : '--image <id|name> or --image-file image.json';
    throw new UsageError('no image given', { hint: `pass ${example}; or --type with --owner for the images that can run on a type` });
  }
  const fileImages = await readImageFilesFor(flags.provider, flags.imageFile);
  const images = uniqueImages(fileImages);
  if (given > 1 || images.length > 1) {
    const count = Math.max(given, images.length);
    throw new UsageError(`matrix judges one image against every type; ${count} images were given`, {
      hint: 'pass one --image or an --image-file that holds one image; or --type <type> to judge several images against one type',
    });
  }
  const provider = await connect(flags, fileImages, io);
  const [image] = flags.image.length > 0 ? [...(await provider.describeImages(flags.image)).values()] : images;
  const region = await provider.region();
  const candidates = await candidatesOf(provider, flags);
  const scope: CandidateScope = { region, offered: candidates.offered, launch: {}, now: new Date() };
  const filters = filtersOf(flags);
  return {
    kind: 'image',
    provider: flags.provider,
    catalog: candidates.source,
    offeringsKnown: candidates.offered !== undefined || flags.provider !== 'aws',
    imageFrom: flags.imageFile[0] ?? `--image ${flags.image[0]}: ${provider.catalogSource.description}`,
    filters,
    matrix: matrixForImage(image!, candidates.types, scope, filters),
  };
}

/** `--type`: the images of --owner, --image and --image-file against one type. */
async function typeMatrix(flags: MatrixFlags, typeRef: string, io: CliIo): Promise<TypeMatrixReport> {
  const filters = filtersOf(flags);
  if (Object.keys(filters).length > 0) {
    throw new UsageError('--family, --current-generation, --min-vcpus and --min-memory filter the types an image is judged against', {
      hint: 'drop them with --type, or drop --type to judge an image against the catalog',
    });
  }
  if (flags.image.length + flags.imageFile.length === 0 && flags.owner === undefined) {
    const hint =
      flags.provider === 'aws'
        ? 'pass --owner self (or amazon, or an account ID), --image ami-... or --image-file describe-images.json'
        : "pass --owner self (the project's images), --image or --image-file";
    throw new UsageError(`no images to judge against ${typeRef}`, { hint });
  }
  if (flags.owner !== undefined && flags.offline) {
    throw new UsageError('--offline cannot list images: the embedded catalog holds instance types, not images', {
      hint: 'pass the images with --image-file (repeatable), or run without --offline',
    });
  }
  const fileImages = await readImageFilesFor(flags.provider, flags.imageFile);
  const provider = await connect(flags, fileImages, io);
  if (flags.owner !== undefined && provider.listImages === undefined) {
    throw new UsageError(`listing images is not implemented for --provider ${flags.provider} yet`, {
      hint: 'pass the images with --image or --image-file (repeatable)',
    });
  }
  // The type first: a misspelt type fails before pages of images are fetched.
  const facts = await resolveFacts(provider, flags.image, fileImages, [typeRef]);
  const listed = flags.owner === undefined ? [] : await provider.listImages!(flags.owner);
  const type = facts.types.get(typeRef)!;
  const scope: CandidateScope = { region: facts.region, offered: facts.offered, launch: {}, now: new Date() };
  const imagesFrom = [
    ...(flags.owner !== undefined ? [`owner ${flags.owner}: ${listed.length} image${listed.length === 1 ? '' : 's'} (${provider.catalogSource.description})`] : []),
    ...(flags.image.length > 0 ? [`--image: ${provider.catalogSource.description}`] : []),
    ...flags.imageFile,
  ];
  return {
    kind: 'type',
    provider: flags.provider,
    catalog: provider.catalogSource,
    offeringsKnown: facts.offered !== undefined || flags.provider !== 'aws',
    imagesFrom,
    matrix: matrixForType(type, [...fileImages, ...flags.image.map((ref) => facts.images.get(ref)!), ...listed], scope),
  };
}

function uniqueImages(images: readonly ImageFacts[]): ImageFacts[] {
  return [...new Map(images.map((image) => [image.id, image])).values()];
}
