import { architecture } from './architecture.js';
import { bootMode } from './boot-mode.js';
import { enaSupport } from './ena-support.js';
import { imageDeprecated } from './image-deprecated.js';
import { imageState } from './image-state.js';
import { instanceTypeOffering } from './instance-type-offering.js';
import { instanceTypeSpecification } from './instance-type-specification.js';
import { nitroTpm } from './nitro-tpm.js';
import { nvmeSupport } from './nvme-support.js';
import { previousGeneration } from './previous-generation.js';
import type { Rule } from './rule.js';
import { rootDeviceType } from './root-device-type.js';
import { virtualizationType } from './virtualization-type.js';

export type { Rule, RuleContext, Violation } from './rule.js';

/** Every rule, in the order EC2 meets the problems (image first, then the type's hardware, then placement). */
export const rules: readonly Rule[] = [
  imageState,
  virtualizationType,
  architecture,
  bootMode,
  enaSupport,
  rootDeviceType,
  nitroTpm,
  instanceTypeSpecification,
  instanceTypeOffering,
  nvmeSupport,
  imageDeprecated,
  previousGeneration,
];
