import * as z from 'zod/mini';
import { InputError } from '../../src/errors.js';
import { parseJsonText, readTextFile, type FileErrors } from '../../src/input/json-file.js';
import type { AwsImageFacts } from '../../src/model/index.js';
import { formatZodError } from '../../src/model/zod-issues.js';
import { imageFactsFromEc2 } from './normalize.js';
import { Ec2Image } from './image-schema.js';

/**
 * `--image-file`: AMIs described in a file instead of fetched, so a check can run before the AMI exists, offline,
 * or without credentials. The file holds what `aws ec2 describe-images --image-ids ...` prints
 * (`{"Images": [...]}`), or one `Image` object from it.
 */

const FILE_ERRORS: FileErrors = {
  unreadable: 'UnreadableImageFile',
  malformed: 'MalformedImageFile',
  what: 'the image file',
  hint: 'save the output of `aws ec2 describe-images --image-ids ami-... --output json` to a file, unchanged, and pass its path',
};

const DescribeImagesDocument = z.object({ Images: z.array(Ec2Image) });

/**
 * Reads and validates an image file.
 *
 * @param path - the file, as the user wrote it (used verbatim in messages).
 * @returns facts for every image in the file, in file order (at least one). `region` is unset: the file does not say.
 * @throws InputError `UnreadableImageFile` (cannot read), or anything {@link parseImageDocument} throws.
 */
export async function readImageFile(path: string): Promise<AwsImageFacts[]> {
  const text = await readTextFile(path, FILE_ERRORS);
  return parseImageDocument(text, path);
}

/**
 * Parses the text of an image file (pure: no I/O). A leading byte-order mark is ignored.
 *
 * @param text - the file's content: `{"Images": [Image, ...]}` or one `Image` object, in EC2's PascalCase.
 * @param path - the file name to put in messages.
 * @returns facts for every image (at least one), in document order.
 * @throws InputError `MalformedImageFile` (not JSON: the message gives line and column),
 *   `InvalidImageFile` (JSON that is not a describe-images document or Image; the message names the offending field,
 *   e.g. `images.json: Images[0].VirtualizationType: expected one of hvm|paravirtual (got "pv")`),
 *   `EmptyImageFile` (`"Images": []`).
 */
export function parseImageDocument(text: string, path: string): AwsImageFacts[] {
  const document = parseJsonText(text, path, FILE_ERRORS);
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    const got = Array.isArray(document) ? 'an array' : JSON.stringify(document);
    throw invalid(path, `expected an object ({"Images": [...]} or one Image), got ${got}`);
  }
  if ('Images' in document) {
    const result = DescribeImagesDocument.safeParse(document, { reportInput: true });
    if (!result.success) throw invalid(path, formatZodError(result.error));
    if (result.data.Images.length === 0) {
      throw new InputError('EmptyImageFile', `${path}: "Images" is empty: no AMI to check`, {
        hint: 'describe-images printed no image: check the AMI ID and the region it was run in',
      });
    }
    return result.data.Images.map((image) => imageFactsFromEc2(image));
  }
  const result = Ec2Image.safeParse(document, { reportInput: true });
  if (!result.success) throw invalid(path, formatZodError(result.error));
  return [imageFactsFromEc2(result.data)];
}

function invalid(path: string, detail: string): InputError {
  return new InputError('InvalidImageFile', `${path}: ${detail}`, {
    hint: 'the file must hold what `aws ec2 describe-images` prints ({"Images": [...]}) or one Image from it',
  });
}
