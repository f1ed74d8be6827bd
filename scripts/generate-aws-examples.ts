/**
 * Writes `examples/aws/<ami-id>.json`: real Amazon Linux AMIs from moto's `latest_amis/us-east-1.json`
 * (see ../shared/data/aws/PROVENANCE.md) in the shape `aws ec2 describe-images --image-ids <id>` prints.
 *
 *   npm run generate:examples -- [--data <shared data dir>] [--out <output dir>]
 *
 * Options as in `generate-aws-catalog.ts`; `--out` defaults to `<repo>/examples/aws`. What is added to moto's
 * data, and why, is documented in `examples/aws/README.md`.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { Ec2Image } from '../providers/aws/image-schema.js';
import { generatorDirs, readAwsDataFile, readAwsProvenance, writeGeneratedFiles } from './generate-aws-catalog.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The AMIs to write, one per kind of image a user is likely to lint. */
const EXAMPLE_AMIS = [
  'ami-0e972d2890378139a', // amzn-ami-pv-2018.03 x86_64: paravirtual, runs only on c1/c3/m1/m2/m3/t1
  'ami-01f446d4eeaed8a3c', // amzn-ami-hvm-2018.03 x86_64 gp2: the old Amazon Linux AMI, HVM
  'ami-05448533fbe614dce', // amzn2-ami-hvm x86_64 gp2: Amazon Linux 2
  'ami-0006118602dfc1c09', // al2023-ami kernel-6.1 x86_64
  'ami-04fc404d256fd34a2', // al2023-ami kernel-6.1 arm64: Graviton only
];

/**
 * Images AWS documents as ENA-enabled: "AL2023, Amazon Linux 2, Amazon Linux AMI 2018.03 and later"
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/enhanced-networking-ena.html), HVM only: ENA needs HVM.
 */
const ENA_ENABLED_NAME = /^(al2023-ami-|amzn2-ami-|amzn-ami-(minimal-)?hvm-2018\.03\.)/;

/** One entry of moto's `latest_amis/<region>.json`: `gen_moto_amis()` output, 15 snake_case keys. */
export const MotoAmi = z.object({
  ami_id: z.string(),
  architecture: z.string(),
  description: z.string(),
  hypervisor: z.string(),
  image_type: z.string(),
  name: z.string(),
  owner_id: z.string(),
  platform: z.string().nullable(),
  public: z.boolean(),
  root_device_name: z.string(),
  root_device_type: z.string(),
  /** Invented by moto as `simple` when the image had none, so never copied. */
  sriov: z.string(),
  state: z.string(),
  tags: z.record(z.string(), z.string()),
  virtualization_type: z.string(),
});
export type MotoAmi = z.infer<typeof MotoAmi>;

/**
 * Converts a moto AMI entry to an EC2 `Image`, keys in the EC2 API model's member order (as in
 * `@aws-sdk/client-ec2`'s `Image`). Adds `EnaSupport: true` only where {@link ENA_ENABLED_NAME} applies;
 * leaves out what moto lacks or invents (`SriovNetSupport`, `PlatformDetails`, `BootMode`, ...).
 * scripts/bench/amis.ts converts every AMI of a region with it.
 */
export function describeImagesEntry(ami: MotoAmi): Record<string, unknown> {
  const enaEnabled = ami.virtualization_type === 'hvm' && ENA_ENABLED_NAME.test(ami.name);
  const tags = Object.entries(ami.tags).map(([Key, Value]) => ({ Key, Value }));
  return {
    Description: ami.description,
    ...(enaEnabled ? { EnaSupport: true } : {}),
    Hypervisor: ami.hypervisor,
    Name: ami.name,
    RootDeviceName: ami.root_device_name,
    RootDeviceType: ami.root_device_type,
    ...(tags.length > 0 ? { Tags: tags } : {}),
    VirtualizationType: ami.virtualization_type,
    ImageId: ami.ami_id,
    State: ami.state,
    OwnerId: ami.owner_id,
    Public: ami.public,
    Architecture: ami.architecture,
    ImageType: ami.image_type,
    ...(ami.platform !== null ? { Platform: ami.platform } : {}),
  };
}

/**
 * Builds the example files from `<dataDir>/aws/latest_amis/us-east-1.json`: file name -> `DescribeImages` JSON
 * (4-space indent, as the AWS CLI prints it). Throws when a selected AMI is missing or fails `Ec2Image`.
 */
export function buildAwsExamples(dataDir: string): Record<string, string> {
  const { text } = readAwsDataFile(dataDir, readAwsProvenance(dataDir), 'latest_amis/us-east-1.json');
  const amis = z.array(MotoAmi).parse(JSON.parse(text));
  return Object.fromEntries(
    EXAMPLE_AMIS.map((id) => {
      const ami = amis.find((entry) => entry.ami_id === id);
      if (!ami) throw new Error(`latest_amis/us-east-1.json has no ${id}`);
      const image = describeImagesEntry(ami);
      Ec2Image.parse(image);
      return [`${id}.json`, `${JSON.stringify({ Images: [image] }, null, 4)}\n`];
    }),
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const { dataDir, outDir } = generatorDirs(process.argv.slice(2), path.join(repoRoot, 'examples', 'aws'));
  writeGeneratedFiles(outDir, buildAwsExamples(dataDir));
}
