import { createHash } from 'node:crypto';
import type { Target } from '../model/index.js';

/**
 * sha256 (hex) of the rule, the whole target identity (provider, region, image, type, resource address) and the
 * file, but not the line or any prose: stable across reruns, line moves and message rewording, and different when the
 * target itself changes (which is a different finding). SARIF's `partialFingerprints` and the baseline use it.
 *
 * @param file - the file as the consumer names it: SARIF the artifact URI, the baseline the repository path.
 */
export function findingFingerprint(ruleId: string, target: Target, file: string): string {
  const identity = [ruleId, target.provider, target.region, target.image, target.type, target.source?.address ?? '', file];
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex');
}
