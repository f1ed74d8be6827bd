import type { Finding, TargetRequest, TargetResult } from '../model/index.js';

/**
 * Machines a deployment keeps rather than launches (a Terraform `no-op`, or an update in place; see
 * `TargetRequest.existing`): their findings describe what already runs, and a pre-deploy gate must not fail on them,
 * since the deployment launches nothing there.
 *
 * - `kept` (same image, same type): every finding becomes `info`.
 * - `resized` (the type changes in place; EC2 and Nova check the new pair, but no launch reads the image): only the
 *   image's own state and deprecation become `info`; what the new type refuses still counts.
 */

/** Rules about the image alone, which a resize in place does not meet. */
const IMAGE_ONLY_RULES = new Set(['image-state', 'image-deprecated']);

/** The result of a target, its findings lowered as its `existing` mark says; unchanged for a launch. */
export function asExisting(result: TargetResult, existing: TargetRequest['existing']): TargetResult {
  if (existing === undefined) return result;
  const lowered = (finding: Finding): Finding =>
    existing.change === 'kept' || IMAGE_ONLY_RULES.has(finding.ruleId) ? { ...finding, severity: 'info' } : finding;
  return { ...result, target: { ...result.target, existing }, findings: result.findings.map(lowered) };
}

/** The report's notice when some targets are machines that are kept, not launched; undefined when none are. */
export function existingMachinesNotice(requests: readonly TargetRequest[]): string | undefined {
  const kept = requests.filter((request) => request.existing?.change === 'kept').length;
  const resized = requests.filter((request) => request.existing?.change === 'resized').length;
  if (kept + resized === 0) return undefined;
  const machines = (n: number) => (n === 1 ? '1 target is a machine' : `${n} targets are machines`);
  const parts = [
    ...(kept > 0 ? [`${machines(kept)} the plan keeps unchanged (${kept === 1 ? 'its' : 'their'} findings are infos)`] : []),
    ...(resized > 0 ? [`${machines(resized)} the plan resizes in place (only the new type is judged; the image's state and deprecation are infos)`] : []),
  ];
  return `${parts.join('; ')}: the deployment launches no new machine for ${kept + resized === 1 ? 'it' : 'them'}.`;
}
