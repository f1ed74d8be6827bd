import type { Finding } from '../model/index.js';
import { rules as allRules, rulesFor, type Rule, type RuleContext } from '../rules/index.js';

/**
 * Runs every rule that applies to the image's provider on one pair. Pure and synchronous:
 * the same facts always give the same findings, in rule order.
 */
export function lint(context: RuleContext, rules: readonly Rule[] = allRules): Finding[] {
  const findings: Finding[] = [];
  const applicable = rulesFor(context.type.provider, rules);
  for (let index = 0; index < applicable.length; index += 1) {
    const rule = applicable[index]!;
    if (!rule.violates(context)) continue;
    const violation = rule.explain(context);
    findings.push({
      ruleId: rule.id,
      severity: violation.severity ?? rule.severity,
      message: violation.message,
      providerError: violation.providerError,
      fix: violation.fix,
      docs: rule.docsUrl,
    });
  }
  return findings;
}
