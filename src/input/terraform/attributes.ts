import type { InstanceRequirements } from '../../model/index.js';

/**
 * Typed reads of resource attribute values (`values`, `change.after`). A value of the wrong shape throws
 * {@link AttributeError}, which makes that one resource unverifiable with the reason while the others are read.
 */

export class AttributeError extends Error {}

type Path = readonly (string | number)[];

function describe(path: Path): string {
  return path.map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${segment}`)).join('');
}

function got(value: unknown): string {
  return Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
}

/** A node of a values tree: a map of attributes or nested blocks. */
export type Node = Readonly<Record<string, unknown>>;

/** A string attribute; `undefined` when null, absent or empty. */
export function text(node: Node | undefined, key: string, path: Path = []): string | undefined {
  const value = node?.[key];
  if (value === null || value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new AttributeError(`${describe([...path, key])}: expected string (got ${got(value)})`);
  return value;
}

/** A list of strings (`instance_types`, `availability_zones`); `[]` when null or absent. */
export function texts(node: Node | undefined, key: string, path: Path = []): string[] {
  const value = node?.[key];
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw new AttributeError(`${describe([...path, key])}: expected a list of strings (got ${got(value)})`);
  }
  return value as string[];
}

/** A nested block list (`launch_template`, `override`); `[]` when null or absent. Null elements are kept out. */
export function blocks(node: Node | undefined, key: string, path: Path = []): Node[] {
  const value = node?.[key];
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw new AttributeError(`${describe([...path, key])}: expected a list of blocks (got ${got(value)})`);
  return value.map((item, index) => {
    if (item !== null && (typeof item !== 'object' || Array.isArray(item))) {
      throw new AttributeError(`${describe([...path, key, index])}: expected a block (got ${got(item)})`);
    }
    return (item ?? {}) as Node;
  });
}

/** A boolean attribute; `undefined` when null or absent. */
export function flag(node: Node | undefined, key: string): boolean | undefined {
  const value = node?.[key];
  return typeof value === 'boolean' ? value : undefined;
}

/** A number attribute (`latest_version`); `undefined` when null, absent or not a number. */
export function count(node: Node | undefined, key: string): number | undefined {
  const value = node?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * An `instance_requirements` block in the AWS provider's snake_case, in the API's shape: `vcpu_count { min max }` →
 * `VCpuCount: { Min, Max }`, lists and strings as they are. Unset attributes (null, empty lists, empty blocks) are
 * left out, so their API defaults apply.
 */
export function instanceRequirements(block: Node): InstanceRequirements {
  const requirements: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(block)) {
    if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    const name = API_NAMES[key] ?? pascalCase(key);
    if (Array.isArray(value) && value.length > 0 && typeof value[0] === 'object' && value[0] !== null) {
      const range = value[0] as Record<string, unknown>;
      const limits = {
        ...(typeof range.min === 'number' && { Min: range.min }),
        ...(typeof range.max === 'number' && { Max: range.max }),
      };
      if (Object.keys(range).some((inner) => inner !== 'min' && inner !== 'max')) requirements[name] = value;
      else requirements[name] = limits;
      continue;
    }
    requirements[name] = value;
  }
  return requirements;
}

/** Names whose API spelling is not the plain PascalCase of the provider's. */
const API_NAMES: Record<string, string> = {
  vcpu_count: 'VCpuCount',
  memory_mib: 'MemoryMiB',
  memory_gib_per_vcpu: 'MemoryGiBPerVCpu',
  accelerator_total_memory_mib: 'AcceleratorTotalMemoryMiB',
  network_bandwidth_gbps: 'NetworkBandwidthGbps',
  total_local_storage_gb: 'TotalLocalStorageGB',
  baseline_ebs_bandwidth_mbps: 'BaselineEbsBandwidthMbps',
};

function pascalCase(key: string): string {
  return key.replace(/(?:^|_)([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}
