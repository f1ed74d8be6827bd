/** Nova flavors, Nova images and Glance v2 images -> facts, over every object of the real Rackspace captures. */
import { describe, expect, it } from 'vitest';
import { flavorFactsFromNova, imageFactsFromGlance, imageFactsFromNova } from '../../../providers/openstack/normalize.js';
import { InputError, ProviderApiError } from '../../../src/errors.js';
import { FlavorFacts, OpenStackImageFacts } from '../../../src/model/index.js';
import { readDataJson } from '../../support/data.js';
import { CENTOS_FACTS } from './images.js';

type Json = Record<string, unknown>;
const load = <T>(file: string): T => readDataJson<T>(`rackspace/${file}`);

const flavors = load<{ flavors: Json[] }>('compute/flavors_detail_iad_2015.json').flavors;
const onmetalV2 = load<{ flavors: Json[] }>('compute/flavors_onmetal_v2_docs.json').flavors;
const novaImages = load<{ images: Json[] }>('images/nova_images_detail_dfw_2015.json').images;
const onmetalImages = load<{ images: Json[] }>('images/nova_images_detail_onmetal_iad_2015.json').images;
const glanceImages = load<{ images: Json[] }>('images/glance_v2_images_2015.json').images;
const byId = <T extends { id: string }>(list: readonly T[], id: string): T => list.find((item) => item.id === id)!;

/** The error `fn` throws; fails the test if it returns. */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error, nothing was thrown');
}

describe('flavorFactsFromNova over flavors_detail_iad_2015.json', () => {
  const facts = flavors.map((flavor) => flavorFactsFromNova(flavor, 'rackspace'));
  const fact = (id: string) => byId(facts, id);

  it('maps all 38 flavors to valid FlavorFacts', () => {
    expect(facts).toHaveLength(38);
    for (const f of facts) expect(FlavorFacts.parse(f)).toEqual(f);
  });

  it('keeps Nova units: ram MiB, disk and ephemeral GiB', () => {
    expect(fact('general1-1')).toEqual({
      provider: 'rackspace',
      id: 'general1-1',
      name: '1 GB General Purpose v1',
      memoryMiB: 1024,
      diskGiB: 20,
      ephemeralGiB: 0,
      vcpus: 1,
      extraSpecs: { policy_class: 'general_flavor', class: 'general1', disk_io_index: '40', number_of_data_disks: '0' },
      flavorClass: 'general1',
      disabled: false,
    });
    expect(fact('compute1-4')).toMatchObject({ memoryMiB: 3840, diskGiB: 0, vcpus: 2, flavorClass: 'compute1' });
    expect(fact('io1-15')).toMatchObject({ diskGiB: 40, ephemeralGiB: 150, flavorClass: 'io1' });
    expect(fact('onmetal-io1')).toMatchObject({ memoryMiB: 131072, diskGiB: 32, ephemeralGiB: 3200, flavorClass: 'onmetal' });
  });

  it('accepts swap as an int (standard1) and as "" (every other class)', () => {
    const swaps = flavors.map((flavor) => [flavor.id, flavor.swap]);
    expect(swaps.filter(([, swap]) => swap === '').length).toBe(31);
    expect(Object.fromEntries(swaps.filter(([, swap]) => swap !== ''))).toEqual({ 2: 512, 3: 1024, 4: 2048, 5: 2048, 6: 2048, 7: 2048, 8: 2048 });
  });

  it('keeps every extra_specs value a string, and the class as flavorClass', () => {
    for (const [index, f] of facts.entries()) {
      expect(Object.values(f.extraSpecs).every((value) => typeof value === 'string')).toBe(true);
      expect(f.flavorClass).toBe((flavors[index]!['OS-FLV-WITH-EXT-SPECS:extra_specs'] as Json).class);
    }
    expect(fact('compute1-4').extraSpecs.disk_io_index).toBe('-1');
    expect(new Set(facts.map((f) => f.flavorClass))).toEqual(
      new Set(['standard1', 'general1', 'compute1', 'memory1', 'io1', 'onmetal', 'performance1', 'performance2']),
    );
    expect(facts.filter((f) => f.diskGiB === 0).map((f) => f.flavorClass)).toEqual([...Array(5).fill('compute1'), ...Array(5).fill('memory1')]);
  });

  it('also reads the reconstructed OnMetal v2 flavors (which the catalog leaves out)', () => {
    expect(onmetalV2.map((flavor) => flavorFactsFromNova(flavor, 'rackspace')).map((f) => [f.id, f.diskGiB, f.flavorClass])).toEqual([
      ['onmetal-general2-large', 800, 'onmetal2'],
      ['onmetal-general2-medium', 800, 'onmetal2'],
      ['onmetal-general2-small', 800, 'onmetal2'],
      ['onmetal-io2', 240, 'onmetal2'],
    ]);
  });
});

describe('flavorFactsFromNova on other shapes', () => {
  const base = { id: 'm1.small', name: 'm1.small', ram: 2048, disk: 20, vcpus: 1 };

  it('defaults ephemeral to 0, extra_specs to {}, disabled to false; reads extra_specs of Nova 2.61+', () => {
    expect(flavorFactsFromNova(base, 'openstack')).toEqual({
      provider: 'openstack',
      id: 'm1.small',
      name: 'm1.small',
      memoryMiB: 2048,
      diskGiB: 20,
      ephemeralGiB: 0,
      vcpus: 1,
      extraSpecs: {},
      flavorClass: undefined,
      disabled: false,
    });
    expect(flavorFactsFromNova({ ...base, extra_specs: { 'hw:cpu_policy': 'dedicated' }, 'OS-FLV-DISABLED:disabled': true, swap: 0 }, 'openstack'))
      .toMatchObject({ extraSpecs: { 'hw:cpu_policy': 'dedicated' }, disabled: true });
  });

  it('reads `openstack flavor show -f json` output: extra specs under properties', () => {
    const show = {
      'OS-FLV-DISABLED:disabled': false,
      'OS-FLV-EXT-DATA:ephemeral': 0,
      access_project_ids: null,
      description: null,
      disk: 20,
      id: 'c4.nfv',
      name: 'c4.nfv',
      'os-flavor-access:is_public': true,
      properties: { 'hw:cpu_policy': 'dedicated', 'hw:mem_page_size': 'large' },
      ram: 4096,
      rxtx_factor: 1.0,
      swap: '',
      vcpus: 4,
    };
    expect(flavorFactsFromNova(show, 'openstack')).toMatchObject({ id: 'c4.nfv', vcpus: 4, extraSpecs: { 'hw:cpu_policy': 'dedicated', 'hw:mem_page_size': 'large' } });
  });

  it('rejects what is not a Nova flavor, naming the field, as the origin calls for', () => {
    const bad = { ...base, swap: 'none', 'OS-FLV-WITH-EXT-SPECS:extra_specs': { disk_io_index: 40 } };
    expect(thrown(() => flavorFactsFromNova(bad, 'rackspace'))).toMatchObject({
      name: 'InputError',
      code: 'InvalidFlavor',
      message:
        'Invalid Nova flavor: swap: expected a whole number of MiB or "" (got "none"); ' +
        '["OS-FLV-WITH-EXT-SPECS:extra_specs"].disk_io_index: expected string (got 40)',
    });
    const file = thrown(() => flavorFactsFromNova({ ...base, ram: -1 }, 'rackspace', { source: 'file', path: 'flavors.json', at: ['flavors', 4] }));
    expect(file).toBeInstanceOf(InputError);
    expect(file).toMatchObject({ code: 'InvalidFlavorFile', message: 'flavors.json: flavors[4].ram: expected a number >= 0 (got -1)' });
    const api = thrown(() => flavorFactsFromNova({ ...base, id: 2 }, 'rackspace', { source: 'api', endpoint: 'GET https://iad.servers.api.rackspacecloud.com/v2/1/flavors/2', at: ['flavor'] }));
    expect(api).toBeInstanceOf(ProviderApiError);
    expect(api).toMatchObject({
      code: 'MalformedResponse',
      message: 'GET https://iad.servers.api.rackspacecloud.com/v2/1/flavors/2 answered with a Nova flavor imglint cannot read: flavor.id: expected string (got 2)',
    });
  });
});

describe('imageFactsFromNova / imageFactsFromGlance over the image captures', () => {
  const nova = novaImages.map((image) => imageFactsFromNova(image, 'rackspace', 'DFW'));
  const glance = glanceImages.map((image) => imageFactsFromGlance(image, 'rackspace', 'DFW'));

  it('maps all 59 Nova images, 14 OnMetal images and 49 Glance images to valid facts', () => {
    expect(nova).toHaveLength(59);
    expect(glance).toHaveLength(49);
    const onmetal = onmetalImages.map((image) => imageFactsFromNova(image, 'rackspace'));
    expect(onmetal).toHaveLength(14);
    for (const f of [...nova, ...glance, ...onmetal]) expect(OpenStackImageFacts.parse(f)).toEqual(f);
    expect(new Set(onmetal.map((f) => `${f.vmMode} ${f.flavorClasses} ${f.autoDiskConfig}`))).toEqual(new Set(['metal onmetal disabled']));
  });

  it('keeps units: minRam MiB, minDisk GiB, size bytes; status lower-cased', () => {
    for (const [index, f] of nova.entries()) {
      const raw = novaImages[index]!;
      expect([f.minRamMiB, f.minDiskGiB, f.sizeBytes, f.state]).toEqual([raw.minRam, raw.minDisk, raw['OS-EXT-IMG-SIZE:size'], 'active']);
    }
    for (const [index, f] of glance.entries()) {
      const raw = glanceImages[index]!;
      expect([f.minRamMiB, f.minDiskGiB, f.sizeBytes, f.state]).toEqual([raw.min_ram, raw.min_disk, raw.size, 'active']);
    }
    expect(byId(nova, 'b5abb18c-89f0-4853-a8fd-48e2762c2a3d')).toMatchObject({
      name: 'Windows Server 2012 + SQL Server 2012 SP1 Web',
      minRamMiB: 2048,
      minDiskGiB: 40,
      sizeBytes: 17469868662,
      osType: 'windows',
      vmMode: undefined,
    });
  });

  it('reads the Rackspace properties (§3 value counts)', () => {
    const count = (key: keyof OpenStackImageFacts) => {
      const counts: Record<string, number> = {};
      for (const f of nova) counts[String(f[key])] = (counts[String(f[key])] ?? 0) + 1;
      return counts;
    };
    expect(count('vmMode')).toEqual({ xen: 10, hvm: 23, undefined: 26 });
    expect(count('autoDiskConfig')).toEqual({ disabled: 38, False: 12, True: 9 });
    expect(count('imageType')).toEqual({ base: 49, snapshot: 10 });
    expect(count('osType')).toEqual({ linux: 42, windows: 17 });
    expect(count('flavorClasses')).toEqual({ '*,!onmetal': 36, '*,!io1,!memory1,!compute1,!onmetal': 10, undefined: 13 });
    expect(count('flavorClassesFrom')).toEqual({ image: 46, undefined: 13 });
    expect(byId(nova, '474a827e-e28e-4764-9852-70cec4c23326')).toMatchObject({
      imageType: 'snapshot',
      baseImageRef: '7b8abc3f-5fd2-4d02-9e9a-16d43fc7128e',
      flavorClasses: undefined,
      flavorClassesFrom: undefined,
    });
  });

  it('gives the same facts for the same image through Nova and Glance, where both carry the field', () => {
    const differences: string[] = [];
    for (const g of glance) {
      const n = byId(nova, g.id);
      for (const key of Object.keys(OpenStackImageFacts.def.shape) as (keyof OpenStackImageFacts)[]) {
        if (n[key] !== g[key]) differences.push(`${g.name} ${key}: nova ${String(n[key])}, glance ${String(g[key])}`);
      }
    }
    // The one difference is in the captures themselves, and raw values are kept as spelled.
    expect(differences).toEqual(['iPXE Boot (boot.rackspace.com) autoDiskConfig: nova False, glance false']);
  });
});

describe('image shapes and edge cases', () => {
  const glanceImage = {
    id: 'f8ae535e-67c0-41a5-bf55-b06d0ee40cc2',
    name: 'CentOS 7 (PVHVM)',
    status: 'active',
    min_ram: 512,
    min_disk: 20,
    size: 786851587,
    visibility: 'public',
    vm_mode: 'hvm',
    flavor_classes: '*,!onmetal',
    auto_disk_config: 'disabled',
    os_type: 'linux',
    image_type: 'base',
  };

  it('reads properties from the top level (Glance API) and from `properties` (openstack image show)', () => {
    expect(imageFactsFromGlance(glanceImage, 'rackspace')).toEqual(CENTOS_FACTS);
    const { vm_mode, flavor_classes, auto_disk_config, os_type, image_type, ...standard } = glanceImage;
    const cli = { ...standard, properties: { vm_mode, flavor_classes, auto_disk_config, os_type, image_type, os_hidden: false, stores: 'file' } };
    expect(imageFactsFromGlance(cli, 'rackspace')).toEqual(CENTOS_FACTS);
    expect(imageFactsFromGlance({ ...glanceImage, properties: { vm_mode: 'xen' } }, 'rackspace').vmMode).toBe('hvm');
  });

  it('reads a Nova image: status upper case, size as a JSON float, properties under metadata', () => {
    const text = `{"id": "${glanceImage.id}", "name": "CentOS 7 (PVHVM)", "status": "SAVING", "minRam": 512, "minDisk": 20,
      "OS-EXT-IMG-SIZE:size": 1.017415075e+09, "OS-DCF:diskConfig": "MANUAL",
      "metadata": {"vm_mode": "hvm", "flavor_classes": "*,!onmetal", "auto_disk_config": "disabled", "img_config_drive": "mandatory"}}`;
    expect(imageFactsFromNova(JSON.parse(text), 'rackspace', 'IAD')).toMatchObject({
      state: 'saving',
      region: 'IAD',
      sizeBytes: 1017415075,
      vmMode: 'hvm',
      configDrive: 'mandatory',
      flavorClassesFrom: 'image',
    });
  });

  it('null size and name are left out; Glance status is lower-cased', () => {
    expect(imageFactsFromGlance({ ...glanceImage, size: null, name: null, status: 'QUEUED' }, 'openstack')).toMatchObject({
      provider: 'openstack',
      sizeBytes: undefined,
      name: undefined,
      state: 'queued',
    });
  });

  it('vm_mode vs hw_vm_mode: Rackspace reads vm_mode first, upstream Nova lets hw_vm_mode win', () => {
    const both = { ...glanceImage, vm_mode: 'xen', hw_vm_mode: 'hvm' };
    expect(imageFactsFromGlance(both, 'rackspace').vmMode).toBe('xen');
    expect(imageFactsFromGlance(both, 'openstack').vmMode).toBe('hvm');
    const { vm_mode: _vmMode, ...hwOnly } = { ...glanceImage, hw_vm_mode: 'hvm' };
    expect(imageFactsFromGlance(hwOnly, 'rackspace').vmMode).toBe('hvm');
  });

  it('an empty flavor_classes is still the image\'s own (it means: no check)', () => {
    expect(imageFactsFromGlance({ ...glanceImage, flavor_classes: '' }, 'rackspace')).toMatchObject({ flavorClasses: '', flavorClassesFrom: 'image' });
  });

  it('rejects what is not an image, naming the field, as the origin calls for', () => {
    expect(thrown(() => imageFactsFromGlance({ ...glanceImage, min_disk: '40' }, 'rackspace'))).toMatchObject({
      name: 'InputError',
      code: 'InvalidImage',
      message: 'Invalid Glance image: min_disk: expected number (got "40")',
    });
    expect(thrown(() => imageFactsFromNova({ id: 'x', status: 'ACTIVE', minRam: 0, minDisk: 0, metadata: { vm_mode: 1 } }, 'rackspace', undefined, { source: 'file', path: 'i.json', at: ['images', 2] })))
      .toMatchObject({ code: 'InvalidImageFile', message: 'i.json: images[2].metadata.vm_mode: expected string (got 1)' });
    const api = thrown(() => imageFactsFromGlance({ ...glanceImage, status: '' }, 'openstack', 'RegionOne', { source: 'api', endpoint: 'GET https://glance/v2/images' }));
    expect(api).toBeInstanceOf(ProviderApiError);
    expect(api).toMatchObject({
      code: 'MalformedResponse',
      message: 'GET https://glance/v2/images answered with a Glance image imglint cannot read: status: expected a non-empty string (got "")',
    });
  });
});

/**
 * `oracle/cases.json` feeds Nova's own code with images in Glance v2 or Nova `/images/detail` shape, or in Nova's
 * internal shape (the dict `nova.image.glance` builds: properties nested under `properties`); flavors in Nova API or
 * internal (`memory_mb`, `root_gb`, ...) shape. imglint reads only API shapes: internal images read like
 * `openstack image show` output (properties nested), internal flavors are rejected.
 */
describe('oracle/cases.json shapes', () => {
  interface OracleCase { name: string; image: Json; flavor: Json }
  const cases = load<OracleCase[]>('oracle/cases.json');
  const imageShape = (image: Json) => ('minRam' in image ? 'nova' : 'properties' in image ? 'nova-internal' : 'glance');
  const flavorShape = (flavor: Json) => ('memory_mb' in flavor ? 'nova-internal' : 'nova-api');

  it('holds 27 Glance and 3 Nova images, 30 Nova API flavors, and no nova-internal shape', () => {
    const tally = (shapes: string[]) => shapes.reduce<Record<string, number>>((acc, shape) => ({ ...acc, [shape]: (acc[shape] ?? 0) + 1 }), {});
    expect(tally(cases.map((c) => imageShape(c.image)))).toEqual({ glance: 27, nova: 3 });
    expect(tally(cases.map((c) => flavorShape(c.flavor)))).toEqual({ 'nova-api': 30 });
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s normalizes', (_name, c) => {
    for (const provider of ['rackspace', 'openstack'] as const) {
      const image = imageShape(c.image) === 'nova' ? imageFactsFromNova(c.image, provider) : imageFactsFromGlance(c.image, provider);
      expect(OpenStackImageFacts.parse(image)).toEqual(image);
      if (flavorShape(c.flavor) === 'nova-internal') {
        expect(thrown(() => flavorFactsFromNova(c.flavor, provider))).toMatchObject({ code: 'InvalidFlavor' });
      } else {
        const flavor = flavorFactsFromNova(c.flavor, provider);
        expect(FlavorFacts.parse(flavor)).toEqual(flavor);
      }
    }
  });

  it('carries the fields the cases vary', () => {
    const image = (name: string) => {
      const c = cases.find((candidate) => candidate.name === name)!;
      return imageShape(c.image) === 'nova' ? imageFactsFromNova(c.image, 'rackspace') : imageFactsFromGlance(c.image, 'rackspace');
    };
    const flavor = (name: string) => flavorFactsFromNova(cases.find((c) => c.name === name)!.flavor, 'rackspace');
    expect(image('CentOS 7 copy with status=queued').state).toBe('queued');
    expect(image('img_config_drive=sometimes (ImageMeta enum rejects it first)').configDrive).toBe('sometimes');
    expect(image('snapshot resized to 45 GiB bytes on general1-2 (40 GiB)').sizeBytes).toBe(45 * 1024 ** 3);
    expect(image('OnMetal CoreOS (vm_mode=metal) on onmetal-compute1')).toMatchObject({ vmMode: 'metal', flavorClasses: 'onmetal' });
    expect(flavor('disabled flavor')).toMatchObject({ id: 'general1-1', disabled: true });
    expect(flavor('hw:pmu=true flavor vs hw_pmu=false image').extraSpecs['hw:pmu']).toBe('true');
  });
});
