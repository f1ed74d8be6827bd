import type { FlavorFacts, OpenStackImageFacts } from '../../../src/model/index.js';
import {
  cpuTopologyConstraints,
  ephemeralEncryptionConstraints,
  memEncryptionConstraint,
  numaGetConstraints,
  pciNumaPolicyConstraint,
  pmuConstraint,
  serialPortsConstraint,
  vifMultiqueueConstraint,
  type NovaFlavor,
  type NovaImage,
} from './hardware.js';
import { NovaRaise, type NovaAnswer, type NovaException } from './nova-raise.js';

/**
 * The checks `POST /servers` makes on the image's `hw_*` properties against the flavor's `hw:*` extra specs, as
 * stages in Nova's order (`nova/compute/api.py` `API._create_instance`, Nova 26.2.2):
 *
 * 1. in `_validate_and_build_base_options`, after the image metadata is read: `numa` (`numa_get_constraints`: CPU
 *    policies, realtime, emulator threads, mixed-policy masks, NUMA nodes, page size, locked memory), then
 *    `pci-numa-affinity`; then `_update_ephemeral_encryption_bdms`: `ephemeral-encryption`;
 * 2. after the image status, RAM and disk checks, `_validate_flavor_image_numa_pci`: `mem-encryption`, `pmu`,
 *    `serial-ports`, `cpu-topology`, `vif-multiqueue` (its realtime check repeats one of stage 1's).
 *
 * Each stage stops at its first error, as Nova does; the rules of a stage report that error (one rule each).
 */
export type NovaStage =
  | 'numa'
  | 'pci-numa-affinity'
  | 'ephemeral-encryption'
  | 'mem-encryption'
  | 'pmu'
  | 'serial-ports'
  | 'cpu-topology'
  | 'vif-multiqueue';

const STAGES: Record<NovaStage, (flavor: NovaFlavor, image: NovaImage) => void> = {
  numa: numaGetConstraints,
  'pci-numa-affinity': pciNumaPolicyConstraint,
  'ephemeral-encryption': ephemeralEncryptionConstraints,
  'mem-encryption': memEncryptionConstraint,
  pmu: pmuConstraint,
  'serial-ports': serialPortsConstraint,
  'cpu-topology': cpuTopologyConstraints,
  'vif-multiqueue': vifMultiqueueConstraint,
};

/** Nova's refusal of the pair at one stage. */
export interface NovaRefusal extends NovaAnswer {
  /** The imglint rule that reports it. */
  rule: string;
  /** Nova's exception class. */
  exception: NovaException;
  /** The exception's own text (for a 500, what the generic API message hides). */
  reason: string;
  /** What to change, in imglint's words. */
  fix: string;
  /** True when the message's CPU order is a guess. */
  inferred: boolean;
}

const cache = new WeakMap<OpenStackImageFacts, WeakMap<FlavorFacts, Map<NovaStage, NovaRefusal | undefined>>>();

/**
 * The error Nova raises at `stage` for this image on this flavor, if any. Memoized per pair (the facts objects), so
 * the rules of a stage and the alternatives search share one evaluation.
 */
export function novaRefusal(stage: NovaStage, image: OpenStackImageFacts, flavor: FlavorFacts): NovaRefusal | undefined {
  let byFlavor = cache.get(image);
  if (!byFlavor) cache.set(image, (byFlavor = new WeakMap()));
  let byStage = byFlavor.get(flavor);
  if (!byStage) byFlavor.set(flavor, (byStage = new Map()));
  if (!byStage.has(stage)) byStage.set(stage, evaluate(stage, image, flavor));
  return byStage.get(stage);
}

function evaluate(stage: NovaStage, image: OpenStackImageFacts, flavor: FlavorFacts): NovaRefusal | undefined {
  // Nova's flavors have whole vCPU and RAM counts; a fractional one (hand-made facts) is no Nova flavor.
  if (!Number.isInteger(flavor.vcpus) || !Number.isInteger(flavor.memoryMiB)) return undefined;
  const novaFlavor: NovaFlavor = {
    name: flavor.name,
    vcpus: BigInt(flavor.vcpus),
    memoryMb: BigInt(flavor.memoryMiB),
    extraSpecs: flavor.extraSpecs,
  };
  const novaImage: NovaImage = { id: image.id, name: image.name ?? '', hardware: image.hardware ?? {} };
  try {
    STAGES[stage](novaFlavor, novaImage);
    return undefined;
  } catch (error) {
    if (!(error instanceof NovaRaise)) throw error;
    return {
      ...error.answer(),
      rule: error.rule ?? stage,
      exception: error.exception,
      reason: error.message,
      fix: error.fix ?? 'Change the flavor extra spec or image property Nova names',
      inferred: error.inferred,
    };
  }
}
