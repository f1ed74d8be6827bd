import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { imageFactsFromEc2 } from '../../providers/aws/normalize.js';
import { Ec2Image } from '../../providers/aws/image-schema.js';
import { ImageFacts } from '../../src/model/index.js';
import { readDataJson, repoRoot } from '../support/data.js';

const examplesDir = path.join(repoRoot, 'examples', 'aws');
const exampleFiles = readdirSync(examplesDir).filter((name) => name.endsWith('.json')).sort();
const DescribeImagesOutput = z.object({ Images: z.array(Ec2Image).length(1) });
const readExample = (file: string) => JSON.parse(readFileSync(path.join(examplesDir, file), 'utf8')) as { Images: [Record<string, unknown>] };

describe('examples/aws', () => {
  it('has the five documented images', () => {
    expect(exampleFiles).toEqual([
      'ami-0006118602dfc1c09.json',
      'ami-01f446d4eeaed8a3c.json',
      'ami-04fc404d256fd34a2.json',
      'ami-05448533fbe614dce.json',
      'ami-0e972d2890378139a.json',
    ]);
    const readme = readFileSync(path.join(examplesDir, 'README.md'), 'utf8');
    for (const file of exampleFiles) expect(readme).toContain(`\`${file}\``);
  });

  it.each(exampleFiles)('%s is DescribeImages output for its own ID, mapping to valid ImageFacts', (file) => {
    const { Images } = DescribeImagesOutput.parse(readExample(file));
    const image = Images[0]!;
    expect(`${image.ImageId}.json`).toBe(file);
    expect(ImageFacts.parse(imageFactsFromEc2(image, 'us-east-1'))).toMatchObject({ id: image.ImageId, state: 'available' });
  });

  it('marks ENA on the HVM images only and never copies moto\'s invented SriovNetSupport', () => {
    for (const file of exampleFiles) {
      const image = readExample(file).Images[0];
      expect(image.EnaSupport, file).toBe(image.VirtualizationType === 'hvm' ? true : undefined);
      expect(image).not.toHaveProperty('SriovNetSupport');
    }
    expect(readExample('ami-0e972d2890378139a.json').Images[0]).toMatchObject({ VirtualizationType: 'paravirtual' });
    expect(readExample('ami-04fc404d256fd34a2.json').Images[0]).toMatchObject({ Architecture: 'arm64' });
  });
});

describe('examples/aws against moto latest_amis/us-east-1.json', () => {
  const source = readDataJson<Array<Record<string, unknown>>>('aws/latest_amis/us-east-1.json');

  it.each(exampleFiles)('%s copies its source entry and adds only EnaSupport', (file) => {
    const image = readExample(file).Images[0];
    const ami = source.find((entry) => entry.ami_id === image.ImageId);
    expect(ami, `${image.ImageId} in latest_amis/us-east-1.json`).toBeDefined();
    const { EnaSupport, ...copied } = image;
    expect(copied).toEqual({
      ImageId: ami!.ami_id,
      Name: ami!.name,
      Description: ami!.description,
      OwnerId: ami!.owner_id,
      Public: ami!.public,
      VirtualizationType: ami!.virtualization_type,
      Architecture: ami!.architecture,
      State: ami!.state,
      ImageType: ami!.image_type,
      Hypervisor: ami!.hypervisor,
      RootDeviceName: ami!.root_device_name,
      RootDeviceType: ami!.root_device_type,
    });
    expect([true, undefined]).toContain(EnaSupport);
    expect(ami!.platform).toBeNull();
    expect(ami!.tags).toEqual({});
  });
});
