/** --image-file: what `aws ec2 describe-images` prints, or one Image; every failure is an InputError naming the file. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseImageDocument, readImageFile } from '../../../providers/aws/image-file.js';
import { AwsImageFacts } from '../../../src/model/index.js';
import { inputError, parsedOrInputError } from '../../support/errors.js';
import { useTempDir } from '../../support/temp-dir.js';
import { fixture } from './ec2-nock.js';

const describeImagesText = fixture('describe-images.json');
const describeImages = JSON.parse(describeImagesText) as { Images: Record<string, unknown>[] };

describe('parseImageDocument', () => {
  it('reads `aws ec2 describe-images` output', () => {
    const facts = parseImageDocument(describeImagesText, 'images.json');
    expect(facts.map((f) => [f.id, f.virtualizationType, f.architecture, f.bootMode, f.enaSupport])).toEqual([
      ['ami-0586cdd73a0e60fa5', 'hvm', 'x86_64', 'uefi-preferred', true],
      ['ami-0f47531f8c49bd1c6', 'hvm', 'arm64', 'uefi', true],
      ['ami-0e972d2890378139a', 'paravirtual', 'x86_64', undefined, false],
    ]);
    expect(facts[0]).toMatchObject({ provider: 'aws', name: 'al2023-ami-minimal-2023.12.20260727.0-kernel-6.18-x86_64' });
    expect(facts[0]!.region).toBeUndefined();
    for (const f of facts) expect(AwsImageFacts.parse(f)).toEqual(f);
  });

  it('reads one Image object, and ignores a byte-order mark', () => {
    const one = JSON.stringify(describeImages.Images[2]);
    expect(parseImageDocument(one, 'pv.json').map((f) => f.id)).toEqual(['ami-0e972d2890378139a']);
    expect(parseImageDocument(`\uFEFF${describeImagesText}`, 'bom.json')).toHaveLength(3);
  });

  it('malformed JSON is MalformedImageFile with the file, line and column', () => {
    const text = '{\n  "Images": [\n    { "ImageId": "ami-1", }\n  ]\n}\n';
    const error = inputError(() => parseImageDocument(text, 'examples/x.json'));
    expect(error.code).toBe('MalformedImageFile');
    // V8's wording varies across Node versions ("Expected double-quoted property name" on Node 20); the place does not.
    expect(error.message).toMatch(/^examples\/x\.json: not valid JSON: .+ at line 3, column 27$/);
  });

  it('a truncated file fails at its end', () => {
    const text = '{\n    "Images": [\n        {\n            "Architecture": "x86';
    const error = inputError(() => parseImageDocument(text, 'cut.json'));
    expect(error.message).toMatch(/^cut\.json: not valid JSON: .+ at line 4, column 33$/);
    expect(inputError(() => parseImageDocument('', 'empty.json')).message).toBe(
      'empty.json: not valid JSON: Unexpected end of JSON input at line 1, column 1',
    );
  });

  it('a wrong field is InvalidImageFile naming the field path', () => {
    const doc = structuredClone(describeImages);
    doc.Images[0]!.VirtualizationType = 'pv';
    doc.Images[1]!.EnaSupport = 'yes';
    delete doc.Images[2]!.Architecture;
    const error = inputError(() => parseImageDocument(JSON.stringify(doc), 'examples/x.json'));
    expect(error.code).toBe('InvalidImageFile');
    expect(error.message).toBe(
      'examples/x.json: Images[0].VirtualizationType: expected one of hvm|paravirtual (got "pv"); ' +
        'Images[1].EnaSupport: expected boolean (got "yes"); ' +
        'Images[2].Architecture: missing (expected one of i386|x86_64|arm64|x86_64_mac|arm64_mac)',
    );
  });

  it('a single Image with a wrong field names the field without a prefix', () => {
    const image = { ...describeImages.Images[0], RootDeviceType: 'standard' };
    expect(inputError(() => parseImageDocument(JSON.stringify(image), 'one.json')).message).toBe(
      'one.json: RootDeviceType: expected one of ebs|instance-store (got "standard")',
    );
  });

  it('an empty Images list is EmptyImageFile', () => {
    const error = inputError(() => parseImageDocument('{"Images": []}', 'none.json'));
    expect(error).toMatchObject({ code: 'EmptyImageFile', message: 'none.json: "Images" is empty: no AMI to check' });
  });

  it('JSON that is not an object is InvalidImageFile', () => {
    expect(inputError(() => parseImageDocument('[]', 'a.json')).message).toBe(
      'a.json: expected an object ({"Images": [...]} or one Image), got an array',
    );
    expect(inputError(() => parseImageDocument('42', 'n.json')).code).toBe('InvalidImageFile');
  });
});

describe('readImageFile', () => {
  const dir = useTempDir('imglint-image-file-');

  it('reads a file', async () => {
    const file = path.join(dir(), 'images.json');
    await writeFile(file, describeImagesText);
    expect((await readImageFile(file)).map((f) => f.id)).toHaveLength(3);
  });

  it('an unreadable path is UnreadableImageFile naming it', async () => {
    const missing = path.join(dir(), 'missing.json');
    await expect(readImageFile(missing)).rejects.toMatchObject({
      kind: 'input',
      code: 'UnreadableImageFile',
      message: `${missing}: cannot read the image file (ENOENT)`,
    });
    await expect(readImageFile(dir())).rejects.toMatchObject({ code: 'UnreadableImageFile' });
  });
});

describe('parseImageDocument never throws anything but InputError (property)', () => {
  /** Runs the parser; returns its facts, or undefined after checking the error is an InputError naming the file. */
  function parseOrInputError(text: string): AwsImageFacts[] | undefined {
    return parsedOrInputError(() => parseImageDocument(text, 'prop.json'), 'prop.json');
  }

  it('arbitrary text', () => {
    fc.assert(fc.property(fc.string(), (text) => void parseOrInputError(text)));
  });

  it('arbitrary JSON values, alone and under "Images"', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        parseOrInputError(JSON.stringify(value));
        parseOrInputError(JSON.stringify({ Images: value }));
        parseOrInputError(JSON.stringify({ Images: [value] }));
      }),
    );
  });

  it('real documents with a field removed or replaced', () => {
    const keys = [...new Set(describeImages.Images.flatMap((image) => Object.keys(image)))];
    const mutation = fc.record({
      index: fc.nat({ max: describeImages.Images.length - 1 }),
      key: fc.constantFrom(...keys, 'InstanceTypeSpecification', 'DeprecationTime', 'TpmSupport'),
      value: fc.option(fc.jsonValue(), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        const doc = structuredClone(describeImages);
        for (const { index, key, value } of mutations) {
          if (value === undefined) delete doc.Images[index]![key];
          else doc.Images[index]![key] = value;
        }
        const facts = parseOrInputError(JSON.stringify(doc));
        // Whatever is accepted is valid AwsImageFacts.
        for (const f of facts ?? []) expect(() => AwsImageFacts.parse(f)).not.toThrow();
      }),
    );
  });

  it('any prefix of a real document', () => {
    fc.assert(
      fc.property(fc.nat({ max: describeImagesText.length }), (end) => void parseOrInputError(describeImagesText.slice(0, end))),
    );
  });
});
