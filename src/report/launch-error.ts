import type { Finding, LaunchError } from '../model/index.js';

/** Written, where asked, in place of the text of an error the provider publishes no message for. */
const UNPUBLISHED = '(no published message text)';

/**
 * What the provider answers at launch, as the report formats write it: the code, `: ` and the exact message, then
 * ` (documented, not captured)` when no captured response shows it (`InvalidParameterCombination: ...`).
 *
 * @param options.sayUnpublished - write `CODE: (no published message text)` for an error without a message (the text
 *   format); otherwise such an error (or one whose message is empty) is its code alone.
 */
export function launchErrorText({ code, message, inferred }: LaunchError, { sayUnpublished = false } = {}): string {
  const text = sayUnpublished ? (message ?? UNPUBLISHED) : message || undefined;
  return `${code}${text === undefined ? '' : `: ${text}`}${inferred ? ' (documented, not captured)' : ''}`;
}

/** The finding's message, then `Launch error: ...` when it has one, then `Fix: ...`: a SARIF result's or GitHub annotation's text. */
export function findingText(finding: Finding): string {
  const lines = [finding.message];
  if (finding.providerError) lines.push(`Launch error: ${launchErrorText(finding.providerError)}`);
  lines.push(`Fix: ${finding.fix}`);
  return lines.join('\n');
}
