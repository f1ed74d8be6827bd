import type {
  AwsImageFacts,
  FlavorFacts,
  ImageFacts,
  InstanceTypeFacts,
  LaunchError,
  LaunchOptions,
  MachineTypeFacts,
  OpenStackImageFacts,
  ProviderId,
  Severity,
} from '../model/index.js';

/** Where rule docs live; a rule's URL is derived from its ID, never written by hand. */
export const RULE_DOCS_BASE = 'https://github.com/imglint/imglint/blob/main/docs/rules/';

/** Everything a rule may look at for one image x machine type pair. Pure data: rules do no I/O. */
export interface RuleContext {
  readonly image: ImageFacts;
  readonly type: MachineTypeFacts;
  readonly region: string;
  /** Whether the type is offered in the region; undefined when the catalog cannot tell. */
  readonly offeredInRegion: boolean | undefined;
  /** The availability zones the launch is pinned to and those offering the type; absent when not pinned or unknown. */
  readonly zones?: ZonePlacement;
  /** How the server would be created (OpenStack: disk config, boot from volume). */
  readonly launch: LaunchOptions;
  /** The clock, injected so deprecation checks are testable. */
  readonly now: Date;
}

/** Where a launch pinned to availability zones can get the type (`DescribeInstanceTypeOfferings` by zone). */
export interface ZonePlacement {
  /** The zones the launch is pinned to whose offerings are known (names like `us-east-1a` or IDs like `use1-az1`). */
  readonly requested: readonly string[];
  /** The region's zones, of the kinds requested (names, IDs), that offer the type; sorted. */
  readonly offering: readonly string[];
}

/** A pair of an AMI and an EC2 instance type. */
export interface AwsRuleContext extends RuleContext {
  readonly image: AwsImageFacts;
  readonly type: InstanceTypeFacts;
}

/** A pair of a Glance image and a Nova flavor. */
export interface OpenStackRuleContext extends RuleContext {
  readonly image: OpenStackImageFacts;
  readonly type: FlavorFacts;
}

/** What a rule reports when the pair breaks it. */
export interface Violation {
  message: string;
  /** Overrides the rule's severity for this finding (a rule whose provider refuses one value and warns on another). */
  severity?: Severity;
  /** What the provider answers at launch, when the launch fails at the API. */
  providerError?: LaunchError;
  fix: string;
}

/** One provider family's half of a rule. */
export interface RuleCheck<C extends RuleContext> {
  /**
   * True when the pair breaks the rule. Allocation-free: alternatives and matrix call it for every type of a
   * catalog, so the message is built only by `explain`.
   */
  violates(context: C): boolean;
  /** The finding's text for a pair that `violates`. */
  explain(context: C): Violation;
}

export interface Rule {
  /** Stable, kebab-case; a public interface. */
  readonly id: string;
  readonly severity: Severity;
  /** Providers the rule checks. */
  readonly providers: readonly ProviderId[];
  /** One line for `imglint rules`. */
  readonly summary: string;
  /** `docs/rules/<id>.md` on the project site. */
  readonly docsUrl: string;
  /** True when picking another instance type or flavor cures the violation, so the fix lists alternatives. */
  readonly curedByOtherType: boolean;
  /** True when some violations are reported below `severity` (`Violation.severity`): ask `explain` for the real one. */
  readonly variableSeverity: boolean;
  /** True when the pair breaks the rule (false for pairs of a provider the rule does not check). */
  violates(context: RuleContext): boolean;
  /** The finding's text for a pair that {@link Rule.violates}. */
  explain(context: RuleContext): Violation;
}

/** The severity of the finding `rule` gives on a pair it {@link Rule.violates}: its own, unless it reports this violation lower. */
export function violationSeverity(rule: Rule, context: RuleContext): Severity {
  return rule.variableSeverity ? (rule.explain(context).severity ?? rule.severity) : rule.severity;
}

/** A rule's definition: metadata plus the checks of each provider family it covers. */
export interface RuleDefinition {
  readonly id: string;
  readonly severity: Severity;
  readonly summary: string;
  readonly curedByOtherType: boolean;
  /** Set when `explain` may lower the severity of some violations. */
  readonly variableSeverity?: boolean;
  readonly aws?: RuleCheck<AwsRuleContext>;
  /** The OpenStack half; `openstackProviders` says which of Rackspace and generic OpenStack it covers. */
  readonly openstack?: RuleCheck<OpenStackRuleContext>;
  readonly openstackProviders?: readonly ('rackspace' | 'openstack')[];
}

function isAws(context: RuleContext): context is AwsRuleContext {
  return context.image.provider === 'aws' && context.type.provider === 'aws';
}

/** Defines a rule; the docs URL is derived from the ID, the provider list from the halves it has. */
export function createRule(definition: RuleDefinition): Rule {
  const { aws, openstack } = definition;
  const openstackProviders = openstack ? (definition.openstackProviders ?? ['rackspace', 'openstack']) : [];
  const providers: ProviderId[] = [...(aws ? (['aws'] as const) : []), ...openstackProviders];
  const covers = (context: RuleContext): context is OpenStackRuleContext =>
    context.image.provider !== 'aws' && context.type.provider !== 'aws' && openstackProviders.includes(context.image.provider);
  return {
    id: definition.id,
    severity: definition.severity,
    summary: definition.summary,
    curedByOtherType: definition.curedByOtherType,
    variableSeverity: definition.variableSeverity ?? false,
    providers,
    docsUrl: `${RULE_DOCS_BASE}${definition.id}.md`,
    violates(context) {
      if (isAws(context)) return aws !== undefined && aws.violates(context);
      return openstack !== undefined && covers(context) && openstack.violates(context);
    },
    explain(context) {
      if (isAws(context) && aws) return aws.explain(context);
      if (openstack && covers(context)) return openstack.explain(context);
      throw new Error(`rule ${definition.id} cannot explain a pair it does not check`);
    },
  };
}
