import type { NovaImageHardware, NovaImageMetadataError } from '../../../src/model/index.js';
import { parseCpuSpec } from './cpu-set.js';
import { NovaRaise } from './nova-raise.js';
import { boolFromString, pyInt, toPyInt } from './python.js';

/**
 * Nova's reading of an image's properties: `nova.objects.ImageMetaProps.from_dict`, as `POST /servers` runs it
 * (`nova/compute/api.py` `_get_image_meta_obj`). Every property Nova knows is coerced to its field type, legacy names
 * first, then the current names in the order the class declares them; the first value that does not coerce fails
 * the request. The result keeps the values the server-create checks read later ({@link NovaImageHardware}).
 */

/** How one `ImageMetaProps` field coerces a string (oslo.versionedobjects and `nova/objects/fields.py`). */
type FieldKind =
  | { kind: 'string' | 'bool' | 'int' | 'uuid' | 'version-predicate' | 'list' }
  | { kind: 'enum'; values: readonly string[]; prepare?: (value: string) => string }
  | { kind: 'canonical'; values: readonly string[]; canonicalize: (lower: string) => string; error: string };

const enumOf = (values: readonly string[], prepare?: (value: string) => string): FieldKind => ({ kind: 'enum', values, prepare });
const lower = (value: string) => value.toLowerCase();

const ARCHITECTURES = [
  'alpha', 'armv6', 'armv7l', 'armv7b', 'aarch64', 'cris', 'i686', 'ia64', 'lm32', 'm68k', 'microblaze', 'microblazeel',
  'mips', 'mipsel', 'mips64', 'mips64el', 'openrisc', 'parisc', 'parisc64', 'ppc', 'ppcle', 'ppc64', 'ppc64le', 'ppcemb',
  's390', 's390x', 'sh4', 'sh4eb', 'sparc', 'sparc64', 'unicore32', 'x86_64', 'xtensa', 'xtensaeb',
];
const ARCHITECTURE: FieldKind = {
  kind: 'canonical',
  values: ARCHITECTURES,
  canonicalize: (name) =>
    ['i386', 'i486', 'i586', 'x86_32', 'x86_32p'].includes(name) ? 'i686' : name === 'amd64' ? 'x86_64' : name,
  error: "Architecture name '%s' is not valid",
};
const HV_TYPES = [
  'baremetal', 'bhyve', 'docker', 'fake', 'hyperv', 'ironic', 'kqemu', 'kvm', 'lxc', 'lxd', 'openvz', 'parallels', 'phyp',
  'qemu', 'test', 'uml', 'vbox', 'vz', 'vmware', 'xen', 'zvm', 'prsm',
];
const HV_TYPE: FieldKind = {
  kind: 'canonical',
  values: HV_TYPES,
  canonicalize: (name) => (name === 'xapi' ? 'xen' : name),
  error: "Hypervisor virt type '%s' is not valid",
};
const VM_MODE: FieldKind = {
  kind: 'canonical',
  values: ['hvm', 'xen', 'uml', 'exe'],
  canonicalize: (mode) => ({ pv: 'xen', hv: 'hvm', baremetal: 'hvm' })[mode] ?? mode,
  error: "Virtual machine mode '%s' is not valid",
};
const DISK_BUS = enumOf(['fdc', 'ide', 'sata', 'scsi', 'usb', 'virtio', 'xen', 'lxc', 'uml']);
const VIF_LEGACY: Record<string, string> = {
  virtuale1000: 'e1000',
  virtuale1000e: 'e1000e',
  virtualpcnet32: 'pcnet',
  virtualsriovethernetcard: 'sriov',
  virtualvmxnet: 'vmxnet',
  virtualvmxnet3: 'vmxnet3',
};
const SCSI_MODEL = enumOf(
  ['buslogic', 'ibmvscsi', 'lsilogic', 'lsisas1068', 'lsisas1078', 'virtio-scsi', 'vmpvscsi'],
  (value) => ({ lsilogicsas: 'lsisas1068', paravirtual: 'vmpvscsi' })[value.toLowerCase()] ?? value.toLowerCase(),
);
const INT: FieldKind = { kind: 'int' };
const BOOL: FieldKind = { kind: 'bool' };
const STRING: FieldKind = { kind: 'string' };

/**
 * `ImageMetaProps.fields`, in declaration order (the order `from_dict` sets them in). The two NUMA lists are read
 * from their `.N` keys at their place in that order.
 */
const FIELDS: readonly (readonly [string, FieldKind | 'numa-cpus' | 'numa-mem'])[] = [
  ['hw_architecture', ARCHITECTURE],
  ['hw_emulation_architecture', ARCHITECTURE],
  ['hw_auto_disk_config', STRING],
  ['hw_boot_menu', BOOL],
  ['hw_cdrom_bus', DISK_BUS],
  ['hw_cpu_cores', INT],
  ['hw_cpu_sockets', INT],
  ['hw_cpu_max_cores', INT],
  ['hw_cpu_max_sockets', INT],
  ['hw_cpu_max_threads', INT],
  ['hw_cpu_policy', enumOf(['dedicated', 'shared', 'mixed'])],
  ['hw_cpu_thread_policy', enumOf(['prefer', 'isolate', 'require'])],
  ['hw_cpu_realtime_mask', STRING],
  ['hw_cpu_threads', INT],
  ['hw_device_id', INT],
  ['hw_disk_bus', DISK_BUS],
  ['hw_disk_type', STRING],
  ['hw_floppy_bus', DISK_BUS],
  ['hw_firmware_type', enumOf(['uefi', 'bios'])],
  ['hw_input_bus', enumOf(['usb', 'virtio'])],
  ['hw_ipxe_boot', BOOL],
  ['hw_locked_memory', BOOL],
  ['hw_machine_type', STRING],
  ['hw_mem_encryption', BOOL],
  ['hw_mem_page_size', STRING],
  ['hw_numa_nodes', INT],
  ['hw_numa_cpus', 'numa-cpus'],
  ['hw_numa_mem', 'numa-mem'],
  ['hw_pci_numa_affinity_policy', enumOf(['required', 'legacy', 'preferred', 'socket'])],
  ['hw_pointer_model', enumOf(['usbtablet'])],
  ['hw_pmu', BOOL],
  ['hw_qemu_guest_agent', BOOL],
  ['hw_rescue_bus', DISK_BUS],
  ['hw_rescue_device', enumOf(['cdrom', 'disk', 'floppy', 'fs', 'lun'])],
  ['hw_rng_model', enumOf(['virtio'])],
  ['hw_time_hpet', BOOL],
  ['hw_serial_port_count', INT],
  ['hw_scsi_model', SCSI_MODEL],
  ['hw_video_model', enumOf(['cirrus', 'qxl', 'vga', 'vmvga', 'xen', 'virtio', 'gop', 'none', 'bochs'])],
  ['hw_video_ram', INT],
  [
    'hw_vif_model',
    enumOf(
      ['virtio', 'ne2k_pci', 'pcnet', 'rtl8139', 'e1000', 'e1000e', 'netfront', 'spapr-vlan', 'lan9118', 'sriov', 'vmxnet', 'vmxnet3'],
      (value) => VIF_LEGACY[value.toLowerCase()] ?? value.toLowerCase(),
    ),
  ],
  ['hw_viommu_model', enumOf(['intel', 'smmuv3', 'virtio', 'auto'])],
  ['hw_vm_mode', VM_MODE],
  ['hw_watchdog_action', enumOf(['none', 'pause', 'poweroff', 'reset', 'disabled'])],
  ['hw_vif_multiqueue_enabled', BOOL],
  ['hw_tpm_model', enumOf(['tpm-tis', 'tpm-crb'])],
  ['hw_tpm_version', enumOf(['1.2', '2.0'])],
  ['hw_ephemeral_encryption', BOOL],
  ['hw_ephemeral_encryption_format', enumOf(['plain', 'luks', 'luksv2'])],
  ['img_bittorrent', BOOL],
  ['img_bdm_v2', BOOL],
  ['img_block_device_mapping', { kind: 'list' }],
  ['img_cache_in_nova', BOOL],
  ['img_compression_level', INT],
  ['img_hv_requested_version', { kind: 'version-predicate' }],
  ['img_hv_type', HV_TYPE],
  ['img_config_drive', enumOf(['optional', 'mandatory'])],
  ['img_linked_clone', BOOL],
  ['img_mappings', { kind: 'list' }],
  ['img_owner_id', STRING],
  ['img_root_device_name', STRING],
  ['img_use_agent', BOOL],
  ['img_version', INT],
  ['img_signature', STRING],
  ['img_signature_hash_method', enumOf(['SHA-224', 'SHA-256', 'SHA-384', 'SHA-512'])],
  ['img_signature_certificate_uuid', { kind: 'uuid' }],
  [
    'img_signature_key_type',
    enumOf(['DSA', 'ECC_SECP384R1', 'ECC_SECP521R1', 'ECC_SECT409K1', 'ECC_SECT409R1', 'ECC_SECT571K1', 'ECC_SECT571R1', 'RSA-PSS']),
  ],
  ['img_hide_hypervisor_id', BOOL],
  ['os_admin_user', STRING],
  ['os_command_line', STRING],
  ['os_distro', STRING],
  ['os_require_quiesce', BOOL],
  ['os_secure_boot', enumOf(['required', 'disabled', 'optional'])],
  ['os_skip_agent_inject_files_at_boot', BOOL],
  ['os_skip_agent_inject_ssh', BOOL],
  ['os_type', enumOf(['linux', 'windows'], lower)],
];
const FIELD_KINDS = new Map(FIELDS.flatMap(([field, kind]) => (typeof kind === 'string' ? [] : [[field, kind] as const])));

/**
 * `ImageMetaProps._legacy_property_map`, in its order. `mappings` and `block_device_mapping` are left out: Nova
 * decodes them as JSON when it reads the image from Glance, before these checks (see the `image-metadata` docs).
 */
const LEGACY_NAMES: readonly (readonly [string, string])[] = [
  ['architecture', 'hw_architecture'],
  ['owner_id', 'img_owner_id'],
  ['vmware_disktype', 'hw_disk_type'],
  ['vmware_image_version', 'img_version'],
  ['vmware_ostype', 'os_distro'],
  ['auto_disk_config', 'hw_auto_disk_config'],
  ['ipxe_boot', 'hw_ipxe_boot'],
  ['xenapi_device_id', 'hw_device_id'],
  ['xenapi_image_compression_level', 'img_compression_level'],
  ['vmware_linked_clone', 'img_linked_clone'],
  ['xenapi_use_agent', 'img_use_agent'],
  ['xenapi_skip_agent_inject_ssh', 'os_skip_agent_inject_ssh'],
  ['xenapi_skip_agent_inject_files_at_boot', 'os_skip_agent_inject_files_at_boot'],
  ['cache_in_nova', 'img_cache_in_nova'],
  ['vm_mode', 'hw_vm_mode'],
  ['bittorrent', 'img_bittorrent'],
  ['bdm_v2', 'img_bdm_v2'],
  ['root_device_name', 'img_root_device_name'],
  ['hypervisor_version_requires', 'img_hv_requested_version'],
  ['hypervisor_type', 'img_hv_type'],
];

/** `ImageMetaProps.NUMA_NODES_MAX`: `hw_numa_cpus.N` and `hw_numa_mem.N` are read for N below it. */
const NUMA_NODES_MAX = 128;

/** Property names Nova reads on this path (values must be strings, as Glance stores them). */
export function isNovaImageProperty(name: string): boolean {
  return (
    FIELD_KINDS.has(name) ||
    LEGACY_NAMES.some(([legacy]) => legacy === name) ||
    name === 'vmware_adaptertype' ||
    name.startsWith('trait:') ||
    /^hw_numa_(cpus|mem)\.\d+$/.test(name)
  );
}

/** Why a value does not coerce: the Python `ValueError` text (or Nova's `Invalid`), and what value would. */
class CoercionError extends Error {
  constructor(
    readonly novaError: NovaRaise,
    readonly expected: string,
  ) {
    super(novaError.message);
  }
}

const valueError = (message: string, expected: string) => new CoercionError(new NovaRaise('ValueError', message), expected);

/** The coerced value of `name` = `value` (`setattr(props, name, value)`), or a {@link CoercionError}. */
function coerce(name: string, kind: FieldKind, value: string): string | boolean | bigint {
  switch (kind.kind) {
    case 'string':
    case 'uuid':
      return value;
    case 'bool':
      return boolFromString(value);
    case 'int': {
      const parsed = pyInt(value);
      if ('error' in parsed) throw valueError(parsed.error, 'a whole number');
      return parsed.value;
    }
    case 'enum': {
      const prepared = kind.prepare ? kind.prepare(value) : value;
      if (!kind.values.includes(prepared)) throw valueError(`Field value ${prepared} is invalid`, `one of ${kind.values.join(', ')}`);
      return prepared;
    }
    case 'canonical': {
      const canonical = kind.canonicalize(value.toLowerCase());
      if (!kind.values.includes(canonical)) throw valueError(kind.error.replace('%s', value), `one of ${kind.values.join(', ')}`);
      return canonical;
    }
    case 'version-predicate':
      if (!isVersionPredicate(value)) {
        throw valueError(`Version ${value} is not a valid predicate in field ${name}`, 'a version predicate such as >=6.0');
      }
      return value;
    case 'list':
      // Glance stores every property as a string; only the legacy names are decoded from JSON.
      throw valueError(`A list is required in field ${name}, not a str`, `no value: Nova decodes JSON only under the legacy name`);
  }
}

const COMPARISON = /^[\s\u0085\u001c-\u001f]*(<=|>=|<|>|!=|==)[\s\u0085\u001c-\u001f]*([^\s\u0085\u001c-\u001f,]+)[\s\u0085\u001c-\u001f]*$/u;
const STRICT_VERSION = /^([0-9]+)\.([0-9]+)(\.([0-9]+))?([ab]([0-9]+))?$/;

/** distutils `VersionPredicate('check (%s)' % value)` succeeds (oslo's `VersionPredicate` field). */
function isVersionPredicate(value: string): boolean {
  if (value.includes('\n')) return false;
  return value.split(',').every((part) => {
    const match = COMPARISON.exec(part);
    return match !== null && STRICT_VERSION.test(match[2]!);
  });
}

/** The outcome of {@link readImageMeta}. */
export type ImageMetaReading = { hardware: NovaImageHardware } | { error: NovaImageMetadataError };

/**
 * `ImageMetaProps.from_dict(properties)`, then the values the server-create checks read.
 *
 * @param properties - the image's properties, as Glance returns them (every value a string).
 * @returns the normalized values ({@link NovaImageHardware}), or the failure with what `POST /servers` answers:
 *   400 `Invalid image metadata. Error: <ValueError text>`, or 500 when `hw_numa_cpus.N` does not parse (Nova's
 *   `Invalid` escapes the handler there).
 */
export function readImageMeta(properties: Readonly<Record<string, string>>): ImageMetaReading {
  const values = new Map<string, string | boolean | bigint>();
  const set = (property: string, field: string, value: string) => {
    const kind = FIELD_KINDS.get(field)!;
    try {
      values.set(field, coerce(field, kind, value));
    } catch (error) {
      if (!(error instanceof CoercionError)) throw error;
      throw new PropertyError(property, error);
    }
  };
  let numaCpus: string[] | undefined;
  let numaMem: bigint[] | undefined;
  try {
    for (const [legacy, field] of LEGACY_NAMES) {
      const value = properties[legacy];
      if (value !== undefined) set(legacy, field, value);
    }
    const adapter = properties.vmware_adaptertype;
    if (adapter === 'ide') values.set('hw_disk_bus', 'ide');
    else if (adapter) {
      values.set('hw_disk_bus', 'scsi');
      set('vmware_adaptertype', 'hw_scsi_model', adapter);
    }
    for (const [field, kind] of FIELDS) {
      if (kind === 'numa-cpus') numaCpus = readNumaCpus(properties);
      else if (kind === 'numa-mem') numaMem = readNumaMem(properties);
      else {
        const value = properties[field];
        if (value !== undefined) set(field, field, value);
      }
    }
  } catch (error) {
    if (!(error instanceof PropertyError)) throw error;
    // _get_image_meta_obj turns a ValueError into InvalidRequest; Nova's Invalid (a CPU spec) escapes as a 500.
    const answer =
      error.cause.novaError.exception === 'ValueError'
        ? { status: '400' as const, message: `Invalid image metadata. Error: ${error.cause.message}` }
        : { status: '500' as const, message: error.cause.novaError.answer().message };
    return {
      error: { ...answer, property: error.property, value: properties[error.property] ?? '', reason: error.cause.message, expected: error.cause.expected },
    };
  }
  const traits = Object.entries(properties).flatMap(([key, value]) => (key.startsWith('trait:') && value === 'required' ? [key.slice(6)] : []));
  return { hardware: hardwareFacts(values, numaCpus, numaMem, traits) };
}

class PropertyError extends Error {
  constructor(
    readonly property: string,
    override readonly cause: CoercionError,
  ) {
    super(cause.message);
  }
}

/** `_set_numa_cpus`: `hw_numa_cpus.0`, `.1`, ... up to the first missing index, each parsed by `parse_cpu_spec`. */
function readNumaCpus(properties: Readonly<Record<string, string>>): string[] | undefined {
  const specs: string[] = [];
  for (let cell = 0; cell < NUMA_NODES_MAX; cell++) {
    const key = `hw_numa_cpus.${cell}`;
    const spec = properties[key];
    if (spec === undefined) break;
    try {
      parseCpuSpec(spec);
    } catch (error) {
      if (!(error instanceof NovaRaise)) throw error;
      throw new PropertyError(key, new CoercionError(error, 'CPU numbers and ranges such as 0-3,^2'));
    }
    specs.push(spec);
  }
  return specs.length > 0 ? specs : undefined;
}

/** `_set_numa_mem`: `hw_numa_mem.0`, `.1`, ... up to the first missing index, each `int()`. */
function readNumaMem(properties: Readonly<Record<string, string>>): bigint[] | undefined {
  const sizes: bigint[] = [];
  for (let cell = 0; cell < NUMA_NODES_MAX; cell++) {
    const key = `hw_numa_mem.${cell}`;
    const size = properties[key];
    if (size === undefined) break;
    const parsed = pyInt(size);
    if ('error' in parsed) throw new PropertyError(key, valueError(parsed.error, 'a whole number of MiB'));
    sizes.push(parsed.value);
  }
  return sizes.length > 0 ? sizes : undefined;
}

function hardwareFacts(
  values: ReadonlyMap<string, string | boolean | bigint>,
  numaCpus: string[] | undefined,
  numaMem: bigint[] | undefined,
  traitsRequired: string[],
): NovaImageHardware {
  const str = (field: string) => values.get(field) as string | undefined;
  const bool = (field: string) => values.get(field) as boolean | undefined;
  const int = (field: string) => {
    const value = values.get(field) as bigint | undefined;
    return value === undefined ? undefined : toPyInt(value);
  };
  const facts: NovaImageHardware = {
    cpuPolicy: str('hw_cpu_policy') as NovaImageHardware['cpuPolicy'],
    cpuThreadPolicy: str('hw_cpu_thread_policy') as NovaImageHardware['cpuThreadPolicy'],
    cpuRealtimeMask: str('hw_cpu_realtime_mask'),
    cpuSockets: int('hw_cpu_sockets'),
    cpuCores: int('hw_cpu_cores'),
    cpuThreads: int('hw_cpu_threads'),
    cpuMaxSockets: int('hw_cpu_max_sockets'),
    cpuMaxCores: int('hw_cpu_max_cores'),
    cpuMaxThreads: int('hw_cpu_max_threads'),
    numaNodes: int('hw_numa_nodes'),
    numaCpus,
    numaMem: numaMem?.map(toPyInt),
    memPageSize: str('hw_mem_page_size'),
    lockedMemory: bool('hw_locked_memory'),
    pciNumaAffinityPolicy: str('hw_pci_numa_affinity_policy') as NovaImageHardware['pciNumaAffinityPolicy'],
    ephemeralEncryption: bool('hw_ephemeral_encryption'),
    ephemeralEncryptionFormat: str('hw_ephemeral_encryption_format') as NovaImageHardware['ephemeralEncryptionFormat'],
    memEncryption: bool('hw_mem_encryption'),
    firmwareType: str('hw_firmware_type') as NovaImageHardware['firmwareType'],
    machineType: str('hw_machine_type'),
    pmu: bool('hw_pmu'),
    serialPortCount: int('hw_serial_port_count'),
    vifMultiqueueEnabled: bool('hw_vif_multiqueue_enabled'),
    traitsRequired: traitsRequired.length > 0 ? traitsRequired : undefined,
  };
  return Object.fromEntries(Object.entries(facts).filter(([, value]) => value !== undefined)) as NovaImageHardware;
}

