import { isAbsolute, join } from 'node:path';
import type { TargetRequest } from '../../model/target.js';
import type { PlanEntry, TemplateEntry } from './plan-and-template-entries.js';

/**
 * Terraform plans and CloudFormation templates named in a file (a manifest's `plans:` and `cloudformation:`, and
 * the same keys of `.imglint.yaml`) or on the command line (`--plan`, `--cloudformation`), and reading them with
 * their own readers (`src/input/terraform/`, `src/input/cloudformation/`), so every target points back at the plan's
 * resource or the template's logical ID, whoever named the file.
 */

/** `path` against `directory`, unless it is absolute: paths in a file are relative to the file's directory. */
function against(directory: string, path: string): string {
  return isAbsolute(path) ? path : join(directory, path);
}

/** `plans:` entries of a file in `directory`, with their `plan` and `sourceDir` resolved against it. */
export function plansIn(directory: string, entries: readonly PlanEntry[] = []): PlanEntry[] {
  return entries.map((entry) => ({ ...entry, plan: against(directory, entry.plan), ...(entry.sourceDir !== undefined && { sourceDir: against(directory, entry.sourceDir) }) }));
}

/** `cloudformation:` entries of a file in `directory`, with their `template` resolved against it. */
export function templatesIn(directory: string, entries: readonly TemplateEntry[] = []): TemplateEntry[] {
  return entries.map((entry) => ({ ...entry, template: against(directory, entry.template) }));
}

/** What the command line adds to every plan and template a run reads. */
export interface PlanAndTemplateOptions {
  /** `--region`: plans' default region (for providers that set none), templates' `AWS::Region` unless they say. */
  region?: string;
  /** `--parameter` values, over each template's own `parameters`. */
  parameters?: Readonly<Record<string, string>>;
}

/**
 * The targets of the plans, then of the templates, in order. Each reader loads only when a file of its kind is
 * named (start-up is most of a one-pair check).
 *
 * @throws what `readTerraformPlan` and `readCloudFormationTemplate` throw (`InputError`s naming the file and line).
 */
export async function readPlansAndTemplates(
  plans: readonly PlanEntry[],
  templates: readonly TemplateEntry[],
  options: PlanAndTemplateOptions = {},
): Promise<TargetRequest[]> {
  const [fromPlans, fromTemplates] = await Promise.all([
    Promise.all(
      plans.map(async ({ plan, sourceDir }) => (await import('../terraform/plan.js')).readTerraformPlan(plan, { defaultRegion: options.region, sourceDir })),
    ),
    Promise.all(
      templates.map(async ({ template, parameters, region }) =>
        (await import('../cloudformation/template.js')).readCloudFormationTemplate(template, {
          region: region ?? options.region,
          parameters: { ...parameters, ...options.parameters },
        }),
      ),
    ),
  ]);
  return [...fromPlans.flat(), ...fromTemplates.flat()];
}
