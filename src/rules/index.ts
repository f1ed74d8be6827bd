import { architecture } from './architecture.js';
import { autoDiskConfig } from './auto-disk-config.js';
import { flavorClass } from './flavor-class.js';
import { flavorDisabled } from './flavor-disabled.js';
import { imageMetadata } from './image-metadata.js';
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
import type { Rule } from './rule.js';
import { rootDeviceType } from './root-device-type.js';
import { unverifiable } from './unverifiable.js';
import { virtualizationType } from './virtualization-type.js';

export type { Rule, RuleContext, Violation } from './rule.js';

/**
 * Every rule, in the order the provider meets the problems, so the first finding is the error the launch gets:
 * Nova's create-time order (disk config, flavor, image metadata, status, RAM, disks); EC2's (image, hardware,
 * placement). Informational rules come last.
 */
export const rules: readonly Rule[] = [
  autoDiskConfig,
  flavorDisabled,
  imageMetadata,
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
  nvmeSupport,
  imageDeprecated,
  previousGeneration,
  instanceRequirements,
  unverifiable,
];
