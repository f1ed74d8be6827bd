import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseCpuSpec } from '../../providers/openstack/nova-checks/cpu-set.js';
import { NovaRaise } from '../../providers/openstack/nova-checks/nova-raise.js';
import { flavorFactsFromNova, imageFactsFromGlance, imageFactsFromNova } from '../../providers/openstack/normalize.js';
import { lint } from '../../src/engine/lint.js';
import type { OpenStackImageFacts } from '../../src/model/index.js';
import { repoRoot } from '../support/data.js';

/**
 * Differential test against Nova's own code: `test/fixtures/nova-golden/pairs.json.gz` holds what Nova 26.2.2's
 * server-create checks answered for thousands of image x flavor pairs (written by `npm run generate:nova-golden`;
 * see that folder's README). For every pair Nova refused, imglint's first error finding must be the rule of the
 * check that refused it, with Nova's HTTP status and exact message; for every pair Nova accepted, imglint must find
 * no error. Each pair is read in the three shapes imglint accepts: Glance v2 API JSON, `openstack image show -f json`
 * and Nova's `/images/detail`. Pairs with a `launch` boot from a new volume created from the image.
 */

interface GoldenPair {
  family: string;
  image: { properties: Record<string, string>; fields?: Record<string, unknown> };
  flavor: { vcpus: number; ram: number; name?: string; extra_specs: Record<string, string> };
  /** Absent for a boot from the image onto the flavor's disk. */
  launch?: { bootFromVolume: true; volumeSizeGiB: number };
  nova: { status: 202 } | { status: number; exception: string; message: string; through: string[] };
}

interface Golden {
  nova: string;
  imageTemplate: Record<string, unknown>;
  flavorTemplate: { id: string; name: string; vcpus: number; ram: number; disk: number };
  pairs: GoldenPair[];
  cpuSpecs: ({ spec: string; cpus: number[]; imageCpus: number[] } | { spec: string; error: string })[];
}

const golden = JSON.parse(
  gunzipSync(readFileSync(path.join(repoRoot, 'test', 'fixtures', 'nova-golden', 'pairs.json.gz'))).toString('utf8'),
) as Golden;

/** The Nova function that raised (innermost first wins) -> the imglint rule for its concern. */
const RULE_OF_FUNCTION: Record<string, string> = {
  _get_image_meta_obj: 'image-metadata',
  get_emulator_thread_policy_constraint: 'emulator-threads-policy',
  get_realtime_cpu_constraint: 'cpu-realtime',
  get_dedicated_cpu_constraint: 'cpu-dedicated-mask',
  get_cpu_policy_constraint: 'cpu-policy',
  get_cpu_thread_policy_constraint: 'cpu-thread-policy',
  _get_numa_node_count_constraint: 'numa-topology',
  _get_numa_cpu_constraint: 'numa-topology',
  _get_numa_mem_constraint: 'numa-topology',
  _get_numa_topology_auto: 'numa-topology',
  _get_numa_topology_manual: 'numa-topology',
  _get_numa_pagesize_constraint: 'mem-page-size',
  get_locked_memory_constraint: 'locked-memory',
  get_pci_numa_policy_constraint: 'pci-numa-affinity',
  _update_ephemeral_encryption_bdms: 'ephemeral-encryption',
  get_mem_encryption_constraint: 'mem-encryption',
  get_pmu_constraint: 'pmu',
  get_number_of_serial_ports: 'serial-ports',
  get_cpu_topology_constraints: 'cpu-topology',
  get_vif_multiqueue_constraint: 'vif-multiqueue',
};

/** Exceptions `numa_get_constraints` raises in its own body, by concern. */
const RULE_OF_NUMA_EXCEPTION: Record<string, string> = {
  CPUThreadPolicyConfigurationInvalid: 'cpu-thread-policy',
  BadRequirementEmulatorThreadsPolicy: 'emulator-threads-policy',
  RequiredMixedInstancePolicy: 'cpu-dedicated-mask',
  RequiredMixedOrRealtimeCPUMask: 'cpu-dedicated-mask',
  RealtimeConfigurationInvalid: 'cpu-realtime',
  ImageNUMATopologyIncomplete: 'numa-topology',
  // The empty hw:cpu_thread_policy that the NUMA cell's enum field refuses.
  ValueError: 'cpu-thread-policy',
};

/** Checks of the rules the golden pairs reach through their status, min_ram, size, min_disk and boot volume. */
const RULE_OF_EXCEPTION: Record<string, string> = {
  ImageUnacceptable: 'encrypted-volume-image',
  ImageNotActive: 'image-state',
  FlavorMemoryTooSmall: 'min-ram',
  VolumeSmallerThanMinDisk: 'volume-size',
  FlavorDiskSmallerThanImage: 'image-size',
  FlavorDiskSmallerThanMinDisk: 'min-disk',
};

function expectedRule(nova: Extract<GoldenPair['nova'], { exception: string }>): string {
  if (nova.exception in RULE_OF_EXCEPTION) return RULE_OF_EXCEPTION[nova.exception]!;
  const named = [...nova.through].reverse().find((name) => name in RULE_OF_FUNCTION);
  if (named) return RULE_OF_FUNCTION[named]!;
  if (nova.exception === 'InvalidRequest') return nova.message.includes('HW_CPU_HYPERTHREADING') ? 'cpu-thread-policy' : 'cpu-policy';
  const rule = RULE_OF_NUMA_EXCEPTION[nova.exception];
  if (!rule) throw new Error(`no rule for ${nova.exception} raised through ${nova.through.join(' > ')}`);
  return rule;
}

type Shape = 'glance' | 'cli' | 'nova';

function imageFacts(pair: GoldenPair, shape: Shape): OpenStackImageFacts {
  const base = { ...golden.imageTemplate, ...pair.image.fields };
  const properties = pair.image.properties;
  if (shape === 'glance') return imageFactsFromGlance({ ...base, ...properties }, 'openstack');
  if (shape === 'cli') return imageFactsFromGlance({ ...base, properties }, 'openstack');
  return imageFactsFromNova(
    {
      id: base.id,
      name: base.name,
      status: String(base.status).toUpperCase(),
      minRam: base.min_ram,
      minDisk: base.min_disk,
      'OS-EXT-IMG-SIZE:size': base.size,
      metadata: properties,
    },
    'openstack',
  );
}

function flavorFacts(pair: GoldenPair) {
  const { id, disk } = golden.flavorTemplate;
  return flavorFactsFromNova(
    {
      id,
      name: pair.flavor.name ?? golden.flavorTemplate.name,
      ram: pair.flavor.ram,
      disk,
      vcpus: pair.flavor.vcpus,
      'OS-FLV-EXT-DATA:ephemeral': 0,
      'OS-FLV-WITH-EXT-SPECS:extra_specs': pair.flavor.extra_specs,
    },
    'openstack',
  );
}

/** imglint's verdict on a pair, or why it disagrees with Nova's (undefined when it agrees). */
function disagreement(pair: GoldenPair, shape: Shape): string | undefined {
  const context = {
    image: imageFacts(pair, shape),
    type: flavorFacts(pair),
    region: 'RegionOne',
    offeredInRegion: undefined,
    launch: pair.launch ?? {},
    now: new Date(),
  };
  const errors = lint(context).filter((finding) => finding.severity === 'error');
  if (pair.nova.status === 202) {
    return errors.length === 0 ? undefined : `Nova accepts; imglint: ${errors.map((e) => `${e.ruleId} (${e.providerError?.message})`).join(', ')}`;
  }
  const nova = pair.nova as Extract<GoldenPair['nova'], { exception: string }>;
  const rule = expectedRule(nova);
  const [first] = errors;
  const want = `${rule} ${nova.status} ${JSON.stringify(nova.message)}`;
  if (!first) return `Nova: ${nova.exception} ${want}; imglint: no error`;
  const got = `${first.ruleId} ${first.providerError?.code} ${JSON.stringify(first.providerError?.message)}`;
  if (first.ruleId !== rule || first.providerError?.code !== String(nova.status)) return `Nova: ${nova.exception} ${want}; imglint: ${got}`;
  if (!first.providerError.inferred && first.providerError.message !== nova.message) return `Nova: ${nova.exception} ${want}; imglint: ${got}`;
  return undefined;
}

const families = [...new Set(golden.pairs.map((pair) => pair.family))];

describe(`Nova golden pairs (${golden.nova})`, () => {
  it('is a large, systematic set with accepted and refused pairs', () => {
    expect(golden.pairs.length).toBeGreaterThan(10_000);
    expect(golden.pairs.filter((pair) => pair.nova.status === 202).length).toBeGreaterThan(3_000);
    expect(new Set(golden.pairs.map((pair) => ('exception' in pair.nova ? pair.nova.exception : 'ok'))).size).toBeGreaterThan(30);
  });

  it('boots images uploaded from encrypted volumes both ways, refused and accepted', () => {
    const encrypted = golden.pairs.filter((pair) => pair.image.properties.cinder_encryption_key_id);
    const verdicts = (fromVolume: boolean) =>
      new Set(encrypted.filter((pair) => Boolean(pair.launch?.bootFromVolume) === fromVolume).map((pair) => ('exception' in pair.nova ? pair.nova.exception : 'ok')));
    expect(verdicts(false)).toContain('ImageUnacceptable');
    expect(verdicts(true)).toContain('ok');
    expect(verdicts(true)).not.toContain('ImageUnacceptable');
  });

  describe.each(['glance', 'cli', 'nova'] as const)('read as %s JSON', (shape) => {
    it.each(families)('%s: imglint agrees with Nova on every pair', (family) => {
      const pairs = golden.pairs.filter((pair) => pair.family === family);
      const mismatches = pairs.flatMap((pair) => {
        const why = disagreement(pair, shape);
        return why ? [`${JSON.stringify({ image: pair.image, flavor: pair.flavor })}: ${why}`] : [];
      });
      expect(mismatches.slice(0, 5), `${mismatches.length} of ${pairs.length} pairs disagree`).toEqual([]);
    });
  });

  it("parses CPU specs as Nova's parse_cpu_spec, in CPython's set order", () => {
    const mismatches = golden.cpuSpecs.flatMap((entry) => {
      try {
        const set = parseCpuSpec(entry.spec);
        if ('error' in entry) return [`${entry.spec}: Nova raised ${entry.error}, imglint parsed ${set}`];
        const cpus = [...set].map(Number);
        const imageCpus = [...set.coerced()].map(Number);
        return JSON.stringify(cpus) === JSON.stringify(entry.cpus) && JSON.stringify(imageCpus) === JSON.stringify(entry.imageCpus)
          ? []
          : [`${entry.spec}: Nova ${JSON.stringify(entry.cpus)} / ${JSON.stringify(entry.imageCpus)}, imglint ${JSON.stringify(cpus)} / ${JSON.stringify(imageCpus)}`];
      } catch (error) {
        if (!(error instanceof NovaRaise)) throw error;
        const got = `${error.exception}: ${error.message}`;
        return 'error' in entry && entry.error === got ? [] : [`${entry.spec}: Nova ${JSON.stringify(entry)}, imglint ${got}`];
      }
    });
    expect(mismatches.slice(0, 5), `${mismatches.length} of ${golden.cpuSpecs.length} specs disagree`).toEqual([]);
  });
});
