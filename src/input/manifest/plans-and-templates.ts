import { isAbsolute, join, resolve } from 'node:path';
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
  /**
   * `--region`: plans' default region (for providers that set none), templates' `AWS::Region` unless their entry says;
   * without it, templates take the region `AWS_REGION`, `AWS_DEFAULT_REGION` or the AWS profile configures.
   */
  region?: string;
  /**
   * `--parameter KEY=VALUE`: values for every template that declares the key, over its entry's `parameters` (a key no
   * template of the run declares is the caller's to refuse, with the templates' {@link ReadTemplate.parameters}).
   */
  parameters?: Readonly<Record<string, string>>;
  /** `--parameter TEMPLATE:KEY=VALUE`: values for one template (by path, as the run resolves it), over both. */
  scoped?: readonly { template: string; key: string; value: string }[];
}

/** A template that was read: its path, the names of the parameters it declares, and its notices. */
export interface ReadTemplate {
  template: string;
  parameters: string[];
  /** What the report should say about it (`file:line: ...`: a zone known only at deploy, a transform not applied). */
  notices: string[];
}

/** The region `AWS_REGION`, `AWS_DEFAULT_REGION` or the AWS profile configures (read without the SDK), if any. */
async function environmentRegion(): Promise<string | undefined> {
  const { configuredAwsRegion } = await import('../../../providers/aws/configured-region.js');
  return (await configuredAwsRegion())?.region;
}

/** Whether `region` is no AWS region at all (`us-est-1`), as `awsRegionStatus` decides. */
async function isMisspeltRegion(region: string): Promise<boolean> {
  const { awsRegionStatus } = await import('../../catalog/aws-regions.js');
  return awsRegionStatus(region).then(
    () => false,
    (error: unknown) => {
      if ((error as { code?: string }).code === 'UnknownRegion') return true;
      throw error;
    },
  );
}

/**
 * The targets of the plans, then of the templates, in order, with what each template declares and says. Each reader
 * loads only when a file of its kind is named (start-up is most of a one-pair check).
 *
 * A template entry's own `region` that is no AWS region does not throw: its targets carry it, and `checkTargets` makes
 * them input errors (`UnknownRegion`, with close names) while the other targets are checked.
 *
 * @throws what `readTerraformPlan` and `loadCloudFormationTemplate` throw (`InputError`s naming the file and line).
 */
export async function readPlansAndTemplates(
  plans: readonly PlanEntry[],
  templates: readonly TemplateEntry[],
  options: PlanAndTemplateOptions = {},
): Promise<{ targets: TargetRequest[]; templates: ReadTemplate[] }> {
  // AWS::Region without --region or an entry's region: the one the AWS CLI would deploy to, as for the checks.
  const templateRegion = options.region ?? (templates.some((entry) => entry.region === undefined) ? await environmentRegion() : undefined);
  const [fromPlans, fromTemplates] = await Promise.all([
    Promise.all(
      plans.map(async ({ plan, sourceDir }) => (await import('../terraform/plan.js')).readTerraformPlan(plan, { defaultRegion: options.region, sourceDir })),
    ),
    Promise.all(
      templates.map(async ({ template, parameters, region }) => {
        // The command line wins over the entry: a shared value replaces the entry's own for the same key.
        const own: Record<string, string> = { ...parameters };
        for (const key of Object.keys(own)) if (options.parameters && Object.hasOwn(options.parameters, key)) own[key] = options.parameters[key]!;
        for (const scoped of options.scoped ?? []) if (resolve(scoped.template) === resolve(template)) own[scoped.key] = scoped.value;
        // A misspelt `region:` of the entry makes its targets input errors (checkTargets names the region), not the
        // run's: the template is read with AWS::Region unknown, and its targets keep the region they were given.
        const misspelt = region !== undefined && (await isMisspeltRegion(region));
        const read = await (await import('../cloudformation/template.js')).loadCloudFormationTemplate(template, {
          region: misspelt ? undefined : (region ?? templateRegion),
          parameters: own,
          ...(options.parameters && { sharedParameters: options.parameters }),
        });
        return { template, ...read, targets: misspelt ? read.targets.map((target) => ({ ...target, region })) : read.targets };
      }),
    ),
  ]);
  return {
    targets: [...fromPlans.flat(), ...fromTemplates.flatMap((read) => read.targets)],
    templates: fromTemplates.map(({ template, parameters, notices }) => ({ template, parameters, notices })),
  };
}
