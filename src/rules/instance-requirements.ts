import type { Severity } from '../model/index.js';
import { createRule, type Rule, type Violation } from './rule.js';

/**
 * Not a check of one pair: the verdict on a launch that picks its instance types by attributes
 * (`InstanceRequirements` of an Auto Scaling group, an EC2 Fleet or a Spot Fleet). The engine evaluates the
 * requirements against the catalog (`src/engine/instance-requirements.ts`) and lints the AMI on every type they may
 * select; this rule decides what that means. Auto Scaling asks for "a compatible set of instance requirements for
 * each launch template" (`LaunchTemplateOverrides.InstanceRequirements`), so a selectable type that cannot run the
 * AMI is the user's to exclude: a warning while some selectable type can run it, an error when none can. Like
 * `unverifiable`, it judges no single pair, so it lists no provider of its own (the construct is AWS's).
 */
export const instanceRequirements: Rule = createRule({
  id: 'instance-requirements',
  severity: 'error',
  summary: 'Instance types that attribute-based selection may pick cannot run the image (error when none of them can).',
  curedByOtherType: false,
  variableSeverity: true,
});


/** One selectable type that cannot run the image, and the rules it breaks. */
export interface UnfitType {
  type: string;
  ruleIds: readonly string[];
}

/** What the engine found for one set of requirements and one AMI. */
export interface RequirementsOutcome {
  image: string;
  region: string;
  /** `instance requirements (VCpuCount 2-4, ...)`. */
  requirements: string;
  /** How many types the requirements select for sure. */
  selectable: number;
  /** The types of `selectable` with an error finding for this image, in catalog order. */
  unfit: readonly UnfitType[];
  /** How many more types they may select: imglint's facts do not decide some requirement for them. */
  undecided: number;
  /** The types of `undecided` with an error finding for this image. */
  undecidedUnfit: readonly UnfitType[];
  /** Why types are undecided (requirements, `offerings`): for the message. */
  notEvaluated: readonly string[];
  /** `imglint embedded catalog: ..., data as of 2026-08-02`. */
  catalog: string;
}

/** How many unfit types a message names before it says "and N more". */
const NAMED = 25;

/**
 * The verdict on an outcome. The real selection holds every selectable type and some of the undecided ones, so:
 * - `{ violation }` with severity `error` when none of the selectable and undecided types can run the image (true
 *   of every real selection);
 * - `warning` naming the unfit selectable types when some selectable types can run the image and some cannot:
 *   both are in every real selection, whichever undecided types EC2 adds (the message counts the undecided types
 *   that cannot run it either, without naming them as selected);
 * - `{}` when every selectable type can run the image, some exists, and every undecided type can too;
 * - `{ unverifiable }` when undecided types leave the answer open (no selectable type can run the image but an
 *   undecided one can; or every selectable type can and an undecided one cannot), or no type is selected.
 */
export function judgeRequirements(outcome: RequirementsOutcome): { violation?: Violation; unverifiable?: string } {
  const { image, region, requirements, selectable, unfit, undecided, undecidedUnfit, notEvaluated, catalog } = outcome;
  const total = selectable + undecided;
  const allUnfit = total > 0 && unfit.length + undecidedUnfit.length === total;
  const someFit = unfit.length < selectable;
  // Some selectable type fits and some does not: a warning whatever EC2 makes of the undecided ones.
  const decided = undecided === 0 || (someFit && (undecidedUnfit.length === 0 || unfit.length > 0));
  const what = notEvaluated.map((key) => (key === 'offerings' ? `the offerings of ${region}` : key)).join(', ');
  if (!allUnfit && !decided) {
    return {
      unverifiable: `${requirements}: imglint cannot decide ${what} against the catalog, so the types they select are not known (${undecided} undecided, ${undecidedUnfit.length} of them cannot run AMI ${image}; ${catalog})`,
    };
  }
  if (total === 0) {
    return { unverifiable: `${requirements} select no instance type offered in ${region} for AMI ${image} in the catalog (${catalog})` };
  }
  if (!allUnfit && unfit.length === 0) return {};
  const severity: Severity = allUnfit ? 'error' : 'warning';
  const named = allUnfit ? [...unfit, ...undecidedUnfit] : unfit;
  const names = named.slice(0, NAMED).map(({ type, ruleIds }) => `${type} (${ruleIds.join(', ')})`);
  const more = named.length > NAMED ? ` and ${named.length - NAMED} more` : '';
  const select = undecided > 0 && allUnfit ? 'select or may select' : 'select';
  const alsoUndecided =
    !allUnfit && undecidedUnfit.length > 0
      ? `; of the ${undecided} more they may select (imglint cannot decide ${what}), ${undecidedUnfit.length} cannot run it either`
      : '';
  const message = allUnfit
    ? `None of the ${total} instance types that ${requirements} ${select} in ${region} can run AMI ${image}: ${names.join(', ')}${more}`
    : `${unfit.length} of the ${selectable} instance types that ${requirements} select in ${region} cannot run AMI ${image}: ${names.join(', ')}${more}${alsoUndecided}`;
  const fix = allUnfit
    ? `Change the requirements (or the AMI) so that they select types that can run it; \`imglint matrix --image ${image}\` lists the types that can`
    : `Exclude them (ExcludedInstanceTypes / excluded_instance_types, or narrow the attributes), or use an AMI they can run; Auto Scaling expects the requirements to be compatible with the launch template's AMI`;
  return { violation: { message, severity, fix } };
}
