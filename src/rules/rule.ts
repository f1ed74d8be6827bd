import type { ImageFacts, LaunchError, MachineTypeFacts, ProviderId, Severity } from '../model/index.js';

/** Where rule docs live; a rule's URL is derived from its ID, never written by hand. */
export const RULE_DOCS_BASE = 'https://github.com/imglint/imglint/blob/main/docs/rules/';

/** Everything a rule may look at for one image x machine type pair. Pure data: rules do no I/O. */
export interface RuleContext {
  readonly image: ImageFacts;
  readonly type: MachineTypeFacts;
  readonly region: string;
  /** Whether the type is offered in the region; undefined when the catalog cannot tell. */
  readonly offeredInRegion: boolean | undefined;
  /** The clock, injected so deprecation checks are testable. */
  readonly now: Date;
}

/** What a rule reports when the pair breaks it. */
export interface Violation {
  message: string;
  /** What the provider answers at launch, when the launch fails at the API. */
  providerError?: LaunchError;
  fix: string;
}

export interface Rule {
  /** Stable, kebab-case; a public interface. */
  readonly id: string;
  readonly severity: Severity;
  readonly providers: readonly ProviderId[];
  /** One line for `imglint rules`. */
  readonly summary: string;
  /** `docs/rules/<id>.md` on the project site. */
  readonly docsUrl: string;
  /** True when picking another instance type cures the violation, so the fix lists alternatives. */
  readonly curedByOtherType: boolean;
  /**
   * True when the pair breaks the rule. Allocation-free: alternatives and matrix call it for every type of a
   * catalog, so the message is built only by {@link Rule.explain}.
   */
  violates(context: RuleContext): boolean;
  /** The finding's text for a pair that {@link Rule.violates}. */
  explain(context: RuleContext): Violation;
}

/** Defines a rule; the docs URL is derived from the ID. */
export function createRule(definition: Omit<Rule, 'docsUrl'>): Rule {
  return { ...definition, docsUrl: `${RULE_DOCS_BASE}${definition.id}.md` };
}
