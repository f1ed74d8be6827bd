// In-process rule evaluation rate over image x instance type pairs: every rule's allocation-free `violates` (the hot
// path of alternatives and matrix), and the full `lint()` with messages for the violations. The rules and lint()
// come from the built bundle (dist/index.js, what users run); the facts from the sources.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { imageFactsFromEc2 } from '../../providers/aws/normalize.js';
import { Ec2Image } from '../../providers/aws/image-schema.js';
import { loadAwsCatalog } from '../../src/catalog/aws-embedded.js';
import type { AwsImageFacts, InstanceTypeFacts, LaunchOptions } from '../../src/model/index.js';
import { latestAmis } from './amis.js';

type Library = typeof import('../../src/index.js');

export interface Rate {
  pairs: number;
  seconds: number;
  pairsPerSecond: number;
  /** Slowest and fastest round, pairs per second. */
  minRound: number;
  maxRound: number;
  /** Violations (or findings) per pass, a check that the loop did real work. */
  perPass: number;
}

export interface RuleRateResult {
  images: number;
  types: number;
  rules: number;
  violatesOnly: Rate;
  lint: Rate;
}

const REGION = 'us-east-1';
const TARGET_PAIRS = 2_000_000;
const ROUNDS = 5;
/** Full lint() stops early past this many seconds (it is informational, and may be far slower). */
const LINT_BUDGET_S = 4;

export async function benchRuleRate(): Promise<RuleRateResult> {
  const lib = (await import(pathToFileURL(path.resolve('dist/index.js')).href)) as Library;
  const images: AwsImageFacts[] = latestAmis(REGION).map((raw) => imageFactsFromEc2(Ec2Image.parse(raw), REGION));
  const catalog = await loadAwsCatalog();
  const types: InstanceTypeFacts[] = [...catalog.types.values()];
  const offered = catalog.offeredIn(REGION);
  const launch: LaunchOptions = {};
  const now = new Date('2026-08-02T00:00:00Z');
  const pairsPerPass = images.length * types.length;

  // The AWS rules, as the compatibility loop of alternatives / matrix takes them (lib.rulesFor, once per provider).
  const awsRules = lib.rulesFor('aws');
  /** One pass of every image x every type: the compatibility loop of alternatives / matrix, without its early exit. */
  const violatesPass = (): number => {
    let violations = 0;
    for (const image of images) {
      for (const type of types) {
        const context = { image, type, region: REGION, offeredInRegion: offered?.has(type.name), launch, now };
        for (let index = 0; index < awsRules.length; index += 1) {
          if (awsRules[index]!.violates(context)) violations += 1;
        }
      }
    }
    return violations;
  };
  const lintPass = (): number => {
    let findings = 0;
    for (const image of images) {
      for (const type of types) {
        findings += lib.lint({ image, type, region: REGION, offeredInRegion: offered?.has(type.name), launch, now }).length;
      }
    }
    return findings;
  };

  const measure = (pass: () => number, budgetS: number): Rate => {
    const perPass = pass(); // warm-up
    pass();
    const passesPerRound = Math.max(1, Math.ceil(TARGET_PAIRS / ROUNDS / pairsPerPass));
    const rounds: number[] = [];
    let pairs = 0;
    let elapsed = 0n;
    let sink = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < passesPerRound; i += 1) sink += pass();
      const took = process.hrtime.bigint() - start;
      elapsed += took;
      pairs += passesPerRound * pairsPerPass;
      rounds.push((passesPerRound * pairsPerPass) / (Number(took) / 1e9));
      if (Number(elapsed) / 1e9 > budgetS) break;
    }
    if (sink !== perPass * (pairs / pairsPerPass)) throw new Error('rule evaluation is not deterministic');
    const seconds = Number(elapsed) / 1e9;
    return { pairs, seconds, pairsPerSecond: pairs / seconds, minRound: Math.min(...rounds), maxRound: Math.max(...rounds), perPass };
  };

  return {
    images: images.length,
    types: types.length,
    rules: awsRules.length,
    violatesOnly: measure(violatesPass, Number.POSITIVE_INFINITY),
    lint: measure(lintPass, LINT_BUDGET_S),
  };
}
