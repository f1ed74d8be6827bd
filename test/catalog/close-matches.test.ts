/**
 * "Did you mean" suggestions: what they suggest, and that their work is bounded however many names are unknown
 * (the library's check() with 100,000 unknown types used to walk the catalog with Levenshtein for each name: minutes
 * of a blocked event loop). The bound is checked by counting distance computations, never by timing.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { unknownReferencesOf } from '../../providers/provider.js';
import { createEmbeddedAwsProvider, loadAwsCatalog } from '../../src/catalog/aws-embedded.js';
import { closeMatches, closeMatchesFor, listNames, MAX_SUGGESTED_REFS } from '../../src/catalog/close-matches.js';
import { createEmbeddedRackspaceProvider } from '../../src/catalog/rackspace-embedded.js';
import type { InputError } from '../../src/errors.js';
import { rejection } from '../support/errors.js';

const distances = vi.hoisted(() => ({ count: 0 }));
vi.mock('leven', async (importOriginal) => {
  const { default: leven } = await importOriginal<typeof import('leven')>();
  return { default: (a: string, b: string) => (distances.count++, leven(a, b)) };
});

beforeEach(() => {
  distances.count = 0;
});

/** `n` names no catalog has, of the lengths real instance type names have. */
const bogus = (n: number) => Array.from({ length: n }, (_, index) => `zz${index}.bogus${index % 97}`);

describe('closeMatches', () => {
  const types = ['t2.micro', 't3.micro', 't3.medium', 'c5.large', 'c5.xlarge', 'c5.12xlarge'].map((name) => [name, []] as const);

  it('suggests names within 2 edits, or starting with the reference, closest first, at most 3', () => {
    expect(closeMatches('t2.mirco', types)).toEqual(['t2.micro']);
    expect(closeMatches('t2.micr', types)).toEqual(['t2.micro', 't3.micro']);
    expect(closeMatches('C5.LARGE', types)).toEqual(['c5.large', 'c5.xlarge']);
    expect(closeMatches('c5', types)).toEqual(['c5.large', 'c5.xlarge', 'c5.12xlarge']);
    expect(closeMatches('zz9.nothing', types)).toEqual([]);
  });

  it('computes a distance only for names of about the same length', () => {
    closeMatches('c5', types);
    expect(distances.count).toBe(0);
    closeMatches('t2.mirco', types);
    // t2.micro, t3.micro, t3.medium, c5.large, c5.xlarge: within 2 characters of 8; c5.12xlarge (11) is not.
    expect(distances.count).toBe(5);
  });
});

describe('closeMatchesFor: suggestions for the first names of a lookup only', () => {
  it(`gives matches to the first ${MAX_SUGGESTED_REFS} distinct names, in order`, () => {
    const refs = ['t2.mirco', 't2.mirco', ...bogus(50)];
    const matches = closeMatchesFor(refs, [['t2.micro', []]]);
    expect([...matches.keys()]).toEqual(['t2.mirco', ...bogus(MAX_SUGGESTED_REFS - 1)]);
    expect(matches.get('t2.mirco')).toEqual(['t2.micro']);
  });

  it('names the first 20 references of an error and counts the rest', () => {
    expect(listNames(['a', 'b'])).toBe('a, b');
    expect(listNames(bogus(100_000))).toBe(`${bogus(20).join(', ')} and 99,980 more`);
  });
});

describe('the offline catalogs with thousands of unknown names', () => {
  it('AWS: as many distance computations for 5,000 unknown types as for 10', async () => {
    const provider = createEmbeddedAwsProvider({ region: 'us-east-1' });
    const catalog = await loadAwsCatalog();
    await rejection(provider.describeMachineTypes(bogus(MAX_SUGGESTED_REFS)));
    const forTen = distances.count;
    expect(forTen).toBeGreaterThan(0);
    expect(forTen).toBeLessThan(MAX_SUGGESTED_REFS * catalog.typeNames.length);

    distances.count = 0;
    const error = (await rejection(provider.describeMachineTypes(['t2.mirco', ...bogus(4_999)]))) as InputError;
    expect(distances.count).toBeLessThanOrEqual(forTen * 2);
    // Every name is still unknown, each with its own error; only the first ones carry suggestions.
    const unknown = unknownReferencesOf(error)!.unknown;
    expect(unknown.size).toBe(5_000);
    expect(unknown.get('t2.mirco')!.hint).toMatch(/^Did you mean t2\.micro/);
    expect(error.message).toMatch(/^Unknown instance types t2\.mirco, zz0\.bogus0, .* and 4,980 more: not in imglint's embedded EC2 catalog/);
    expect(error.hint).toMatch(/^t2\.mirco: did you mean t2\.micro/);
  });

  it('Rackspace: the same bound for flavors', async () => {
    const provider = createEmbeddedRackspaceProvider({ region: 'IAD' });
    await rejection(provider.describeMachineTypes(bogus(MAX_SUGGESTED_REFS)));
    const forTen = distances.count;
    distances.count = 0;
    const error = (await rejection(provider.describeMachineTypes(['general1-l', ...bogus(4_999)]))) as InputError;
    expect(distances.count).toBeLessThanOrEqual(forTen * 2);
    expect(unknownReferencesOf(error)!.unknown.get('general1-l')!.hint).toMatch(/^Did you mean general1-1/);
    expect(error.message).toContain('and 4,980 more');
  });
});
