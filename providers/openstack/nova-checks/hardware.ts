import type { NovaImageHardware } from '../../../src/model/index.js';
import { CpuSet, parseCpuSpec } from './cpu-set.js';
import { NovaRaise } from './nova-raise.js';
import { boolFromString, fromPyInt, isDigit, isIntLike, pyInt, pyStr, pyStrip, stringToBytes, truthy, type PyValue } from './python.js';

/**
 * `nova/virt/hardware.py` (Nova 26.2.2), the functions `POST /servers` calls on an image x flavor pair, one for one.
 * Each throws a {@link NovaRaise} where Nova raises, with Nova's message, and tags it with the imglint rule that
 * reports it and a fix. Flavor extra specs are read raw, as Nova reads them (every value a string); image properties
 * come already coerced ({@link NovaImageHardware}, see `image-meta.ts`).
 */

/** The flavor as these functions see it (`objects.Flavor`). */
export interface NovaFlavor {
  readonly name: string;
  readonly vcpus: bigint;
  readonly memoryMb: bigint;
  readonly extraSpecs: Readonly<Record<string, string>>;
}

/** The image as these functions see it (`objects.ImageMeta`): `name` is `''` when Glance has none. */
export interface NovaImage {
  readonly id: string;
  readonly name: string;
  readonly hardware: NovaImageHardware;
}

/** `hw_<key>` -> the field of {@link NovaImageHardware} that holds it. */
const IMAGE_FIELD = {
  cpu_policy: 'cpuPolicy',
  cpu_thread_policy: 'cpuThreadPolicy',
  cpu_realtime_mask: 'cpuRealtimeMask',
  numa_nodes: 'numaNodes',
  mem_page_size: 'memPageSize',
  locked_memory: 'lockedMemory',
  pci_numa_affinity_policy: 'pciNumaAffinityPolicy',
  ephemeral_encryption: 'ephemeralEncryption',
  ephemeral_encryption_format: 'ephemeralEncryptionFormat',
  mem_encryption: 'memEncryption',
  pmu: 'pmu',
  serial_port_count: 'serialPortCount',
  vif_multiqueue_enabled: 'vifMultiqueueEnabled',
  cpu_sockets: 'cpuSockets',
  cpu_cores: 'cpuCores',
  cpu_threads: 'cpuThreads',
  cpu_max_sockets: 'cpuMaxSockets',
  cpu_max_cores: 'cpuMaxCores',
  cpu_max_threads: 'cpuMaxThreads',
} as const satisfies Record<string, keyof NovaImageHardware>;

type Key = keyof typeof IMAGE_FIELD;
const INT_FIELDS = new Set<string>(['numaNodes', 'serialPortCount', 'cpuSockets', 'cpuCores', 'cpuThreads', 'cpuMaxSockets', 'cpuMaxCores', 'cpuMaxThreads']);

/** `_get_flavor_image_meta(key, flavor, image_meta, default)`: `extra_specs['hw:<key>']`, `properties.hw_<key>`. */
function flavorAndImage(key: Key, flavor: NovaFlavor, image: NovaImage, fallback?: PyValue): [PyValue, PyValue] {
  const field = IMAGE_FIELD[key];
  const raw = image.hardware[field];
  const imageValue = raw === undefined ? fallback : INT_FIELDS.has(field) ? fromPyInt(raw as number | string) : (raw as PyValue);
  return [flavor.extraSpecs[`hw:${key}`] ?? fallback, imageValue];
}

/** Python's `a or b`. */
const or = (a: PyValue, b: PyValue): PyValue => (truthy(a) ? a : b);
const tuple = (values: readonly string[]) => `(${values.map((value) => `'${value}'`).join(', ')})`;

const CPU_POLICIES = ['dedicated', 'shared', 'mixed'];
const THREAD_POLICIES = ['prefer', 'isolate', 'require'];
const EMULATOR_POLICIES = ['share', 'isolate'];
const PCI_POLICIES = ['required', 'legacy', 'preferred', 'socket'];
const EPHEMERAL_FORMATS = ['plain', 'luks', 'luksv2'];
const MEMPAGES_SMALL = -1;
const MEMPAGES_LARGE = -2;
const MEMPAGES_ANY = -3;

/** Runs `body`; a {@link NovaRaise} without a rule gets `rule` (and `fix`, when given). */
function within<T>(rule: string, fix: string | undefined, body: () => T): T {
  try {
    return body();
  } catch (error) {
    if (error instanceof NovaRaise && error.rule === undefined) {
      error.rule = rule;
      error.fix ??= fix;
    }
    throw error;
  }
}

/** `parse_cpu_spec` of a mask that may start with `^` (meaning "all vCPUs but"), as the realtime and mixed masks do. */
function parseMask(mask: string, vcpus: bigint): CpuSet {
  return pyStrip(mask).startsWith('^') ? parseCpuSpec(`0-${vcpus - 1n},${mask}`) : parseCpuSpec(mask);
}

// --- CPU policies -------------------------------------------------------------------------------------------------

/** `get_cpu_policy_constraint`. */
function cpuPolicyConstraint(flavor: NovaFlavor, image: NovaImage): string | undefined {
  const [flavorPolicy, imagePolicy] = flavorAndImage('cpu_policy', flavor, image);
  if (truthy(flavorPolicy) && !CPU_POLICIES.includes(flavorPolicy as string)) {
    throw new NovaRaise(
      'InvalidCPUAllocationPolicy',
      `CPU policy requested from 'flavor extra specs' is invalid, given: '${pyStr(flavorPolicy)}', available: '${tuple(CPU_POLICIES)}'.`,
      { rule: 'cpu-policy', fix: 'Set the flavor extra spec hw:cpu_policy to dedicated, shared or mixed (values are case-sensitive)' },
    );
  }
  const forbidden = () =>
    new NovaRaise('ImageCPUPinningForbidden', "Image property 'hw_cpu_policy' is not permitted to override CPU pinning policy set against the flavor", {
      rule: 'cpu-policy',
      fix: `Remove hw_cpu_policy from the image (the flavor's hw:cpu_policy ${pyStr(flavorPolicy)} decides), or use a flavor with hw:cpu_policy ${pyStr(imagePolicy)}`,
    });
  if (flavorPolicy === 'dedicated') return flavorPolicy;
  if (flavorPolicy === 'mixed') {
    if (imagePolicy === 'dedicated') throw forbidden();
    return flavorPolicy;
  }
  if (flavorPolicy === 'shared') {
    if (imagePolicy === 'mixed' || imagePolicy === 'dedicated') throw forbidden();
    return flavorPolicy;
  }
  return imagePolicy === undefined ? undefined : (imagePolicy as string);
}

/** `get_cpu_thread_policy_constraint`. */
function cpuThreadPolicyConstraint(flavor: NovaFlavor, image: NovaImage): PyValue {
  const [flavorPolicy, imagePolicy] = flavorAndImage('cpu_thread_policy', flavor, image);
  if (truthy(flavorPolicy) && !THREAD_POLICIES.includes(flavorPolicy as string)) {
    throw new NovaRaise(
      'InvalidCPUThreadAllocationPolicy',
      `CPU thread policy requested from 'flavor extra specs' is invalid, given: '${pyStr(flavorPolicy)}', available: '${tuple(THREAD_POLICIES)}'.`,
      { rule: 'cpu-thread-policy', fix: 'Set the flavor extra spec hw:cpu_thread_policy to prefer, isolate or require' },
    );
  }
  if (flavorPolicy === undefined || flavorPolicy === 'prefer') return or(flavorPolicy, imagePolicy);
  if (truthy(imagePolicy) && imagePolicy !== flavorPolicy) {
    throw new NovaRaise(
      'ImageCPUThreadPolicyForbidden',
      "Image property 'hw_cpu_thread_policy' is not permitted to override CPU thread pinning policy set against the flavor",
      {
        rule: 'cpu-thread-policy',
        fix: `Remove hw_cpu_thread_policy from the image (the flavor's hw:cpu_thread_policy ${pyStr(flavorPolicy)} decides), or use a flavor with hw:cpu_thread_policy ${pyStr(imagePolicy)} or prefer`,
      },
    );
  }
  return flavorPolicy;
}

/** `get_emulator_thread_policy_constraint`. */
function emulatorThreadPolicyConstraint(flavor: NovaFlavor): string | undefined {
  const policy = flavor.extraSpecs['hw:emulator_threads_policy'];
  if (!truthy(policy)) return undefined;
  if (!EMULATOR_POLICIES.includes(policy!)) {
    throw new NovaRaise(
      'InvalidEmulatorThreadsPolicy',
      `CPU emulator threads option requested is invalid, given: '${policy}', available: '${tuple(EMULATOR_POLICIES)}'.`,
      { rule: 'emulator-threads-policy', fix: 'Set the flavor extra spec hw:emulator_threads_policy to share or isolate' },
    );
  }
  return policy;
}

/** `get_realtime_cpu_constraint`. */
function realtimeCpuConstraint(flavor: NovaFlavor, image: NovaImage): CpuSet | undefined {
  if (!boolFromString(flavor.extraSpecs['hw:cpu_realtime'])) return undefined;
  const [flavorMask, imageMask] = flavorAndImage('cpu_realtime_mask', flavor, image);
  const mask = or(imageMask, flavorMask);
  const all = CpuSet.upTo(flavor.vcpus);
  const fix = 'Give hw:cpu_realtime_mask (flavor) or hw_cpu_realtime_mask (image) a mask that leaves at least one vCPU non-realtime, such as ^0';
  const realtime = within('cpu-realtime', fix, () => (truthy(mask) ? parseMask(mask as string, flavor.vcpus) : all));
  const notFound = (message?: string) =>
    new NovaRaise(
      'RealtimeMaskNotFoundOrInvalid',
      message ?? 'Use of realtime CPUs requires either one or more non-realtime CPU(s) or offloaded emulator threads.',
      { rule: 'cpu-realtime', fix },
    );
  if (realtime.isEmpty) throw notFound();
  const emulator = emulatorThreadPolicyConstraint(flavor);
  if (all.equals(realtime) && !truthy(emulator)) throw notFound();
  if (!realtime.isSubsetOf(all)) {
    throw notFound(
      'Realtime policy vCPU(s) mask is configured with RT vCPUs that are not a subset of the vCPUs in the flavor. See hw:cpu_realtime_mask or hw_cpu_realtime_mask',
    );
  }
  return realtime;
}

/** `get_dedicated_cpu_constraint`. */
function dedicatedCpuConstraint(flavor: NovaFlavor): CpuSet | undefined {
  const mask = flavor.extraSpecs['hw:cpu_dedicated_mask'];
  if (!truthy(mask)) return undefined;
  const fix = `Set the flavor extra spec hw:cpu_dedicated_mask to a mask that pins at least one and leaves at least one of its ${flavor.vcpus} vCPUs, such as ^0`;
  const pinned = within('cpu-dedicated-mask', fix, () => parseMask(mask!, flavor.vcpus));
  const all = CpuSet.upTo(flavor.vcpus);
  if (pinned.isEmpty || all.minus(pinned).isEmpty) {
    throw new NovaRaise('InvalidMixedInstanceDedicatedMask', "Mixed instance must have at least 1 pinned vCPU and 1 unpinned vCPU. See 'hw:cpu_dedicated_mask'.", {
      rule: 'cpu-dedicated-mask',
      fix,
    });
  }
  if (!pinned.isSubsetOf(all)) {
    throw new NovaRaise(
      'InvalidMixedInstanceDedicatedMask',
      'Mixed instance dedicated vCPU(s) mask is not a subset of vCPUs in the flavor. See "hw:cpu_dedicated_mask"',
      { rule: 'cpu-dedicated-mask', fix },
    );
  }
  return pinned;
}

/** `_get_vcpu_pcpu_resources`: the sums of `resources[N]:VCPU` and `resources[N]:PCPU` (unparsable values skipped). */
function vcpuPcpuResources(flavor: NovaFlavor): [bigint, bigint] {
  let vcpu = 0n;
  let pcpu = 0n;
  for (const [key, value] of Object.entries(flavor.extraSpecs)) {
    const parsed = pyInt(value);
    const amount = 'value' in parsed ? parsed.value : 0n;
    if (/^resources([1-9][0-9]*)?:VCPU/.test(key)) vcpu += amount;
    if (/^resources([1-9][0-9]*)?:PCPU/.test(key)) pcpu += amount;
  }
  return [vcpu, pcpu];
}

/** `_get_hyperthreading_trait`. */
function hyperthreadingTrait(flavor: NovaFlavor, image: NovaImage): string | undefined {
  for (const [key, value] of Object.entries(flavor.extraSpecs)) {
    if (/^trait([1-9][0-9]*)?:HW_CPU_HYPERTHREADING/.test(key)) return value;
  }
  return image.hardware.traitsRequired?.includes('HW_CPU_HYPERTHREADING') ? 'required' : undefined;
}

// --- NUMA ---------------------------------------------------------------------------------------------------------

/** `_get_numa_node_count_constraint`. */
function numaNodeCount(flavor: NovaFlavor, image: NovaImage): bigint | undefined {
  const [flavorNodes, imageNodes] = flavorAndImage('numa_nodes', flavor, image);
  if (truthy(flavorNodes) && truthy(imageNodes)) {
    throw new NovaRaise('ImageNUMATopologyForbidden', "Image property 'hw_numa_nodes' is not permitted to override NUMA configuration set against the flavor", {
      rule: 'numa-topology',
      fix: "Remove hw_numa_nodes from the image: the flavor's hw:numa_nodes decides",
    });
  }
  const nodes = or(flavorNodes, imageNodes);
  if (nodes !== undefined && (!isIntLike(nodes) || fromPyInt(String(nodes)) < 1n)) {
    throw new NovaRaise('InvalidNUMANodesNumber', `The property 'numa_nodes' cannot be '${pyStr(nodes)}'. It must be a number greater than 0`, {
      rule: 'numa-topology',
      fix: 'Set hw:numa_nodes (flavor) or hw_numa_nodes (image) to a whole number of at least 1, written without spaces, signs or leading zeros',
    });
  }
  return truthy(nodes) ? fromPyInt(String(nodes)) : undefined;
}

/** `_get_numa_pagesize_constraint`: the page size (KiB, or a MEMPAGES_* constant), `undefined` when none. */
function numaPageSize(flavor: NovaFlavor, image: NovaImage): PyValue {
  const [flavorRequest, imageRequest] = flavorAndImage('mem_page_size', flavor, image);
  const rule = 'mem-page-size';
  const pageSize = (request: string): number | bigint => {
    if (request === 'any') return MEMPAGES_ANY;
    if (request === 'large') return MEMPAGES_LARGE;
    if (request === 'small') return MEMPAGES_SMALL;
    if (isDigit(request)) {
      const parsed = pyInt(request);
      if ('error' in parsed) throw new NovaRaise('ValueError', parsed.error, { rule, fix: 'Write the page size with the digits 0-9' });
      return parsed.value;
    }
    const bytes = stringToBytes(request);
    if (bytes === undefined) {
      throw new NovaRaise('MemoryPageSizeInvalid', `Invalid memory page size '${request}'`, {
        rule,
        fix: 'Use small, large, any, a size in KiB (2048) or with a unit (2MB, 1GB)',
      });
    }
    if (bytes === Infinity) throw new NovaRaise('OverflowError', 'cannot convert float infinity to integer', { rule, fix: 'Use a realistic page size (2MB, 1GB)' });
    return bytes / 1024;
  };
  if (!truthy(flavorRequest) && truthy(imageRequest)) {
    throw new NovaRaise('MemoryPageSizeForbidden', `Page size ${pyStr(imageRequest)} forbidden against '<empty>'`, {
      rule,
      fix: 'Remove hw_mem_page_size from the image, or use a flavor with hw:mem_page_size large or any (the image may only narrow those)',
    });
  }
  if (!truthy(flavorRequest)) return undefined;
  const size = pageSize(flavorRequest as string);
  if (truthy(imageRequest) && (Number(size) === MEMPAGES_ANY || Number(size) === MEMPAGES_LARGE)) return pageSize(imageRequest as string);
  if (truthy(imageRequest)) {
    throw new NovaRaise('MemoryPageSizeForbidden', `Page size ${pyStr(imageRequest)} forbidden against '${pyStr(flavorRequest)}'`, {
      rule,
      fix: `Remove hw_mem_page_size from the image (the flavor's hw:mem_page_size ${pyStr(flavorRequest)} decides), or use a flavor with hw:mem_page_size large or any`,
    });
  }
  return size;
}

/** `get_locked_memory_constraint`. */
function lockedMemoryConstraint(flavor: NovaFlavor, image: NovaImage): void {
  const [flavorPageSize, imagePageSize] = flavorAndImage('mem_page_size', flavor, image);
  const [flavorLocked, imageLocked] = flavorAndImage('locked_memory', flavor, image);
  let locked: PyValue;
  if (flavorLocked !== undefined) {
    const flavorValue = boolFromString(flavorLocked);
    if (imageLocked !== undefined && flavorValue !== imageLocked) {
      throw new NovaRaise(
        'FlavorImageLockedMemoryConflict',
        `locked_memory value in image (${pyStr(imageLocked)}) and flavor (${pyStr(flavorValue)}) conflict. A consistent value is expected if both specified.`,
        { rule: 'locked-memory', fix: 'Give hw:locked_memory (flavor) and hw_locked_memory (image) the same value, or set only one' },
      );
    }
    locked = flavorValue;
  } else locked = imageLocked;
  if (truthy(locked) && !(truthy(flavorPageSize) || truthy(imagePageSize))) {
    throw new NovaRaise('LockMemoryForbidden', 'locked_memory value in image or flavor is forbidden when mem_page_size is not set.', {
      rule: 'locked-memory',
      fix: 'Use a flavor with hw:mem_page_size set (locked memory needs explicit pages), or drop hw:locked_memory / hw_locked_memory',
    });
  }
}

/** `_get_constraint_mappings_from_flavor(flavor, 'hw:numa_<kind>', parse)`: `.0`, `.1`, ... until one is missing. */
function flavorNumaList<T>(flavor: NovaFlavor, kind: 'cpus' | 'mem', parse: (value: string) => T): T[] | undefined {
  const list: T[] = [];
  for (let cell = 0; cell < 128; cell++) {
    const value = flavor.extraSpecs[`hw:numa_${kind}.${cell}`];
    if (value === undefined) break;
    list.push(parse(value));
  }
  return list.length > 0 ? list : undefined;
}

const numaFix = (flavor: NovaFlavor) =>
  `Assign every one of the flavor's ${flavor.vcpus} vCPUs (0-${flavor.vcpus - 1n}) to exactly one node with hw:numa_cpus.N, and split its ${flavor.memoryMb} MiB with hw:numa_mem.N, one pair per node of hw:numa_nodes (or the image's hw_numa_* equivalents)`;

/** `_get_numa_cpu_constraint` and `_get_numa_mem_constraint`. */
function numaLists(flavor: NovaFlavor, image: NovaImage): { cpus: CpuSet[] | undefined; mem: bigint[] | undefined } {
  const fix = numaFix(flavor);
  const flavorCpus = within('numa-topology', fix, () => flavorNumaList(flavor, 'cpus', parseCpuSpec));
  const imageCpus = image.hardware.numaCpus?.map((spec) => parseCpuSpec(spec).coerced());
  const forbidden = (name: string) =>
    new NovaRaise('ImageNUMATopologyForbidden', `Image property '${name}' is not permitted to override NUMA configuration set against the flavor`, {
      rule: 'numa-topology',
      fix: `Remove the image's ${name}.N properties: the flavor's hw:numa_* extra specs decide`,
    });
  let cpus = imageCpus;
  if (flavorCpus !== undefined) {
    if (imageCpus !== undefined) throw forbidden('hw_numa_cpus');
    cpus = flavorCpus;
  }
  const flavorMem = flavorNumaList(flavor, 'mem', (value) => {
    const parsed = pyInt(value);
    if ('error' in parsed) throw new NovaRaise('ValueError', parsed.error, { rule: 'numa-topology', fix: 'Give every hw:numa_mem.N a whole number of MiB' });
    return parsed.value;
  });
  const imageMem = image.hardware.numaMem?.map(fromPyInt);
  let mem = imageMem;
  if (flavorMem !== undefined) {
    if (imageMem !== undefined) throw forbidden('hw_numa_mem');
    mem = flavorMem;
  }
  return { cpus, mem };
}

/** `_get_numa_topology_manual`'s checks: every vCPU on exactly one node, the memory adding up. */
function manualTopology(flavor: NovaFlavor, nodes: bigint, cpus: CpuSet[], mem: bigint[]): void {
  const fix = numaFix(flavor);
  const assigned = new Set<bigint>();
  let total = 0n;
  for (let node = 0; node < Number(nodes); node++) {
    const cells = cpus[node]!;
    for (const cpu of cells) {
      if (cpu > flavor.vcpus - 1n) {
        throw new NovaRaise('ImageNUMATopologyCPUOutOfRange', `CPU number ${cpu} is larger than max ${flavor.vcpus - 1n}`, {
          rule: 'numa-topology',
          fix,
          inferred: cells.orderInferred,
        });
      }
      if (assigned.has(cpu)) {
        throw new NovaRaise('ImageNUMATopologyCPUDuplicates', `CPU number ${cpu} is assigned to two nodes`, { rule: 'numa-topology', fix, inferred: cells.orderInferred });
      }
      assigned.add(cpu);
    }
    total += mem[node]!;
  }
  const unassigned = CpuSet.upTo(flavor.vcpus).minus(new CpuSet([...assigned].sort((a, b) => (a < b ? -1 : 1)).map((cpu) => [cpu, cpu] as const), 'ascending'));
  if (!unassigned.isEmpty) {
    throw new NovaRaise('ImageNUMATopologyCPUsUnassigned', `CPU number ${unassigned} is not assigned to any node`, { rule: 'numa-topology', fix });
  }
  if (total !== flavor.memoryMb) {
    throw new NovaRaise('ImageNUMATopologyMemoryOutOfRange', `${total} MB of memory assigned, but expected ${flavor.memoryMb} MB`, { rule: 'numa-topology', fix });
  }
}

/** `get_vpmems`: the labels of `hw:pmem`. */
function vpmems(flavor: NovaFlavor): string[] {
  const labels = flavor.extraSpecs['hw:pmem'];
  return truthy(labels) ? labels!.split(',').map(pyStrip).filter((label) => label !== '') : [];
}

/** `numa_get_constraints`: CPU policies, realtime, emulator threads, NUMA nodes, page size, locked memory. */
export function numaGetConstraints(flavor: NovaFlavor, image: NovaImage): void {
  let cpuPolicy = cpuPolicyConstraint(flavor, image);
  let threadPolicy = cpuThreadPolicyConstraint(flavor, image);
  const realtime = realtimeCpuConstraint(flavor, image);
  const dedicated = dedicatedCpuConstraint(flavor);
  const emulator = emulatorThreadPolicyConstraint(flavor);

  const [vcpuResources, pcpuResources] = vcpuPcpuResources(flavor);
  const resourcesFix = "Use either resources:PCPU / resources:VCPU or hw:cpu_policy / hw_cpu_policy, not both, and request exactly as many PCPUs as the flavor's vCPUs (one more with hw:emulator_threads_policy isolate)";
  if (cpuPolicy !== undefined && (vcpuResources !== 0n || pcpuResources !== 0n)) {
    throw new NovaRaise(
      'InvalidRequest',
      "It is not possible to use the 'resources:VCPU' or 'resources:PCPU' extra specs in combination with the 'hw:cpu_policy' extra spec or 'hw_cpu_policy' image metadata property; use one or the other",
      { rule: 'cpu-policy', fix: resourcesFix },
    );
  }
  if (vcpuResources !== 0n && pcpuResources !== 0n) {
    throw new NovaRaise("InvalidRequest", "It is not possible to specify both 'resources:VCPU' and 'resources:PCPU' extra specs; use one or the other", {
      rule: 'cpu-policy',
      fix: resourcesFix,
    });
  }
  if (pcpuResources !== 0n) {
    if (emulator === 'isolate' && flavor.vcpus + 1n !== pcpuResources) {
      throw new NovaRaise(
        'InvalidRequest',
        "You have requested 'hw:emulator_threads_policy=isolate' but have not requested sufficient PCPUs to handle this policy; you must allocate exactly flavor.vcpus + 1 PCPUs.",
        { rule: 'cpu-policy', fix: resourcesFix },
      );
    }
    if (emulator !== 'isolate' && flavor.vcpus !== pcpuResources) {
      throw new NovaRaise(
        'InvalidRequest',
        "There is a mismatch between the number of PCPUs requested via 'resourcesNN:PCPU' and the flavor); you must allocate exactly flavor.vcpus PCPUs",
        { rule: 'cpu-policy', fix: resourcesFix },
      );
    }
    cpuPolicy = 'dedicated';
  }
  if (vcpuResources !== 0n) cpuPolicy = 'shared';

  const trait = hyperthreadingTrait(flavor, image);
  if (truthy(threadPolicy) && truthy(trait)) {
    throw new NovaRaise(
      'InvalidRequest',
      "It is not possible to use the 'trait:HW_CPU_HYPERTHREADING' extra spec in combination with the 'hw:cpu_thread_policy' extra spec or 'hw_cpu_thread_policy' image metadata property; use one or the other",
      { rule: 'cpu-thread-policy', fix: 'Use either trait:HW_CPU_HYPERTHREADING or hw:cpu_thread_policy / hw_cpu_thread_policy, not both' },
    );
  }
  if (trait === 'forbidden') threadPolicy = 'isolate';
  else if (trait === 'required') threadPolicy = 'require';

  if (cpuPolicy === undefined || cpuPolicy === 'shared') {
    if (truthy(threadPolicy)) {
      throw new NovaRaise('CPUThreadPolicyConfigurationInvalid', 'Cannot set cpu thread pinning policy in a non dedicated cpu pinning policy', {
        rule: 'cpu-thread-policy',
        fix: 'A CPU thread policy needs pinned CPUs: use a flavor with hw:cpu_policy dedicated, or drop the thread policy (hw:cpu_thread_policy, hw_cpu_thread_policy, trait:HW_CPU_HYPERTHREADING)',
      });
    }
    if (emulator === 'isolate') {
      throw new NovaRaise('BadRequirementEmulatorThreadsPolicy', 'An isolated CPU emulator threads option requires a dedicated CPU policy option.', {
        rule: 'emulator-threads-policy',
        fix: 'hw:emulator_threads_policy isolate needs pinned CPUs: add hw:cpu_policy dedicated to the flavor, or use share',
      });
    }
    if (dedicated !== undefined) throw requiredMixed();
    if (realtime !== undefined) {
      throw new NovaRaise('RealtimeConfigurationInvalid', 'Cannot set realtime policy in a non dedicated cpu pinning policy', {
        rule: 'cpu-realtime',
        fix: 'hw:cpu_realtime needs pinned CPUs: add hw:cpu_policy dedicated (or mixed) to the flavor, or drop hw:cpu_realtime',
      });
    }
  } else if (cpuPolicy === 'dedicated') {
    if (dedicated !== undefined) throw requiredMixed();
  } else {
    if (realtime !== undefined && dedicated !== undefined) throw requiredMixedOrRealtime();
    if (realtime === undefined && dedicated === undefined) throw requiredMixedOrRealtime();
  }

  const nodes = numaNodeCount(flavor, image);
  const pageSize = numaPageSize(flavor, image);
  const memories = vpmems(flavor);
  lockedMemoryConstraint(flavor, image);

  if (nodes === undefined && !truthy(pageSize) && memories.length === 0 && cpuPolicy !== 'dedicated' && cpuPolicy !== 'mixed') return;
  const count = nodes ?? 1n;
  const { cpus, mem } = numaLists(flavor, image);
  const incomplete = () =>
    new NovaRaise('ImageNUMATopologyIncomplete', 'CPU and memory allocation must be provided for all NUMA nodes', { rule: 'numa-topology', fix: numaFix(flavor) });
  if (cpus === undefined && mem === undefined) {
    if (flavor.vcpus % count > 0n || flavor.memoryMb % count > 0n) {
      throw new NovaRaise(
        'ImageNUMATopologyAsymmetric',
        'Instance CPUs and/or memory cannot be evenly distributed across instance NUMA nodes. Explicit assignment of CPUs and memory to nodes is required',
        {
          rule: 'numa-topology',
          fix: `Use a number of NUMA nodes that divides both the ${flavor.vcpus} vCPUs and the ${flavor.memoryMb} MiB, or assign them with hw:numa_cpus.N and hw:numa_mem.N`,
        },
      );
    }
  } else if (cpus !== undefined && mem !== undefined) {
    if (BigInt(cpus.length) !== count || BigInt(mem.length) !== count) throw incomplete();
    manualTopology(flavor, count, cpus, mem);
  } else throw incomplete();
  // Nova stores the thread policy on each NUMA cell, an enum field: an empty hw:cpu_thread_policy fails there.
  if (threadPolicy === '') {
    throw new NovaRaise('ValueError', 'Field value  is invalid', {
      rule: 'cpu-thread-policy',
      fix: 'Remove the empty hw:cpu_thread_policy extra spec, or set it to prefer, isolate or require',
    });
  }
}

function requiredMixed(): NovaRaise {
  return new NovaRaise('RequiredMixedInstancePolicy', "Cannot specify 'hw:cpu_dedicated_mask' without the 'mixed' policy.", {
    rule: 'cpu-dedicated-mask',
    fix: 'hw:cpu_dedicated_mask applies only to hw:cpu_policy mixed: set that policy, or remove the mask',
  });
}

function requiredMixedOrRealtime(): NovaRaise {
  return new NovaRaise(
    'RequiredMixedOrRealtimeCPUMask',
    "Dedicated CPU set can be specified from either 'hw:cpu_dedicated_mask' or 'hw:cpu_realtime_mask' when using 'mixed' CPU policy. 'hw:cpu_dedicated_mask' and 'hw:cpu_realtime_mask' can not be specified at the same time, or be specified with none of them.",
    { rule: 'cpu-dedicated-mask', fix: 'With hw:cpu_policy mixed, give exactly one of hw:cpu_dedicated_mask and hw:cpu_realtime (with its mask)' },
  );
}

// --- the other checks of the pair ---------------------------------------------------------------------------------

/** `get_pci_numa_policy_constraint`. */
export function pciNumaPolicyConstraint(flavor: NovaFlavor, image: NovaImage): void {
  const [flavorPolicy, imagePolicy] = flavorAndImage('pci_numa_affinity_policy', flavor, image);
  if (truthy(flavorPolicy) && truthy(imagePolicy) && flavorPolicy !== imagePolicy) {
    throw new NovaRaise(
      'ImagePCINUMAPolicyForbidden',
      "Image property 'hw_pci_numa_affinity_policy' is not permitted to override the 'hw:pci_numa_affinity_policy' flavor extra spec.",
      {
        rule: 'pci-numa-affinity',
        fix: `Remove hw_pci_numa_affinity_policy from the image (the flavor's ${pyStr(flavorPolicy)} decides), or use a flavor with hw:pci_numa_affinity_policy ${pyStr(imagePolicy)} or none`,
      },
    );
  }
  const policy = or(flavorPolicy, imagePolicy);
  if (truthy(policy) && !PCI_POLICIES.includes(policy as string)) {
    throw new NovaRaise('InvalidPCINUMAAffinity', `Invalid PCI NUMA affinity configured: ${pyStr(policy)}`, {
      rule: 'pci-numa-affinity',
      fix: 'Set the flavor extra spec hw:pci_numa_affinity_policy to required, legacy, preferred or socket',
    });
  }
}

const conflict = (flavor: NovaFlavor, image: NovaImage, key: string, flavorValue: PyValue, imageValue: PyValue) =>
  `Flavor ${flavor.name} has hw:${key} extra spec explicitly set to ${pyStr(flavorValue)}, conflicting with image ${image.name} which has hw_${key} explicitly set to ${pyStr(imageValue)}.`;

/** `get_ephemeral_encryption_constraint` and `get_ephemeral_encryption_format` (`_update_ephemeral_encryption_bdms`). */
export function ephemeralEncryptionConstraints(flavor: NovaFlavor, image: NovaImage): void {
  const rule = 'ephemeral-encryption';
  const [flavorText, imageValue] = flavorAndImage('ephemeral_encryption', flavor, image);
  const flavorValue = flavorText === undefined ? undefined : boolFromString(flavorText);
  if (flavorValue !== undefined && imageValue !== undefined && flavorValue !== imageValue) {
    throw new NovaRaise(
      'FlavorImageConflict',
      `Flavor ${flavor.name} has hw:ephemeral_encryption extra spec explicitly set to ${pyStr(flavorText)}, conflicting with image ${image.name} which has hw_eph_encryption property explicitly set to ${pyStr(imageValue)}`,
      { rule, fix: 'Give hw:ephemeral_encryption (flavor) and hw_ephemeral_encryption (image) the same value, or set only one' },
    );
  }
  if (!truthy(or(flavorValue, imageValue))) return;
  const [flavorFormat, imageFormat] = flavorAndImage('ephemeral_encryption_format', flavor, image);
  if (truthy(imageFormat) && truthy(flavorFormat) && imageFormat !== flavorFormat) {
    throw new NovaRaise('FlavorImageConflict', conflict(flavor, image, 'ephemeral_encryption_format', flavorFormat, imageFormat), {
      rule,
      fix: 'Give hw:ephemeral_encryption_format (flavor) and hw_ephemeral_encryption_format (image) the same value, or set only one',
    });
  }
  const format = or(flavorFormat, imageFormat);
  if (truthy(format) && !EPHEMERAL_FORMATS.includes(format as string)) {
    throw new NovaRaise('Invalid', `Invalid ephemeral encryption format ${pyStr(format)}. Allowed values: ${EPHEMERAL_FORMATS.join(', ')}`, {
      rule,
      fix: 'Set the flavor extra spec hw:ephemeral_encryption_format to plain, luks or luksv2',
    });
  }
}

/** `get_mem_encryption_constraint` (AMD SEV), as the API calls it (no machine type from the host's configuration). */
export function memEncryptionConstraint(flavor: NovaFlavor, image: NovaImage): void {
  const rule = 'mem-encryption';
  const [flavorText, imageValue] = flavorAndImage('mem_encryption', flavor, image);
  const flavorValue = flavorText === undefined ? undefined : boolFromString(flavorText);
  if (!truthy(flavorValue) && !truthy(imageValue)) return;
  if (flavorValue !== undefined && imageValue !== undefined && flavorValue !== imageValue) {
    throw new NovaRaise(
      'FlavorImageConflict',
      `Flavor ${flavor.name} has hw:mem_encryption extra spec explicitly set to ${pyStr(flavorText)}, conflicting with image ${image.name} which has hw_mem_encryption property explicitly set to ${pyStr(imageValue)}`,
      { rule, fix: 'Give hw:mem_encryption (flavor) and hw_mem_encryption (image) the same value, or set only one' },
    );
  }
  const requesters: string[] = [];
  if (truthy(flavorValue)) requesters.push(`hw:mem_encryption extra spec in ${flavor.name} flavor`);
  if (truthy(imageValue)) requesters.push(`hw_mem_encryption property of image ${image.id}`);
  if (image.hardware.firmwareType !== 'uefi') {
    throw new NovaRaise(
      'FlavorImageConflict',
      `Memory encryption requested by ${requesters.join(' and ')} but image ${image.name} doesn't have 'hw_firmware_type' property set to 'uefi'`,
      { rule, fix: 'Memory encryption (SEV) boots with UEFI: set hw_firmware_type=uefi on the image (it must boot with UEFI), or use a flavor without hw:mem_encryption' },
    );
  }
  const machineType = image.hardware.machineType;
  if (machineType !== undefined && !machineType.includes('q35')) {
    throw new NovaRaise(
      'InvalidMachineType',
      `Machine type '${machineType}' is not compatible with image ${image.name} (${image.id}): q35 type is required for SEV to work`,
      { rule, fix: 'Memory encryption (SEV) needs a q35 machine type: set hw_machine_type=q35 on the image, or remove it' },
    );
  }
}

/** `get_pmu_constraint`. */
export function pmuConstraint(flavor: NovaFlavor, image: NovaImage): void {
  const [flavorText, imageValue] = flavorAndImage('pmu', flavor, image);
  const flavorValue = flavorText === undefined ? undefined : boolFromString(flavorText);
  if (imageValue !== undefined && flavorValue !== undefined && imageValue !== flavorValue) {
    throw new NovaRaise('FlavorImageConflict', conflict(flavor, image, 'pmu', flavorValue, imageValue), {
      rule: 'pmu',
      fix: `Remove hw_pmu from the image (the flavor's hw:pmu decides), or use a flavor with hw:pmu ${pyStr(imageValue).toLowerCase()} or none`,
    });
  }
}

/** `get_number_of_serial_ports`. */
export function serialPortsConstraint(flavor: NovaFlavor, image: NovaImage): void {
  const [flavorText, imagePorts] = flavorAndImage('serial_port_count', flavor, image);
  let flavorPorts: PyValue = flavorText;
  if (truthy(flavorText)) {
    const parsed = pyInt(flavorText as string);
    if ('error' in parsed) {
      throw new NovaRaise('ImageSerialPortNumberInvalid', `Number of serial ports specified in flavor is invalid: expected an integer, got '${pyStr(flavorText)}'`, {
        rule: 'serial-ports',
        fix: 'Set the flavor extra spec hw:serial_port_count to a whole number',
      });
    }
    flavorPorts = parsed.value;
  }
  if (truthy(flavorPorts) && truthy(imagePorts) && (imagePorts as bigint) > (flavorPorts as bigint)) {
    throw new NovaRaise('ImageSerialPortNumberExceedFlavorValue', 'Forbidden to exceed flavor value of number of serial ports passed in image meta.', {
      rule: 'serial-ports',
      fix: `Lower the image's hw_serial_port_count to at most the flavor's ${pyStr(flavorPorts)}, or use a flavor with a higher (or no) hw:serial_port_count`,
    });
  }
}

/** `get_cpu_topology_constraints`. */
export function cpuTopologyConstraints(flavor: NovaFlavor, image: NovaImage): void {
  const rule = 'cpu-topology';
  const read = (key: 'sockets' | 'cores' | 'threads', prefix: 'cpu_max_' | 'cpu_'): [PyValue, bigint] => {
    const [flavorValue, imageValue] = flavorAndImage(`${prefix}${key}`, flavor, image, 0n);
    return [flavorValue, imageValue as bigint];
  };
  const toInts = (values: PyValue[]): bigint[] =>
    values.map((value) => {
      if (typeof value === 'bigint') return value;
      const parsed = pyInt(value as string);
      if ('error' in parsed) {
        throw new NovaRaise('InvalidRequest', `Invalid flavor extra spec. Error: ${parsed.error}`, {
          rule,
          fix: 'Give the flavor extra specs hw:cpu_sockets, hw:cpu_cores, hw:cpu_threads and their hw:cpu_max_* limits whole numbers',
        });
      }
      return parsed.value;
    });
  const [fMaxSockets, iMaxSockets] = read('sockets', 'cpu_max_');
  const [fMaxCores, iMaxCores] = read('cores', 'cpu_max_');
  const [fMaxThreads, iMaxThreads] = read('threads', 'cpu_max_');
  const [flavorMaxSockets, flavorMaxCores, flavorMaxThreads] = toInts([fMaxSockets, fMaxCores, fMaxThreads]) as [bigint, bigint, bigint];
  if (
    (flavorMaxSockets !== 0n && iMaxSockets > flavorMaxSockets) ||
    (flavorMaxCores !== 0n && iMaxCores > flavorMaxCores) ||
    (flavorMaxThreads !== 0n && iMaxThreads > flavorMaxThreads)
  ) {
    throw new NovaRaise(
      'ImageVCPULimitsRangeExceeded',
      `Image vCPU topology limits (sockets=${iMaxSockets}, cores=${iMaxCores}, threads=${iMaxThreads}) exceeds the limits of the flavor (sockets=${flavorMaxSockets}, cores=${flavorMaxCores}, threads=${flavorMaxThreads})`,
      { rule, fix: "Lower the image's hw_cpu_max_* limits to at most the flavor's hw:cpu_max_* ones, or use a flavor with higher limits" },
    );
  }
  const pick = (...values: bigint[]) => values.find((value) => value !== 0n) ?? 65536n;
  const maxSockets = pick(iMaxSockets, flavorMaxSockets);
  const maxCores = pick(iMaxCores, flavorMaxCores);
  const maxThreads = pick(iMaxThreads, flavorMaxThreads);
  const [fSockets, iSockets] = read('sockets', 'cpu_');
  const [fCores, iCores] = read('cores', 'cpu_');
  const [fThreads, iThreads] = read('threads', 'cpu_');
  toInts([fSockets, fCores, fThreads]);
  if (iSockets > maxSockets || iCores > maxCores || iThreads > maxThreads) {
    throw new NovaRaise(
      'ImageVCPUTopologyRangeExceeded',
      `Image vCPU topology (sockets=${iSockets}, cores=${iCores}, threads=${iThreads}) exceeds the limits of the flavor or image (sockets=${maxSockets}, cores=${maxCores}, threads=${maxThreads})`,
      { rule, fix: "Lower the image's hw_cpu_sockets / hw_cpu_cores / hw_cpu_threads to within the limits (hw:cpu_max_* of the flavor, hw_cpu_max_* of the image)" },
    );
  }
}

/** `get_vif_multiqueue_constraint`. */
export function vifMultiqueueConstraint(flavor: NovaFlavor, image: NovaImage): void {
  if (flavor.vcpus < 2n) return;
  const [flavorText, imageValue] = flavorAndImage('vif_multiqueue_enabled', flavor, image);
  const flavorValue = flavorText === undefined ? undefined : boolFromString(flavorText);
  if (imageValue !== undefined && flavorValue !== undefined && imageValue !== flavorValue) {
    throw new NovaRaise('FlavorImageConflict', conflict(flavor, image, 'vif_multiqueue_enabled', flavorValue, imageValue), {
      rule: 'vif-multiqueue',
      fix: `Remove hw_vif_multiqueue_enabled from the image (the flavor's hw:vif_multiqueue_enabled decides), or use a flavor that sets it to ${pyStr(imageValue).toLowerCase()} or not at all`,
    });
  }
}
