import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readImageMeta } from '../../../providers/openstack/nova-checks/image-meta.js';
import { pyInt, pyRepr, stringToBytes } from '../../../providers/openstack/nova-checks/python.js';
import { flavorFactsFromNova, imageFactsFromGlance, imageFactsFromNova } from '../../../providers/openstack/normalize.js';
import { lint } from '../../../src/engine/lint.js';

/**
 * The Python behaviours Nova's checks rest on, against what CPython 3.11 answers (values taken from `python3 -c`),
 * and the normalization of `hw_*` image properties. The golden file (`test/conformance/nova-golden.test.ts`)
 * checks the whole path against Nova itself.
 */
describe("Python's int() and repr()", () => {
  it.each([
    [' 7 ', 7n],
    ['+3', 3n],
    ['-0', 0n],
    ['1_000', 1000n],
    ['\u0663\u0664', 34n],
    ['99999999999999999999', 99999999999999999999n],
  ])('int(%j) = %s', (text, value) => {
    expect(pyInt(text)).toEqual({ value });
  });

  it.each(['1__0', '_1', '1_', '', ' ', '0x10', '2.0', '²'])('int(%j) raises ValueError', (text) => {
    expect(pyInt(text)).toEqual({ error: `invalid literal for int() with base 10: ${pyRepr(text)}` });
  });

  it.each([
    ["it's", `"it's"`],
    ['a"b', `'a"b'`],
    [`both'"`, `'both\\'"'`],
    ['tab\tx', `'tab\\tx'`],
    ['nl\n', `'nl\\n'`],
    ['é', `'é'`],
    ['\u200b', `'\\u200b'`],
    ['\x7f', `'\\x7f'`],
    ['😀', `'😀'`],
  ])('repr(%j) = %s', (text, repr) => {
    expect(pyRepr(text)).toBe(repr);
  });

  it.each([
    ['2MB', 2097152],
    ['2Mb', 262144],
    ['1.5MiB', 1572864],
    ['4KB', 4096],
    ['1GB', 1073741824],
    ['2048KB', 2097152],
    ['-2KB', -2048],
    ['.5KB', 512],
    ['2MB\n', 2097152],
    ['2 MB', undefined],
  ])("oslo's string_to_bytes(%j) = %s", (text, bytes) => {
    expect(stringToBytes(text)).toBe(bytes);
  });
});

const glance = {
  id: 'f8ae535e-67c0-41a5-bf55-b06d0ee40cc2',
  name: 'CentOS 7 (PVHVM)',
  status: 'active',
  min_ram: 0,
  min_disk: 0,
  size: 1073741824,
};

describe('hw_* image properties, as Nova reads them', () => {
  it('coerces booleans, integers and enums; keeps masks and page sizes raw', () => {
    const image = imageFactsFromGlance(
      {
        ...glance,
        hw_cpu_policy: 'dedicated',
        hw_pmu: 'yes',
        hw_mem_encryption: 'maybe',
        hw_cpu_sockets: ' 2 ',
        hw_cpu_max_cores: '99999999999999999999',
        hw_mem_page_size: '2MB',
        'hw_numa_cpus.0': '0-1',
        'hw_numa_cpus.1': '2-3',
        'hw_numa_mem.0': '2048',
        'hw_numa_mem.2': '1024',
        'trait:HW_CPU_HYPERTHREADING': 'required',
        os_distro: 'centos',
      },
      'openstack',
    );
    expect(image.hardware).toEqual({
      cpuPolicy: 'dedicated',
      pmu: true,
      memEncryption: false,
      cpuSockets: 2,
      cpuMaxCores: '99999999999999999999',
      memPageSize: '2MB',
      numaCpus: ['0-1', '2-3'],
      // Nova stops at the first missing index.
      numaMem: [2048],
      traitsRequired: ['HW_CPU_HYPERTHREADING'],
    });
    expect(image.invalidMetadata).toBeUndefined();
  });

  it('reads the same from the CLI shape (properties) and from Nova (metadata)', () => {
    const properties = { hw_cpu_policy: 'mixed', hw_numa_nodes: '2' };
    const fromCli = imageFactsFromGlance({ ...glance, properties }, 'openstack');
    const fromNova = imageFactsFromNova({ id: glance.id, status: 'ACTIVE', minRam: 0, minDisk: 0, metadata: properties }, 'openstack');
    expect(fromCli.hardware).toEqual({ cpuPolicy: 'mixed', numaNodes: 2 });
    expect(fromNova.hardware).toEqual(fromCli.hardware);
  });

  it('reports the first property Nova refuses, in its field order (legacy names first)', () => {
    const reading = readImageMeta({ hw_numa_nodes: 'two', hw_cpu_policy: 'pinned', vm_mode: 'metal' });
    expect(reading).toEqual({
      error: {
        status: '400',
        message: "Invalid image metadata. Error: Virtual machine mode 'metal' is not valid",
        property: 'vm_mode',
        value: 'metal',
        reason: "Virtual machine mode 'metal' is not valid",
        expected: 'one of hvm, xen, uml, exe',
      },
    });
    expect(readImageMeta({ hw_numa_nodes: 'two', hw_cpu_policy: 'pinned' })).toMatchObject({ error: { property: 'hw_cpu_policy' } });
  });

  it('answers 500 for an hw_numa_cpus.N that does not parse, as Nova does', () => {
    expect(readImageMeta({ 'hw_numa_cpus.0': '0-x' })).toMatchObject({
      error: { status: '500', property: 'hw_numa_cpus.0', reason: "Invalid range expression '0-x'" },
    });
  });

  it('leaves Rackspace images alone (its Nova fork accepts vm_mode metal)', () => {
    const image = imageFactsFromGlance({ ...glance, vm_mode: 'metal', hw_cpu_policy: 'pinned' }, 'rackspace');
    expect(image.hardware).toBeUndefined();
    expect(image.invalidMetadata).toBeUndefined();
  });

  it('refuses a Nova property that is not a string, naming it', () => {
    expect(() => imageFactsFromGlance({ ...glance, properties: { hw_numa_nodes: 2 } }, 'openstack', undefined, { source: 'file', path: 'i.json' })).toThrow(
      'i.json: properties.hw_numa_nodes: expected string (got 2)',
    );
  });
});

describe('malformed extra specs and properties', () => {
  const keys = [
    'cpu_policy', 'cpu_thread_policy', 'cpu_realtime', 'cpu_realtime_mask', 'cpu_dedicated_mask', 'emulator_threads_policy',
    'numa_nodes', 'numa_cpus.0', 'numa_cpus.1', 'numa_mem.0', 'numa_mem.1', 'mem_page_size', 'locked_memory',
    'pci_numa_affinity_policy', 'ephemeral_encryption', 'ephemeral_encryption_format', 'mem_encryption', 'pmu',
    'serial_port_count', 'cpu_sockets', 'cpu_max_sockets', 'cpu_threads', 'vif_multiqueue_enabled', 'firmware_type',
    'machine_type',
  ];
  const value = fc.oneof(
    fc.constantFrom('', ' ', '0', '-1', '2', '^0', '0-3', '3-0', '0-99999', 'dedicated', 'mixed', 'true', 'x', '1e3', '²', '0-1,^1,9'),
    fc.string({ maxLength: 12 }),
  );

  it('never crash: every pair gets Nova-shaped findings or none', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys), value), fc.dictionary(fc.constantFrom(...keys), value), fc.integer({ min: 0, max: 16 }), (specs, props, vcpus) => {
        const image = imageFactsFromGlance({ ...glance, ...Object.fromEntries(Object.entries(props).map(([k, v]) => [`hw_${k}`, v])) }, 'openstack');
        const type = flavorFactsFromNova(
          { id: 'f', name: 'f', ram: 4096, disk: 20, vcpus, extra_specs: Object.fromEntries(Object.entries(specs).map(([k, v]) => [`hw:${k}`, v])) },
          'openstack',
        );
        for (const finding of lint({ image, type, region: 'r', offeredInRegion: undefined, launch: {}, now: new Date() })) {
          expect(finding.providerError?.code ?? '202').toMatch(/^(400|403|500|202)$/);
          expect(finding.fix.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });
});
