import type { CandidateTypes, Provider } from '../../providers/provider.js';
import type { AwsImageFacts, Finding, InstanceRequirements, InstanceTypeFacts, LaunchOptions } from '../model/index.js';
import { instanceRequirements as instanceRequirementsRule, judgeRequirements } from '../rules/instance-requirements.js';
import { loadAwsSelectionFacts } from '../catalog/aws-selection.js';
import { lint } from './lint.js';
import { describeRequirements } from './requirements-name.js';
import { attributeNames, compileAttribute, type TypeTest } from './requirement-attributes.js';

/**
 * Attribute-based instance type selection (`InstanceRequirements` of EC2 Auto Scaling, EC2 Fleet and Spot Fleet)
 * evaluated against a catalog of instance types: which types the requirements let the service launch for one AMI.
 * The group is one target, judged on every type its requirements may select (rule `instance-requirements`).
 *
 * Sources: the `InstanceRequirements` reference of the Auto Scaling and EC2 APIs (defaults, wildcards; each attribute
 * in `requirement-attributes.ts`) and Auto Scaling's user guide "Creating an Auto Scaling group using attribute-based
 * instance type selection":
 * - unspecified attributes take their defaults; `BareMetal` and `BurstablePerformance` default to `excluded`;
 * - "Instances will be launched with a compatible CPU architecture based on the AMI" (the `CpuManufacturers`
 *   note), and the preview API `GetInstanceTypesFromInstanceRequirements` is asked with the AMI's architecture and
 *   virtualization type: types of another architecture or virtualization type are never selected;
 * - only types offered in the region are launched.
 *
 * Price protection is not applied (see `requirement-attributes.ts`): the selection is then a superset of the real one.
 * Where the facts do not decide a requirement for a type, the type is {@link TypeSelection.undecided}, never guessed.
 */

/** The types a set of requirements may launch for one AMI. */
export interface TypeSelection {
  /** The catalog types the requirements select for the AMI, for sure (every test decided), in catalog order. */
  types: InstanceTypeFacts[];
  /** The types they may or may not select: some requirement's facts do not decide (see `notEvaluated`). */
  undecided: InstanceTypeFacts[];
  /**
   * Why some types are undecided: the requirements that left one undecided (`CpuManufacturers`, `NetworkBandwidthGbps
   * for 3 types`, a reason for a value imglint cannot evaluate), and `offerings` when the region's offerings are unknown.
   */
  notEvaluated: string[];
}

/** Architecture and virtualization type come from the AMI: the selection never holds a type that cannot boot them. */
function bootsImage(type: InstanceTypeFacts, image: AwsImageFacts): boolean {
  return type.architectures.includes(image.architecture) && type.virtualizationTypes.includes(image.virtualizationType);
}

/**
 * The types of `catalog` that `requirements` select for `image` in the region, each attribute evaluated as EC2
 * documents it (`requirement-attributes.ts`) on the type's facts and its {@link SelectionFacts}.
 *
 * @param requirements - in the API's shape (`VCpuCount: { Min, Max }`, `MemoryMiB`, ...; MiB and GiB as the API's).
 * @param catalog - every known instance type (the provider's candidate types), with `selection` facts where known.
 * @param offered - the types offered in the region; `undefined` when unknown (then every type is undecided and
 *   `offerings` is listed in `notEvaluated`).
 */
export function selectInstanceTypes(
  requirements: InstanceRequirements,
  image: AwsImageFacts,
  catalog: Iterable<InstanceTypeFacts>,
  offered: ReadonlySet<string> | undefined,
): TypeSelection {
  const tests: [string, TypeTest][] = [];
  const reasons: string[] = [];
  for (const name of attributeNames(requirements)) {
    const compiled = compileAttribute(name, requirements[name]);
    if (compiled === 'none') continue;
    if (typeof compiled === 'function') tests.push([name, compiled]);
    else reasons.push(compiled.reason);
  }
  const types: InstanceTypeFacts[] = [];
  const undecided: InstanceTypeFacts[] = [];
  const undecidedBy = new Map<string, number>();
  for (const type of catalog) {
    if ((offered !== undefined && !offered.has(type.name)) || !bootsImage(type, image)) continue;
    const open: string[] = [];
    let selected = true;
    for (const [name, test] of tests) {
      const decision = test(type, type.selection);
      if (decision === false) {
        selected = false;
        break;
      }
      if (decision === undefined) open.push(name);
    }
    if (!selected) continue;
    for (const name of open) undecidedBy.set(name, (undecidedBy.get(name) ?? 0) + 1);
    (open.length > 0 || reasons.length > 0 || offered === undefined ? undecided : types).push(type);
  }
  const notEvaluated = [
    ...reasons,
    ...[...undecidedBy].map(([name, count]) => `${name} for ${count} type${count === 1 ? '' : 's'}`),
    ...(offered === undefined ? ['offerings'] : []),
  ];
  return { types, undecided, notEvaluated };
}

/** What would let imglint judge requirements it could not: by what it could not evaluate. */
function requirementsFix({ notEvaluated, types, undecided }: TypeSelection): string {
  const list = 'aws ec2 get-instance-types-from-instance-requirements lists the types they select; imglint check --image <id> --type <type> checks each';
  if (notEvaluated.length === 1 && notEvaluated[0] === 'offerings') {
    return `Run without --offline (EC2 answers for the region's offerings), or check the types by hand: ${list}`;
  }
  if (undecided.length > 0) {
    return `Narrow the requirements so that the undecided types are excluded or decided (AllowedInstanceTypes, ExcludedInstanceTypes, ...), or check the types by hand: ${list}`;
  }
  return types.length === 0
    ? `Check the requirements and the region: ${list} (types newer than the catalog are not in it: run without --offline, or pull a fresh snapshot)`
    : `Check the types by hand: ${list}`;
}

/**
 * The types a region's requirements are judged against: what the launch would really choose from.
 *
 * - A live provider that can list its region (AWS: every `DescribeInstanceTypes` page, which holds the types the region
 *   supports and their selection facts, and every `DescribeInstanceTypeOfferings` page for LocationType `region`): that
 *   listing. Through the catalog cache it is kept 24 hours, the same listing `imglint matrix` uses, so the next runs
 *   make no listing call.
 * - Otherwise (offline, a snapshot) the provider's candidate types: a snapshot's types and offerings; offline, the
 *   listing an earlier live run cached (any age), else the embedded catalog and its offerings.
 *
 * A type whose source gave no selection facts (the embedded catalog's types, a listing cached by an older imglint)
 * gets the embedded catalog's `selection.json` facts for its name, loaded here and only here; a type the catalog
 * lacks too keeps none (the requirements that read them leave it undecided).
 *
 * @returns the types, the offered ones, and where they came from (for the verdict's message).
 * @throws the provider's errors (a listing that fails fails the group, as any other lookup).
 */
export async function typesToSelectFrom(provider: Provider): Promise<CandidateTypes> {
  const [candidates, embedded] = await Promise.all([listTypes(provider), loadAwsSelectionFacts()]);
  const types = [...candidates.types].map((type) => {
    if (type.provider !== 'aws' || type.selection !== undefined) return type;
    const selection = embedded(type.name);
    return selection === undefined ? type : { ...type, selection };
  });
  return { ...candidates, types };
}

async function listTypes(provider: Provider): Promise<CandidateTypes> {
  if (provider.listMachineTypes === undefined || provider.listOfferings === undefined) return provider.candidateTypes();
  const [types, offered] = await Promise.all([provider.listMachineTypes(), provider.listOfferings()]);
  const source = provider.catalogSource;
  return { types, offered, source: { ...source, description: `${source.description} (the region's listing)` } };
}

/** The verdict on one requirements target: its findings, or why it cannot be judged and what would let it be. */
export type RequirementsVerdict = { findings: Finding[] } | { unverifiable: string; fix: string };

/**
 * Judges `image` under `requirements`: selects the types ({@link selectInstanceTypes}), lints the image on each,
 * undecided ones included (offered in the region by construction), and lets rule `instance-requirements` decide.
 */
export function checkInstanceRequirements(
  image: AwsImageFacts,
  requirements: InstanceRequirements,
  candidates: CandidateTypes,
  region: string,
  launch: LaunchOptions,
  now: Date,
): RequirementsVerdict {
  const aws = [...candidates.types].filter((type): type is InstanceTypeFacts => type.provider === 'aws');
  const selection = selectInstanceTypes(requirements, image, aws, candidates.offered);
  const unfitOf = (types: readonly InstanceTypeFacts[]) =>
    types.flatMap((type) => {
      const errors = lint({ image, type, region, offeredInRegion: true, launch, now }).filter((finding) => finding.severity === 'error');
      return errors.length > 0 ? [{ type: type.name, ruleIds: errors.map((finding) => finding.ruleId) }] : [];
    });
  const source = candidates.source;
  const verdict = judgeRequirements({
    image: image.id,
    region,
    requirements: describeRequirements(requirements),
    selectable: selection.types.length,
    unfit: unfitOf(selection.types),
    undecided: selection.undecided.length,
    undecidedUnfit: unfitOf(selection.undecided),
    notEvaluated: selection.notEvaluated,
    catalog: `${source.description}${source.dataAsOf ? `, data as of ${source.dataAsOf}` : ''}`,
  });
  if (verdict.unverifiable !== undefined) return { unverifiable: verdict.unverifiable, fix: requirementsFix(selection) };
  const { violation } = verdict;
  if (violation === undefined) return { findings: [] };
  return {
    findings: [
      {
        ruleId: instanceRequirementsRule.id,
        severity: violation.severity ?? instanceRequirementsRule.severity,
        message: violation.message,
        fix: violation.fix,
        docs: instanceRequirementsRule.docsUrl,
      },
    ],
  };
}
