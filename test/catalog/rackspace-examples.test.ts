/** examples/rackspace: real image documents for --image-file, each equal to its source object in the Rackspace captures. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOpenStackImageDocument } from '../../providers/openstack/image-file.js';
import { readDataJson, repoRoot } from '../support/data.js';

const examplesDir = path.join(repoRoot, 'examples', 'rackspace');
const exampleFiles = readdirSync(examplesDir).filter((name) => name.endsWith('.json')).sort();
const exampleText = (file: string) => readFileSync(path.join(examplesDir, file), 'utf8');

type Json = Record<string, unknown>;

/** Example file -> [its shape, the shared data file its image comes from, what it must read as]. */
const EXAMPLES: Record<string, [shape: 'glance' | 'nova-detail' | 'nova-show', source: string, facts: Json]> = {
  'centos-7-pvhvm.json': ['glance', 'images/glance_v2_images_2015.json', { name: 'CentOS 7 (PVHVM)', vmMode: 'hvm', autoDiskConfig: 'disabled', flavorClasses: '*,!onmetal' }],
  'onmetal-ubuntu-14.04.json': ['nova-detail', 'images/nova_images_detail_onmetal_iad_2015.json', { vmMode: 'metal', flavorClasses: 'onmetal', state: 'active' }],
  'snapshot-ubuntu-13.10.json': ['nova-show', 'images/nova_images_detail_dfw_2015.json', { imageType: 'snapshot', flavorClasses: undefined, vmMode: undefined, baseImageRef: '7b8abc3f-5fd2-4d02-9e9a-16d43fc7128e' }],
  'ubuntu-14.04-pv.json': ['glance', 'images/glance_v2_images_2015.json', { vmMode: 'xen', autoDiskConfig: 'True', flavorClasses: '*,!io1,!memory1,!compute1,!onmetal' }],
  'windows-server-2012.json': ['glance', 'images/glance_v2_images_2015.json', { name: 'Windows Server 2012', osType: 'windows', vmMode: undefined, minDiskGiB: 40, minRamMiB: 1024 }],
};

/** The one image object of an example, whatever its shape. */
function imageOf(file: string): Json {
  const document = JSON.parse(exampleText(file)) as Json;
  switch (EXAMPLES[file]![0]) {
    case 'glance':
      return document;
    case 'nova-detail':
      expect(document.images).toHaveLength(1);
      return (document.images as Json[])[0]!;
    case 'nova-show':
      expect(Object.keys(document)).toEqual(['image']);
      return document.image as Json;
  }
}

describe('examples/rackspace', () => {
  it('has the five documented images', () => {
    expect(exampleFiles).toEqual(Object.keys(EXAMPLES));
    const readme = readFileSync(path.join(examplesDir, 'README.md'), 'utf8');
    for (const file of exampleFiles) expect(readme).toContain(`\`${file}\``);
  });

  it.each(exampleFiles)('%s is an accepted --image-file with the documented facts', (file) => {
    const facts = parseOpenStackImageDocument(exampleText(file), file, 'rackspace');
    expect(facts).toHaveLength(1);
    expect(facts[0]).toMatchObject({ provider: 'rackspace', id: imageOf(file).id, ...EXAMPLES[file]![2] });
  });

  it.each(exampleFiles)('%s holds its source image unchanged', (file) => {
    const image = imageOf(file);
    const source = readDataJson<{ images: Json[] }>(`rackspace/${EXAMPLES[file]![1]}`);
    const original = source.images.find((candidate) => candidate.id === image.id);
    expect(original).toBeDefined();
    expect(JSON.stringify(image)).toBe(JSON.stringify(original));
  });
});
