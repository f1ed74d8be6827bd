import type { ImglintError } from '../errors.js';
import type { TargetRequest } from '../model/index.js';

/**
 * The words of the `unverifiable` finding: what is missing for a target to be judged (`message`) and what the user
 * can do about it (`fix`), by cause. The reasons themselves come from the inputs (a value Terraform knows only after
 * apply, CloudFormation only at deploy, an SSM parameter offline) and from the engine (a lookup an offline catalog
 * cannot answer, an image the credentials cannot see, instance requirements the catalog cannot evaluate).
 */
export interface UnverifiableCause {
  /** `Cannot check before apply: ami is known only after apply`. */
  message: string;
  /** What would let imglint judge the target. */
  fix: string;
}

const CHECK_BY_HAND = 'imglint check --image <id> --type <type>';

/** A reason an input gave (`request.unknown`), worded by when the missing values become known (`unknownUntil`). */
export function inputCause(request: TargetRequest): UnverifiableCause {
  const reason = request.unknown!;
  switch (request.unknownUntil) {
    case 'apply':
      return {
        message: `Cannot check before apply: ${reason}`,
        fix: `Pin the value in the Terraform configuration (a literal, or a variable the plan records), or check the values once applied: ${CHECK_BY_HAND}`,
      };
    case 'deploy':
      return {
        message: `Cannot check before deploy: ${reason}`,
        fix: `Give the value in the template (a literal, or a parameter's Default or --parameter KEY=VALUE), or check the values of the deployed stack: ${CHECK_BY_HAND}`,
      };
    case 'live':
      return {
        message: `Cannot check offline: ${reason}`,
        fix: 'Run without --offline, so that imglint can ask the provider, or give the value itself (--parameter KEY=VALUE for a template parameter)',
      };
    case undefined:
      return { message: `Cannot check: ${reason}`, fix: `Give imglint the missing value, or check the launched image and type: ${CHECK_BY_HAND}` };
  }
}

/** The image or the type of a request that names neither (a library caller's "known only after apply"). */
export function afterApplyCause(what: 'image' | 'instance type' | 'flavor'): UnverifiableCause {
  return {
    message: `Cannot check before apply: the ${what} is known only after apply`,
    fix: `Pin the ${what} in the configuration, or check the values once applied: ${CHECK_BY_HAND}`,
  };
}

/** An image given as an SSM parameter to `checkTargets`, which reads no SSM (`imglint check` and `check()` do). */
export function ssmParameterCause(name: string): UnverifiableCause {
  return {
    message: `Cannot check: the image is the SSM parameter ${name}, which EC2 resolves at launch; checkTargets does not read SSM`,
    fix: 'Check with imglint check (it reads the parameter with SSM GetParameters), or pass the AMI ID the parameter holds',
  };
}

/**
 * A reference a lookup could not answer and whose absence says nothing about the cloud: offline, a type the catalog
 * or snapshot lacks or an image no `--image-file` describes; live, an image the credentials cannot see (EC2 and
 * Glance answer as for one that does not exist). The lookup's error says what and why; its hint says what to do.
 */
export function lookupCause(problem: ImglintError, lookup: { offline: boolean; kind: 'image' | 'type'; ref: string }): UnverifiableCause {
  const fix = problem.hint === undefined ? `Check the reference, or check by hand: ${CHECK_BY_HAND}` : sentence(problem.hint);
  if (!lookup.offline) return { message: `Cannot see the image: ${problem.message}`, fix };
  // The offline providers refuse every image lookup alike ("cannot look up ..."): say which file is missing.
  if (lookup.kind === 'image' && problem.kind === 'usage') {
    return { message: `Cannot check offline: no --image-file describes image ${lookup.ref}, and an offline run cannot look images up`, fix };
  }
  return { message: `Cannot check offline: ${problem.message}`, fix };
}

/** Instance requirements the catalog cannot judge (see `checkInstanceRequirements`), with the engine's fix. */
export function requirementsCause(reason: string, fix: string): UnverifiableCause {
  return { message: `Cannot judge the instance requirements: ${reason}`, fix };
}

/** A hint as a fix: a sentence, without its trailing period (fixes are joined with `; ` to the alternatives). */
function sentence(hint: string): string {
  const text = hint.replace(/\.$/, '');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
