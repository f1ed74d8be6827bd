import type { InstanceRequirements } from '../model/index.js';

type Limits = { Min?: number; Max?: number } | undefined;

/**
 * `VCpuCount 2-4, MemoryMiB 4096-16384`: how a set of requirements is named where an instance type would be.
 */
export function describeRequirements(requirements: InstanceRequirements): string {
  const range = (limits: Limits) => `${limits?.Min ?? 0}-${limits?.Max ?? '∞'}`;
  const parts = [`VCpuCount ${range(requirements.VCpuCount as Limits)}`, `MemoryMiB ${range(requirements.MemoryMiB as Limits)}`];
  const others = Object.keys(requirements).filter((key) => key !== 'VCpuCount' && key !== 'MemoryMiB' && requirements[key] !== undefined);
  return `instance requirements (${[...parts, ...others].join(', ')})`;
}
