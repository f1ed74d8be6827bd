/**
 * imglint's library API: `check()` returns the same Report that `imglint check --format json` prints.
 * It never prints or exits; it throws the typed errors exported here.
 */
import { novaRefusal } from '../providers/openstack/nova-checks/server-create.js';
import { installNovaChecks } from './rules/nova-checks.js';

// The CLI loads Nova's checks only for OpenStack targets; a library caller may lint a pair synchronously at any time.
installNovaChecks(novaRefusal);

export { check, type CheckOptions } from './engine/check.js';
export { checkTargets, type CheckTargetsOptions } from './engine/check-targets.js';
export { readTerraformPlan, type TerraformPlanOptions } from './input/terraform/plan.js';
export { readManifest } from './input/manifest/manifest.js';
export type { PlanAndTemplateOptions } from './input/manifest/plans-and-templates.js';
export { readCloudFormationTemplate, type CloudFormationOptions } from './input/cloudformation/template.js';
export { loadConfig, type LoadConfigOptions, type LoadedConfig } from './config/load.js';
export { applyConfig } from './config/apply.js';
export type { ImglintConfig, IgnoreEntry } from './config/schema.js';
export { FORMATS, parseFormatSpec, renderReport, type Format, type FormatSpec, type RenderOptions } from './report/formats.js';
export { formatText, describeCatalog, type TextOptions } from './report/text.js';
export { formatJson } from './report/json.js';
export { formatSarif, SARIF_SCHEMA_URI, type SarifOptions } from './report/sarif.js';
export { formatJunit } from './report/junit.js';
export { formatGithub, githubStepSummary } from './report/github.js';
export { formatGitlab, type CodeQualityIssue, type GitlabOptions } from './report/gitlab.js';
export { lint } from './engine/lint.js';
export { compatibleTypes, suggestAlternatives, type CandidateScope } from './engine/alternatives.js';
export { matrixForImage, matrixForType, type ImageMatrix, type MatrixFilters, type TypeMatrix } from './engine/matrix.js';
export { rules, rulesFor, type Rule, type RuleContext, type Violation } from './rules/index.js';
export { ImglintError, InputError, ProviderApiError, UsageError, type ImglintErrorKind } from './errors.js';
export * from './model/index.js';
export type { Ec2ClientLike } from '../providers/aws/ec2-client.js';
export type { Provider } from '../providers/provider.js';
export type { ProviderChoice } from './engine/resolve.js';
export { VERSION } from './version.js';
