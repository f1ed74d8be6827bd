/**
 * --image-file for Rackspace / OpenStack: `openstack image show -f json`, Glance v2 JSON and Nova JSON; every failure
 * is an InputError naming the file (and the field).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseOpenStackImageDocument, readOpenStackImageFile } from '../../../providers/openstack/image-file.js';
import { OpenStackImageFacts } from '../../../src/model/index.js';
import { readDataFile, repoRoot } from '../../support/data.js';
import { inputError, parsedOrInputError } from '../../support/errors.js';
import { useTempDir } from '../../support/temp-dir.js';
import { CENTOS_FACTS } from './images.js';

const text = (file: string) => readDataFile(`rackspace/images/${file}`).toString('utf8');

type Json = Record<string, unknown>;
const glanceListText = text('glance_v2_images_2015.json');
const novaListText = text('nova_images_detail_dfw_2015.json');
const glanceList = JSON.parse(glanceListText) as { images: Json[] };
const novaList = JSON.parse(novaListText) as { images: Json[] };

/** The example committed in the repository: a Glance v2 image (PVHVM CentOS 7). */
const centosText = readFileSync(path.join(repoRoot, 'examples', 'rackspace', 'centos-7-pvhvm.json'), 'utf8');
const centos = JSON.parse(centosText) as Json;

/**
 * What `openstack image show -f json` prints for a Glance image: python-openstackclient's `_format_image`
 * (openstackclient/image/v2/image.py) keeps these fields at the top level, drops `tags`' formatting, and moves every
 * other key under `properties`.
 */
function asOpenStackClientOutput(image: Json): Json {
  const fieldsToShow = new Set(['status', 'name', 'container_format', 'created_at', 'size', 'disk_format', 'updated_at', 'visibility', 'min_disk', 'protected', 'id', 'file', 'checksum', 'owner', 'virtual_size', 'min_ram', 'schema']);
  const info: Json = {};
  const properties: Json = {};
  for (const [key, value] of Object.entries(image)) {
    if (fieldsToShow.has(key)) info[key] = value;
    else if (key !== 'tags') properties[key] = value;
  }
  return { ...info, tags: image.tags ?? [], properties };
}

describe('parseOpenStackImageDocument: accepted documents', () => {
  it('one Glance v2 image (GET /v2/images/{id})', () => {
    expect(parseOpenStackImageDocument(centosText, 'centos.json', 'rackspace')).toEqual([CENTOS_FACTS]);
  });

  it('`openstack image show -f json` output (properties nested)', () => {
    const cli = asOpenStackClientOutput(centos);
    expect(cli).toHaveProperty('properties.flavor_classes', '*,!onmetal');
    expect(cli).not.toHaveProperty('flavor_classes');
    expect(parseOpenStackImageDocument(JSON.stringify(cli, null, 2), 'show.json', 'rackspace')).toEqual([CENTOS_FACTS]);
  });

  it('Nova JSON: {"image": {...}} and a bare /images/detail item', () => {
    const nova = {
      id: CENTOS_FACTS.id,
      name: 'CentOS 7 (PVHVM)',
      status: 'ACTIVE',
      minRam: 512,
      minDisk: 20,
      'OS-EXT-IMG-SIZE:size': 786851587,
      'OS-DCF:diskConfig': 'MANUAL',
      metadata: { vm_mode: 'hvm', flavor_classes: '*,!onmetal', auto_disk_config: 'disabled', image_type: 'base', os_type: 'linux' },
    };
    expect(parseOpenStackImageDocument(JSON.stringify({ image: nova }), 'nova.json', 'rackspace')).toEqual([CENTOS_FACTS]);
    expect(parseOpenStackImageDocument(JSON.stringify(nova), 'item.json', 'rackspace')).toEqual([CENTOS_FACTS]);
  });

  it('copies the provider and ignores a byte-order mark', () => {
    expect(parseOpenStackImageDocument(`\uFEFF${centosText}`, 'bom.json', 'openstack')).toEqual([{ ...CENTOS_FACTS, provider: 'openstack', hardware: {} }]);
  });
});

describe('parseOpenStackImageDocument: the real captures', () => {
  it('Glance `GET /v2/images` ({"images": [...], "schema", "first"}): 49 images', () => {
    const facts = parseOpenStackImageDocument(glanceListText, 'glance.json', 'rackspace');
    expect(facts.map((f) => f.id)).toEqual(glanceList.images.map((image) => image.id));
  });

  it('Nova `GET /images/detail` ({"images": [...]}): 59 images', () => {
    const facts = parseOpenStackImageDocument(novaListText, 'nova.json', 'rackspace');
    expect(facts).toHaveLength(59);
    expect(facts.filter((f) => f.imageType === 'snapshot')).toHaveLength(10);
  });

  it('the other captures: OnMetal (Nova), CentOS 7 from the docs (Glance), Debian 10 of 2021 (Glance list with nulls)', () => {
    expect(parseOpenStackImageDocument(text('nova_images_detail_onmetal_iad_2015.json'), 'o.json', 'rackspace')).toHaveLength(14);
    expect(parseOpenStackImageDocument(text('glance_v2_image_centos7_pvhvm_2015.json'), 'c.json', 'rackspace')).toMatchObject([
      { id: '126a6674-6308-421f-801e-fc302ab4f53f', sizeBytes: 758777106 },
    ]);
    expect(parseOpenStackImageDocument(text('glance_v2_image_debian10_pvhvm_2021.json'), 'd.json', 'rackspace')).toMatchObject([
      { name: 'Debian 10 (Buster) (PVHVM)', flavorClasses: '*,!onmetal,!onmetal2', minRamMiB: 256, minDiskGiB: 10 },
    ]);
  });

  it('the same image reads the same from the Glance list, `openstack image show` and Nova', () => {
    const glance = parseOpenStackImageDocument(glanceListText, 'g.json', 'rackspace');
    const nova = new Map(parseOpenStackImageDocument(novaListText, 'n.json', 'rackspace').map((f) => [f.id, f]));
    for (const [index, image] of glanceList.images.entries()) {
      const [cli] = parseOpenStackImageDocument(JSON.stringify(asOpenStackClientOutput(image)), 'show.json', 'rackspace');
      expect(cli).toEqual(glance[index]);
      // iPXE's auto_disk_config is `false` in the Glance capture and `False` in the Nova one.
      expect({ ...nova.get(cli!.id), autoDiskConfig: undefined }).toEqual({ ...cli, autoDiskConfig: undefined });
    }
  });
});

describe('parseOpenStackImageDocument: rejected documents', () => {
  it('malformed JSON is MalformedImageFile with the file, line and column', () => {
    const error = inputError(() => parseOpenStackImageDocument('{\n  "images": [\n    { "id": "x", }\n  ]\n}\n', 'examples/x.json', 'rackspace'));
    expect(error.code).toBe('MalformedImageFile');
    expect(error.message).toMatch(/^examples\/x\.json: not valid JSON: .+ at line 3, column 18$/);
    expect(inputError(() => parseOpenStackImageDocument('', 'empty.json', 'rackspace')).message).toBe(
      'empty.json: not valid JSON: Unexpected end of JSON input at line 1, column 1',
    );
  });

  it('a wrong field is InvalidImageFile naming the file and the field path', () => {
    const glance = { images: [centos, { ...centos, min_disk: '40' }] };
    expect(inputError(() => parseOpenStackImageDocument(JSON.stringify(glance), 'list.json', 'rackspace'))).toMatchObject({
      code: 'InvalidImageFile',
      message: 'list.json: images[1].min_disk: expected number (got "40")',
    });
    const nova = { image: { id: 'x', status: 'ACTIVE', minDisk: 20, metadata: { vm_mode: 1 } } };
    expect(inputError(() => parseOpenStackImageDocument(JSON.stringify(nova), 'nova.json', 'rackspace')).message).toBe(
      'nova.json: image.minRam: missing (expected number); image.metadata.vm_mode: expected string (got 1)',
    );
    const { id: _id, ...noId } = centos;
    expect(inputError(() => parseOpenStackImageDocument(JSON.stringify(noId), 'one.json', 'rackspace')).message).toBe(
      'one.json: id: missing (expected string)',
    );
  });

  it('a size too large to be a whole number (min_disk 1.2e29) says what it expects, not "Invalid input"', () => {
    const huge = `{"id": "x", "status": "active", "min_ram": 0, "min_disk": 1.2e29}`;
    expect(inputError(() => parseOpenStackImageDocument(huge, 'huge.json', 'openstack')).message).toBe(
      'huge.json: min_disk: expected a whole number of at most 9007199254740991 (got 1.2e+29)',
    );
    const nova = `{"image": {"id": "x", "status": "ACTIVE", "minRam": -1e300, "minDisk": 0}}`;
    expect(inputError(() => parseOpenStackImageDocument(nova, 'nova.json', 'openstack')).message).toBe(
      'nova.json: image.minRam: expected a number >= 0 (got -1e+300)',
    );
  });

  it('`properties` as text (openstackclient before 2018 printed it so) is InvalidImageFile naming `properties`', () => {
    const old = { ...asOpenStackClientOutput(centos), properties: "auto_disk_config='disabled', flavor_classes='*,!onmetal'" };
    expect(inputError(() => parseOpenStackImageDocument(JSON.stringify(old), 'old.json', 'rackspace')).message).toBe(
      'old.json: properties: expected object (got "auto_disk_config=\'disabled\', flavor_cl…)',
    );
  });

  it('an empty list is EmptyImageFile; a list that is not an array, or JSON that is not an object, is InvalidImageFile', () => {
    expect(inputError(() => parseOpenStackImageDocument('{"images": [], "schema": "/v2/schemas/images"}', 'none.json', 'rackspace'))).toMatchObject({
      code: 'EmptyImageFile',
      message: 'none.json: "images" is empty: no image to check',
    });
    expect(inputError(() => parseOpenStackImageDocument('{"images": {}}', 'o.json', 'rackspace'))).toMatchObject({
      code: 'InvalidImageFile',
      message: 'o.json: images: expected array (got an object)',
    });
    expect(inputError(() => parseOpenStackImageDocument('[]', 'a.json', 'rackspace')).message).toBe(
      'a.json: expected an object (an image, {"images": [...]} or {"image": {...}}), got an array',
    );
    expect(inputError(() => parseOpenStackImageDocument('"image"', 's.json', 'rackspace')).code).toBe('InvalidImageFile');
  });
});

describe('readOpenStackImageFile', () => {
  const dir = useTempDir('imglint-openstack-image-file-');

  it('reads a file', async () => {
    expect(await readOpenStackImageFile(path.join(repoRoot, 'examples', 'rackspace', 'centos-7-pvhvm.json'), 'rackspace')).toEqual([CENTOS_FACTS]);
  });

  it('an unreadable path is UnreadableImageFile naming it', async () => {
    const missing = path.join(dir(), 'missing.json');
    await expect(readOpenStackImageFile(missing, 'rackspace')).rejects.toMatchObject({
      kind: 'input',
      code: 'UnreadableImageFile',
      message: `${missing}: cannot read the image file (ENOENT)`,
    });
    await expect(readOpenStackImageFile(dir(), 'openstack')).rejects.toMatchObject({ code: 'UnreadableImageFile' });
  });
});

describe('parseOpenStackImageDocument never throws anything but InputError (property)', () => {
  /** Runs the parser; returns its facts, or undefined after checking the error is an InputError naming the file. */
  function parseOrInputError(documentText: string): OpenStackImageFacts[] | undefined {
    const facts = parsedOrInputError(() => parseOpenStackImageDocument(documentText, 'prop.json', 'rackspace'), 'prop.json');
    // Whatever is accepted is valid OpenStackImageFacts.
    for (const f of facts ?? []) expect(() => OpenStackImageFacts.parse(f)).not.toThrow();
    return facts;
  }

  it('arbitrary text', () => {
    fc.assert(fc.property(fc.string(), (value) => void parseOrInputError(value)));
  });

  it('arbitrary JSON values, alone, as a list and under "image" / "properties" / "metadata"', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        parseOrInputError(JSON.stringify(value));
        parseOrInputError(JSON.stringify({ images: value }));
        parseOrInputError(JSON.stringify({ images: [value] }));
        parseOrInputError(JSON.stringify({ image: value }));
        parseOrInputError(JSON.stringify({ ...centos, properties: value }));
        parseOrInputError(JSON.stringify({ image: { id: 'x', status: 'ACTIVE', minRam: 0, minDisk: 0, metadata: value } }));
      }),
    );
  });

  /** Real documents with fields removed or replaced, at the top level and among the properties. */
  function mutationTest(documentText: string, propertiesKey: 'metadata' | undefined) {
    const document = JSON.parse(documentText) as { images: Json[] };
    const keys = [...new Set(document.images.flatMap((image) => Object.keys(image)))];
    const propertyKeys = ['flavor_classes', 'vm_mode', 'hw_vm_mode', 'auto_disk_config', 'image_type', 'base_image_ref', 'os_type', 'img_config_drive'];
    const mutation = fc.record({
      index: fc.nat({ max: document.images.length - 1 }),
      key: fc.constantFrom(...keys, ...propertyKeys, 'properties', 'metadata', 'id', 'images', 'image'),
      nested: fc.boolean(),
      value: fc.option(fc.oneof(fc.jsonValue(), fc.constantFrom('', 'ACTIVE', -1, 1.5, null, 1e21)), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        const doc = structuredClone(document);
        for (const { index, key, nested, value } of mutations) {
          const image = doc.images[index]!;
          const target = nested && propertiesKey && typeof image[propertiesKey] === 'object' && image[propertiesKey] !== null ? (image[propertiesKey] as Json) : image;
          if (value === undefined) delete target[key];
          else target[key] = value;
        }
        parseOrInputError(JSON.stringify(doc));
        parseOrInputError(JSON.stringify(doc.images[0]));
        parseOrInputError(JSON.stringify(asOpenStackClientOutput(doc.images[0]!)));
      }),
      { numRuns: 300 },
    );
  }

  it('real Glance documents with fields removed or replaced', () => mutationTest(glanceListText, undefined));
  it('real Nova documents with fields removed or replaced', () => mutationTest(novaListText, 'metadata'));

  it('any prefix of a real document', () => {
    fc.assert(fc.property(fc.nat({ max: centosText.length }), (end) => void parseOrInputError(centosText.slice(0, end))));
  });
});
