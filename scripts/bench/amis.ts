// Real Amazon Linux AMIs from moto's latest_amis/<region>.json (../shared/data), as EC2 `Image` objects: the
// conversion scripts/generate-aws-examples.ts applies (see examples/aws/README.md), for every AMI of a region.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sharedDataDir } from '../../test/catalog/shared-data.js';

/** One entry of moto's `latest_amis/<region>.json`: `gen_moto_amis()` output, snake_case. */
interface MotoAmi {
  ami_id: string;
  architecture: string;
  description: string;
  hypervisor: string;
  image_type: string;
  name: string;
  owner_id: string;
  platform: string | null;
  public: boolean;
  root_device_name: string;
  root_device_type: string;
  state: string;
  tags: Record<string, string>;
  virtualization_type: string;
}

/**
 * Images AWS documents as ENA-enabled (AL2023, Amazon Linux 2, Amazon Linux AMI 2018.03 and later), HVM only:
 * the rule of scripts/generate-aws-examples.ts.
 */
const ENA_ENABLED_NAME = /^(al2023-ami-|amzn2-ami-|amzn-ami-(minimal-)?hvm-2018\.03\.)/;

/** A moto AMI entry as EC2 `Image` (PascalCase, as DescribeImages returns it), under its real ID. */
function ec2Image(ami: MotoAmi): Record<string, unknown> {
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

/** Every AMI of `latest_amis/<region>.json` as an EC2 `Image`, in file order. */
export function latestAmis(region: string): Record<string, unknown>[] {
  const file = path.join(sharedDataDir, 'aws', 'latest_amis', `${region}.json`);
  return (JSON.parse(readFileSync(file, 'utf8')) as MotoAmi[]).map(ec2Image);
}
