import { describe, expect, it } from 'vitest';
import { flavorFactsFromNova, imageFactsFromGlance } from '../../providers/openstack/normalize.js';
import { lint } from '../../src/engine/lint.js';
import type { LaunchOptions } from '../../src/model/index.js';
import { readDataJson } from '../support/data.js';

/**
 * Every pair of the real 2015 captures (49 Glance images x 38 IAD flavors = 1,862 pairs) against the totals that
 * Nova 26.2.2's own validation code gave on the same pairs (reference §8): the first error of each pair is the
 * exception Nova raises; the Rackspace flavor_classes rule refuses 285 pairs.
 */
const read = (file: string) => readDataJson<Record<string, unknown[]>>(`rackspace/${file}`);

describe('every image x flavor pair of the 2015 Rackspace captures', () => {
  const images = read('images/glance_v2_images_2015.json').images!;
  const flavors = read('compute/flavors_detail_iad_2015.json').flavors!;

  function firstErrors(provider: 'openstack' | 'rackspace', launch: LaunchOptions) {
    const tally = new Map<string, number>();
    for (const rawImage of images) {
      const image = imageFactsFromGlance(rawImage, provider);
      for (const rawFlavor of flavors) {
        const type = flavorFactsFromNova(rawFlavor, provider);
        const findings = lint({ image, type, region: 'IAD', offeredInRegion: undefined, launch, now: new Date() });
        const first = findings.find((finding) => finding.severity === 'error')?.ruleId ?? 'ok';
        tally.set(first, (tally.get(first) ?? 0) + 1);
      }
    }
    return Object.fromEntries([...tally].sort());
  }

  it('has the 1,862 pairs Nova was run on', () => {
    expect(images.length * flavors.length).toBe(1862);
  });

  it('without OS-DCF:diskConfig, first errors match upstream Nova', () => {
    expect(firstErrors('openstack', {})).toEqual({ ok: 1243, 'zero-disk-flavor': 485, 'min-ram': 71, 'min-disk': 63 });
  });

  it('with AUTO, 1,406 pairs fail on auto-disk-config first, as in Nova', () => {
    expect(firstErrors('openstack', { diskConfig: 'AUTO' })['auto-disk-config']).toBe(1406);
  });

  it('the flavor_classes rule refuses the 285 pairs the Rackspace reference refuses', () => {
    let refused = 0;
    for (const rawImage of images) {
      const image = imageFactsFromGlance(rawImage, 'rackspace');
      for (const rawFlavor of flavors) {
        const type = flavorFactsFromNova(rawFlavor, 'rackspace');
        const findings = lint({ image, type, region: 'IAD', offeredInRegion: undefined, launch: {}, now: new Date() });
        if (findings.some((finding) => finding.ruleId === 'flavor-class')) refused += 1;
      }
    }
    expect(refused).toBe(285);
  });
});
