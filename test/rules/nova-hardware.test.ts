import { describe, expect, it } from 'vitest';
import { flavorFactsFromNova, imageFactsFromGlance } from '../../providers/openstack/normalize.js';
import { suggestAlternatives } from '../../src/engine/alternatives.js';
import { lint } from '../../src/engine/lint.js';
import type { FlavorFacts } from '../../src/model/index.js';

/**
 * The `hw:*` rules as the engine uses them: Nova's order across stages, generic OpenStack only, and the flavors of a
 * catalog offered as alternatives. Their agreement with Nova itself is `test/conformance/nova-golden.test.ts`.
 */
const glance = { id: 'f8ae535e-67c0-41a5-bf55-b06d0ee40cc2', name: 'CentOS 7 (PVHVM)', status: 'active', min_ram: 0, min_disk: 0, size: 1073741824 };
const flavor = (id: string, extraSpecs: Record<string, string>, vcpus = 4): FlavorFacts =>
  flavorFactsFromNova({ id, name: id, ram: 4096, disk: 20, vcpus, extra_specs: extraSpecs }, 'openstack');
const context = (image: ReturnType<typeof imageFactsFromGlance>, type: FlavorFacts) => ({
  image,
  type,
  region: 'RegionOne',
  offeredInRegion: undefined,
  launch: {},
  now: new Date(),
});

describe('hw:* rules', () => {
  it("report every stage's first error, in Nova's order, the first being the API's answer", () => {
    const image = imageFactsFromGlance({ ...glance, hw_cpu_policy: 'dedicated', hw_pmu: 'false', min_ram: 8192 }, 'openstack');
    const findings = lint(context(image, flavor('f', { 'hw:cpu_policy': 'shared', 'hw:pmu': 'true' })));
    expect(findings.map((finding) => finding.ruleId)).toEqual(['cpu-policy', 'min-ram', 'pmu']);
    expect(findings[0]!.providerError).toEqual({
      code: '400',
      message: "Image property 'hw_cpu_policy' is not permitted to override CPU pinning policy set against the flavor",
    });
    expect(findings[0]!.message).toBe(
      `Image ${glance.id} (hw_cpu_policy=dedicated) on flavor f (hw:cpu_policy=shared): Image property 'hw_cpu_policy' is not permitted to override CPU pinning policy set against the flavor`,
    );
  });

  it('do not apply to Rackspace, whose flavors have no hw:* extra specs and whose Nova is its own', () => {
    const image = imageFactsFromGlance({ ...glance, hw_cpu_policy: 'dedicated' }, 'rackspace');
    const type = flavorFactsFromNova({ id: 'f', name: 'f', ram: 4096, disk: 20, vcpus: 4, extra_specs: { 'hw:cpu_policy': 'shared' } }, 'rackspace');
    expect(lint(context(image, type))).toEqual([]);
  });

  it('offer the flavors of the catalog that accept the image', () => {
    const image = imageFactsFromGlance({ ...glance, hw_cpu_policy: 'dedicated', hw_serial_port_count: '4' }, 'openstack');
    const shared = flavor('shared', { 'hw:cpu_policy': 'shared' });
    const catalog = [
      shared,
      flavor('pinned', { 'hw:cpu_policy': 'dedicated' }),
      flavor('plain', {}),
      flavor('pinned-2-ports', { 'hw:cpu_policy': 'dedicated', 'hw:serial_port_count': '2' }),
      flavor('mixed', { 'hw:cpu_policy': 'mixed', 'hw:cpu_dedicated_mask': '^0' }),
    ];
    const scope = { region: 'RegionOne', offered: undefined, launch: {}, now: new Date() };
    expect(suggestAlternatives(image, shared, catalog, scope).sort()).toEqual(['pinned', 'plain']);
  });

  it("name the settings they read in Nova's own spelling, and say when Nova answers 500", () => {
    const image = imageFactsFromGlance({ ...glance, hw_numa_nodes: '2' }, 'openstack');
    const [finding] = lint(context(image, flavor('f', { 'hw:numa_cpus.0': '0-x', 'hw:numa_mem.0': '4096' })));
    expect(finding).toMatchObject({
      ruleId: 'numa-topology',
      message: `Image ${glance.id} (hw_numa_nodes=2) on flavor f (hw:numa_cpus.0=0-x, hw:numa_mem.0=4096): Invalid range expression '0-x' (Invalid: Nova's API answers 500, the error escapes its handler)`,
      providerError: { code: '500' },
    });
  });
});
