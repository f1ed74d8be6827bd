import { architecture } from './architecture.js';
import { autoDiskConfig } from './auto-disk-config.js';
import { flavorClass } from './flavor-class.js';
import { flavorDisabled } from './flavor-disabled.js';
import { cpuDedicatedMask } from './cpu-dedicated-mask.js';
import { cpuPolicy } from './cpu-policy.js';
import { cpuRealtime } from './cpu-realtime.js';
import { cpuThreadPolicy } from './cpu-thread-policy.js';
import { cpuTopology } from './cpu-topology.js';
import { emulatorThreadsPolicy } from './emulator-threads-policy.js';
import { encryptedVolumeImage } from './encrypted-volume-image.js';
import { ephemeralEncryption } from './ephemeral-encryption.js';
import { imageMetadata } from './image-metadata.js';
import { lockedMemory } from './locked-memory.js';
import { memEncryption } from './mem-encryption.js';
import { memPageSize } from './mem-page-size.js';
import { numaTopology } from './numa-topology.js';
import { pciNumaAffinity } from './pci-numa-affinity.js';
import { pmu } from './pmu.js';
import { serialPorts } from './serial-ports.js';
import { vifMultiqueue } from './vif-multiqueue.js';
import { imageSize } from './image-size.js';
import { minDisk } from './min-disk.js';
import { minRam } from './min-ram.js';
import { volumeSize } from './volume-size.js';
import { zeroDiskFlavor } from './zero-disk-flavor.js';
import { bootMode } from './boot-mode.js';
import { enaSupport } from './ena-support.js';
import { imageDeprecated } from './image-deprecated.js';
import { imageState } from './image-state.js';
import { instanceRequirements } from './instance-requirements.js';
import { instanceTypeOffering } from './instance-type-offering.js';
import { instanceTypeSpecification } from './instance-type-specification.js';
import { nitroTpm } from './nitro-tpm.js';
import { nvmeSupport } from './nvme-support.js';
import { previousGeneration } from './previous-generation.js';
import type { ProviderId } from '../model/common.js';
import type { Rule } from './rule.js';
import { rootDeviceType } from './root-device-type.js';
import { unverifiable } from './unverifiable.js';
import { virtualizationType } from './virtualization-type.js';

export type { Rule, RuleContext, Violation } from './rule.js';

/**
 * Every rule, in the order the provider meets the problems, so the first finding is the error the launch gets:
 * Nova's create-time order (disk config, flavor, image metadata, the image's `hw_*` properties against the flavor's
 * `hw:*` extra specs, an image uploaded from an encrypted volume, status, RAM, disks, then the remaining `hw_*`
 * checks); EC2's (image, hardware, placement). Informational rules come last.
 */
export const rules: readonly Rule[] = [
  autoDiskConfig,
  flavorDisabled,
  imageMetadata,
  cpuPolicy,
  cpuThreadPolicy,
  cpuRealtime,
  cpuDedicatedMask,
  emulatorThreadsPolicy,
  numaTopology,
  memPageSize,
  lockedMemory,
  pciNumaAffinity,
  ephemeralEncryption,
  encryptedVolumeImage,
  imageState,
  virtualizationType,
  architecture,
  bootMode,
  enaSupport,
  rootDeviceType,
  nitroTpm,
  instanceTypeSpecification,
  instanceTypeOffering,
  flavorClass,
  minRam,
  volumeSize,
  imageSize,
  minDisk,
  zeroDiskFlavor,
  memEncryption,
  pmu,
  serialPorts,
  cpuTopology,
  vifMultiqueue,
  nvmeSupport,
  imageDeprecated,
  previousGeneration,
  instanceRequirements,
  unverifiable,
];

const byProvider = new WeakMap<readonly Rule[], Map<ProviderId, readonly Rule[]>>();

/**
 * The rules of `list` that check pairs of `provider`, in order; computed once per list and provider (the
 * compatibility loops of fix hints and `matrix` judge over a thousand types each).
 */
export function rulesFor(provider: ProviderId, list: readonly Rule[] = rules): readonly Rule[] {
  let lists = byProvider.get(list);
  if (lists === undefined) {
    lists = new Map();
    byProvider.set(list, lists);
  }
  let found = lists.get(provider);
  if (found === undefined) {
    found = list.filter((rule) => rule.providers.includes(provider));
    lists.set(provider, found);
  }
  return found;
}
