/** The embedded Rackspace flavor catalog and the offline `rackspace` provider built on it. */
import { describe, expect, it } from 'vitest';
import { createEmbeddedRackspaceProvider, loadRackspaceCatalog } from '../../src/catalog/rackspace-embedded.js';
import { InputError, UsageError } from '../../src/errors.js';
import { FlavorFacts, type OpenStackImageFacts } from '../../src/model/index.js';
import { rejection } from '../support/errors.js';

const SOURCE = {
  kind: 'embedded',
  description: 'imglint embedded Rackspace catalog: MIMIC flavor_details_json.py @a2d670f9 (IAD)',
  dataAsOf: '2015-08-27',
};

const image = (id: string, name: string): OpenStackImageFacts => ({
  provider: 'rackspace',
  id,
  name,
  state: 'active',
  minRamMiB: 512,
  minDiskGiB: 20,
});

describe('loadRackspaceCatalog', () => {
  it('loads once: IAD only, 38 valid flavors', async () => {
    const catalog = await loadRackspaceCatalog();
    expect(await loadRackspaceCatalog()).toBe(catalog);
    expect([...catalog.flavors.keys()]).toEqual(['IAD']);
    const iad = catalog.flavors.get('IAD')!;
    expect(iad).toHaveLength(38);
    for (const flavor of iad) expect(FlavorFacts.parse(flavor)).toEqual(flavor);
    expect(catalog.source).toEqual(SOURCE);
  });

  it('has the classes of reference §2 and no OnMetal v2', async () => {
    const iad = (await loadRackspaceCatalog()).flavors.get('IAD')!;
    const byClass = new Map<string, string[]>();
    for (const flavor of iad) byClass.set(flavor.flavorClass!, [...(byClass.get(flavor.flavorClass!) ?? []), flavor.id]);
    expect(Object.fromEntries([...byClass].map(([flavorClass, ids]) => [flavorClass, ids.length]))).toEqual({
      standard1: 7,
      compute1: 5,
      general1: 4,
      io1: 5,
      memory1: 5,
      onmetal: 3,
      performance1: 4,
      performance2: 5,
    });
    expect(iad.filter((flavor) => flavor.diskGiB === 0).map((flavor) => flavor.flavorClass)).toEqual([
      ...Array<string>(5).fill('compute1'),
      ...Array<string>(5).fill('memory1'),
    ]);
    expect(iad.some((flavor) => flavor.id.startsWith('onmetal-general2') || flavor.id === 'onmetal-io2')).toBe(false);
  });
});

describe('createEmbeddedRackspaceProvider', () => {
  const provider = createEmbeddedRackspaceProvider({
    region: 'IAD',
    images: [image('f8ae535e-67c0-41a5-bf55-b06d0ee40cc2', 'CentOS 7 (PVHVM)'), image('a', 'twin'), image('b', 'twin')],
  });

  it('is the rackspace provider for IAD, with the catalog as its source', async () => {
    expect(provider.id).toBe('rackspace');
    expect(provider.catalogSource).toEqual(SOURCE);
    expect(await provider.region()).toBe('IAD');
    expect(await createEmbeddedRackspaceProvider({ region: 'iad' }).region()).toBe('IAD');
  });

  it('resolves a flavor by id, by name, and by either ignoring case, keyed by the reference given', async () => {
    const refs = ['general1-1', '1 GB General Purpose v1', 'GENERAL1-1', '1 gb general purpose v1', 'compute1-4', '2'];
    const types = await provider.describeMachineTypes(refs);
    expect([...types.keys()]).toEqual(refs);
    const general = types.get('general1-1')!;
    expect(general).toMatchObject({ provider: 'rackspace', id: 'general1-1', name: '1 GB General Purpose v1', memoryMiB: 1024, diskGiB: 20, flavorClass: 'general1' });
    for (const ref of refs.slice(1, 4)) expect(types.get(ref)).toBe(general);
    expect(types.get('compute1-4')).toMatchObject({ diskGiB: 0, memoryMiB: 3840, flavorClass: 'compute1' });
    expect(types.get('2')).toMatchObject({ name: '512MB Standard Instance', flavorClass: 'standard1' });
  });

  it('an unknown flavor is InputError FlavorNotFound naming it, with close ids', async () => {
    const error = await rejection(provider.describeMachineTypes(['general1-3', 'general1-1']));
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({
      code: 'FlavorNotFound',
      message: "Unknown flavor general1-3: not in imglint's embedded Rackspace catalog for IAD (data as of 2015-08-27).",
    });
    expect(error.hint).toMatch(/^Did you mean general1-1, general1-2 or general1-4\? Pass a flavor ID/);
    const several = await rejection(provider.describeMachineTypes(['1 GB General Purpose', 'zzz']));
    expect(several.message).toMatch(/^Unknown flavors 1 GB General Purpose, zzz: /);
    expect(several.hint).toMatch(/^1 GB General Purpose: did you mean general1-1\? Pass/);
  });

  it('says why an OnMetal v2 flavor is missing', async () => {
    const error = await rejection(provider.describeMachineTypes(['onmetal-io2']));
    expect(error.code).toBe('FlavorNotFound');
    expect(error.hint).toMatch(/^onmetal-io2 is left out of the catalog on purpose \(OnMetal v2: reconstructed .*inferred/);
  });

  it('an unknown region is a UsageError listing the regions the catalog has', () => {
    expect(() => createEmbeddedRackspaceProvider({ region: 'DFW' })).toThrow(UsageError);
    expect(() => createEmbeddedRackspaceProvider({ region: 'DFW' })).toThrow(
      'The embedded Rackspace catalog has no flavors for region DFW: it holds IAD only (Nova flavor list captured 2015-08-27).',
    );
  });

  it('finds images only among the --image-file ones, by id or name', async () => {
    const images = await provider.describeImages(['CentOS 7 (PVHVM)', 'a']);
    expect(images.get('CentOS 7 (PVHVM)')).toMatchObject({ id: 'f8ae535e-67c0-41a5-bf55-b06d0ee40cc2' });
    expect(images.get('a')).toMatchObject({ name: 'twin' });
    const offline = await rejection(provider.describeImages(['Ubuntu 14.04 LTS (Trusty Tahr) (PV)']));
    expect(offline).toBeInstanceOf(UsageError);
    expect(offline).toMatchObject({ message: expect.stringMatching(/^Offline mode cannot look up Ubuntu 14\.04 LTS \(Trusty Tahr\) \(PV\): /) });
    expect(offline.hint).toMatch(/--image-file/);
    await expect(provider.describeImages(['twin'])).rejects.toMatchObject({ code: 'AmbiguousImageName', message: '2 images in --image-file are named "twin": a, b.' });
  });

  it('offers no offerings data, and the region\'s flavors as candidates', async () => {
    expect(await provider.offeredMachineTypes(['general1-1'])).toBeUndefined();
    const candidates = await provider.candidateTypes();
    expect(candidates.offered).toBeUndefined();
    expect(candidates.source).toEqual(SOURCE);
    expect([...candidates.types]).toHaveLength(38);
  });
});
