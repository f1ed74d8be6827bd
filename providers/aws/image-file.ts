import { readFile } from 'node:fs/promises';
import * as z from 'zod/mini';
import { InputError } from '../../src/errors.js';
import type { ImageFacts } from '../../src/model/index.js';
import { formatZodError } from '../../src/model/zod-issues.js';
import { imageFactsFromEc2 } from './normalize.js';
import { Ec2Image } from './image-schema.js';

/**
 * `--image-file`: AMIs described in a file instead of fetched, so a check can run before the AMI exists, offline,
 * or without credentials. The file holds what `aws ec2 describe-images --image-ids ...` prints
 * (`{"Images": [...]}`), or one `Image` object from it.
 */

const DescribeImagesDocument = z.object({ Images: z.array(Ec2Image) });

/**
 * Reads and validates an image file.
 *
 * @param path - the file, as the user wrote it (used verbatim in messages).
 * @returns facts for every image in the file, in file order (at least one). `region` is unset: the file does not say.
 * @throws InputError `UnreadableImageFile` (cannot read), or anything {@link parseImageDocument} throws.
 */
export async function readImageFile(path: string): Promise<ImageFacts[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new InputError('UnreadableImageFile', `${path}: cannot read the image file (${reason})`, {
      hint: 'pass the path of a file saved from `aws ec2 describe-images --image-ids ami-... > images.json`',
      cause: error,
    });
  }
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
export function parseImageDocument(text: string, path: string): ImageFacts[] {
  const json = text.replace(/^\uFEFF/, '');
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch (error) {
    throw new InputError('MalformedImageFile', `${path}: not valid JSON: ${describeJsonError(error, json)}`, {
      hint: 'save the output of `aws ec2 describe-images --output json` unchanged',
      cause: error,
    });
  }
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

/**
 * `Unexpected token '}' at line 3, column 14`. V8 gives a character offset for some syntax errors and only a
 * snippet for others, so the offset is found by bisection: the shortest prefix of `json` that is no longer the
 * beginning of some valid JSON ends at the offending character.
 */
function describeJsonError(error: unknown, json: string): string {
  const what = (error instanceof Error ? error.message : String(error))
    .replace(/, ".*" is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+.*$/s, '');
  // Invariant: json.slice(0, good) is viable, json.slice(0, bad) is not. A truncated file fails at its end.
  let good = isViableJsonPrefix(json) ? json.length : 0;
  let bad = json.length;
  while (bad - good > 1) {
    const middle = (good + bad) >> 1;
    if (isViableJsonPrefix(json.slice(0, middle))) good = middle;
    else bad = middle;
  }
  // The offending character is at index `good`.
  const before = json.slice(0, good);
  const line = before.split('\n').length;
  const column = good - before.lastIndexOf('\n');
  return `${what} at line ${line}, column ${column}`;
}

/** True when `prefix` parses, or fails only because it ends too early. */
function isViableJsonPrefix(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return true;
  } catch (error) {
    const message = (error as Error).message;
    if (message.startsWith('Unexpected end of JSON input')) return true;
    const position = /at position (\d+)/.exec(message)?.[1];
    return position !== undefined && Number(position) >= prefix.length;
  }
}
