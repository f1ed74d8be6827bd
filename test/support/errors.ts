/** Expecting imglint's errors: the thrown or rejected error, checked to be of the right class. */
import { expect } from 'vitest';
import { ImglintError, InputError } from '../../src/errors.js';

/** The InputError `fn` throws; fails the test if it returns or throws anything else. */
export function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError, nothing was thrown');
}

/** What `call` throws, which must be an ImglintError; fails the test if it returns. */
export function thrown(call: () => unknown): ImglintError {
  try {
    call();
  } catch (error) {
    expect(ImglintError.is(error), `expected an ImglintError, got ${String(error)}`).toBe(true);
    return error as ImglintError;
  }
  throw new Error('expected a throw');
}

/** The rejection of `promise`, which must reject with an ImglintError. */
export async function rejection(promise: Promise<unknown>): Promise<ImglintError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(ImglintError.is(error), `expected an ImglintError, got ${String(error)}`).toBe(true);
  return error as ImglintError;
}

/**
 * What `parse` returns, or undefined after checking that what it threw is an InputError whose message starts with
 * `file: ` and fits on one line; anything else it throws is thrown on (the property tests of the file parsers).
 */
export function parsedOrInputError<T>(parse: () => T, file: string): T | undefined {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof InputError) || !ImglintError.is(error)) throw error;
    expect(error.message.startsWith(`${file}: `)).toBe(true);
    expect(error.message).not.toMatch(/\n/);
    return undefined;
  }
}
