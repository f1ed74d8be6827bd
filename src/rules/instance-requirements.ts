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
  /** How many types the requirements may select. */
  selectable: number;
  /** The selectable types with an error finding for this image, in catalog order. */
  unfit: readonly UnfitType[];
  /** Requirements imglint could not evaluate: the selection is then a superset of the real one. */
  notEvaluated: readonly string[];
  /** `imglint embedded catalog: ..., data as of 2026-08-02`. */
  catalog: string;
}

/** How many unfit types a message names before it says "and N more". */
const NAMED = 25;

/**
 * The verdict on an outcome:
 * - `{ violation }` with severity `error` when none of the selectable types can run the image (sound even when
 *   some requirement was not evaluated: the real selection is a subset), `warning` when some cannot;
 * - `{ unverifiable }` when requirements imglint cannot evaluate leave the answer open, or the catalog has no type
 *   the requirements select;
 * - `{}` when every selectable type can run the image.
 */
export function judgeRequirements(outcome: RequirementsOutcome): { violation?: Violation; unverifiable?: string } {
  const { image, region, requirements, selectable, unfit, notEvaluated, catalog } = outcome;
  const allUnfit = selectable > 0 && unfit.length === selectable;
  if (!allUnfit && notEvaluated.length > 0) {
    const what = notEvaluated.map((key) => (key === 'offerings' ? `the offerings of ${region}` : key)).join(', ');
    return { unverifiable: `${requirements}: imglint cannot evaluate ${what} against the catalog, so the types they select are not known (${catalog})` };
  }
  if (selectable === 0) {
    return { unverifiable: `${requirements} select no instance type offered in ${region} for AMI ${image} in the catalog (${catalog})` };
  }
  if (unfit.length === 0) return {};
  const severity: Severity = allUnfit ? 'error' : 'warning';
  const names = unfit.slice(0, NAMED).map(({ type, ruleIds }) => `${type} (${ruleIds.join(', ')})`);
  const more = unfit.length > NAMED ? ` and ${unfit.length - NAMED} more` : '';
  const message = allUnfit
    ? `None of the ${selectable} instance types that ${requirements} select in ${region} can run AMI ${image}: ${names.join(', ')}${more}`
    : `${unfit.length} of the ${selectable} instance types that ${requirements} select in ${region} cannot run AMI ${image}: ${names.join(', ')}${more}`;
  const fix = allUnfit
    ? `Change the requirements (or the AMI) so that they select types that can run it; \`imglint matrix --image ${image}\` lists the types that can`
    : `Exclude them (ExcludedInstanceTypes / excluded_instance_types, or narrow the attributes), or use an AMI they can run; Auto Scaling expects the requirements to be compatible with the launch template's AMI`;
  return { violation: { message, severity, fix } };
}
