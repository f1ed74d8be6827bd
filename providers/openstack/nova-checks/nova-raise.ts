/**
 * Nova's exceptions on the image x flavor path of `POST /servers`, and the answer the API turns each into
 * (`nova/api/openstack/compute/servers.py` `ServersController.create`, `nova/api/openstack/wsgi.py`).
 */

/**
 * `ServersController.create` catches these (`INVALID_FLAVOR_IMAGE_EXCEPTIONS`, and the list next to it) and answers
 * `400 badRequest` with the exception's message.
 */
const BAD_REQUEST = [
  'BadRequirementEmulatorThreadsPolicy',
  'CPUThreadPolicyConfigurationInvalid',
  'FlavorImageConflict',
  'ImageCPUPinningForbidden',
  'ImageCPUThreadPolicyForbidden',
  'ImageNUMATopologyAsymmetric',
  'ImageNUMATopologyCPUDuplicates',
  'ImageNUMATopologyCPUOutOfRange',
  'ImageNUMATopologyCPUsUnassigned',
  'ImageNUMATopologyForbidden',
  'ImageNUMATopologyIncomplete',
  'ImageNUMATopologyMemoryOutOfRange',
  'ImageSerialPortNumberExceedFlavorValue',
  'ImageSerialPortNumberInvalid',
  'ImageVCPULimitsRangeExceeded',
  'ImageVCPUTopologyRangeExceeded',
  'InvalidCPUAllocationPolicy',
  'InvalidCPUThreadAllocationPolicy',
  'InvalidEmulatorThreadsPolicy',
  'InvalidMachineType',
  'InvalidMixedInstanceDedicatedMask',
  'InvalidNUMANodesNumber',
  'InvalidRequest',
  'MemoryPageSizeForbidden',
  'MemoryPageSizeInvalid',
  'RealtimeConfigurationInvalid',
  'RealtimeMaskNotFoundOrInvalid',
  'RequiredMixedInstancePolicy',
  'RequiredMixedOrRealtimeCPUMask',
] as const;

/** `nova.exception.Forbidden` subclasses create does not catch: the resource handler answers `403 forbidden`. */
const FORBIDDEN = ['LockMemoryForbidden', 'ImagePCINUMAPolicyForbidden'] as const;

/**
 * Exceptions nothing catches: `expected_errors` answers `500 computeFault` "Unexpected API Error" naming the class
 * (Nova's `Invalid` raised outside the caught list, Python's own errors).
 */
const UNEXPECTED = {
  Invalid: 'nova.exception.Invalid',
  InvalidPCINUMAAffinity: 'nova.exception.InvalidPCINUMAAffinity',
  FlavorImageLockedMemoryConflict: 'nova.exception.FlavorImageLockedMemoryConflict',
  ValueError: 'ValueError',
  OverflowError: 'OverflowError',
} as const;

export type NovaException = (typeof BAD_REQUEST)[number] | (typeof FORBIDDEN)[number] | keyof typeof UNEXPECTED;

/** What `POST /servers` answers: the HTTP status and the fault body's `message`. */
export interface NovaAnswer {
  status: '400' | '403' | '500';
  message: string;
}

/**
 * Thrown by the emulated Nova functions, like the Python exception it stands for; caught by the checks' entry points.
 * Besides Nova's exception and message it carries imglint's reading of it: the rule (concern) it belongs to, a fix,
 * and whether the message's CPU order is a guess.
 */
export class NovaRaise extends Error {
  readonly exception: NovaException;
  /** The imglint rule that reports it; set where it is raised, or by the caller that knows the concern. */
  rule: string | undefined;
  /** What to change, in imglint's words. */
  fix: string | undefined;
  /** True when Nova's message lists CPUs in an order imglint could not replay (see `CpuSet`). */
  inferred: boolean;

  constructor(exception: NovaException, message: string, details: { rule?: string; fix?: string; inferred?: boolean } = {}) {
    super(message);
    this.name = 'NovaRaise';
    this.exception = exception;
    this.rule = details.rule;
    this.fix = details.fix;
    this.inferred = details.inferred ?? false;
  }

  /** The API's answer to this exception. */
  answer(): NovaAnswer {
    if ((BAD_REQUEST as readonly string[]).includes(this.exception)) return { status: '400', message: this.message };
    if ((FORBIDDEN as readonly string[]).includes(this.exception)) return { status: '403', message: this.message };
    const pythonClass = UNEXPECTED[this.exception as keyof typeof UNEXPECTED];
    return {
      status: '500',
      message:
        'Unexpected API Error. Please report this at http://bugs.launchpad.net/nova/ and attach the Nova API log if possible.\n' +
        `<class '${pythonClass}'>`,
    };
  }
}
