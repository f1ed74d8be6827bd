// A 300-resource Terraform plan (the JSON `terraform show -json` writes) across two regions, one of whose AMIs the
// account cannot see, checked live by the built CLI against the local EC2 endpoint: the EC2 calls per region. An
// unknown reference must cost nothing extra (EC2 filters say "not found" by absence), so the goal is one call of
// each kind per region whatever the plan names.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { latestAmis } from './amis.js';
import { countedCheck } from './counted-check.js';

export const PLAN_REGIONS = ['us-east-1', 'eu-west-1'] as const;
export const PLAN_RESOURCES = 300;
/** Distinct AMIs per region the resources cycle through (one more in us-east-1: the invisible one). */
const AMIS_PER_REGION = 12;
const PLAN_TYPES = ['t3.micro', 't3.small', 'm5.large', 'm6i.large', 'c5.large', 'c6i.large', 'r5.large', 't2.micro', 'm6g.large', 't4g.small'];
/** A well-formed AMI ID that the endpoint does not know: what a private AMI not shared with the account looks like. */
export const INVISIBLE_AMI = 'ami-0123456789abcdef0';

export interface PlanCallsResult {
  /** region -> Action -> calls */
  calls: Map<string, Map<string, number>>;
  exitCode: number | null;
  results: number;
  /** Targets that were unverifiable, and their reasons. */
  unverifiable: string[];
  problems: string[];
}

/** The plan: provider `aws` (us-east-1) and `aws.west` (eu-west-1), resources alternating between them. */
function planJson(amis: Record<string, string[]>): string {
  const changes = [];
  const config = [];
  for (let i = 0; i < PLAN_RESOURCES; i += 1) {
    const west = i % 2 === 1;
    const region = west ? 'eu-west-1' : 'us-east-1';
    const regionAmis = amis[region]!;
    const ami = i === 150 ? INVISIBLE_AMI : regionAmis[Math.floor(i / 2) % regionAmis.length]!;
    const address = `aws_instance.node_${i}`;
    changes.push({
      address,
      mode: 'managed',
      type: 'aws_instance',
      name: `node_${i}`,
      provider_name: 'registry.terraform.io/hashicorp/aws',
      change: {
        actions: ['create'],
        before: null,
        after: { ami, instance_type: PLAN_TYPES[i % PLAN_TYPES.length], tags: { Name: `node-${i}` }, timeouts: null },
        after_unknown: { arn: true, id: true, private_ip: true, public_ip: true, tags_all: true },
        before_sensitive: false,
        after_sensitive: { tags: {} },
      },
    });
    config.push({ address, mode: 'managed', type: 'aws_instance', name: `node_${i}`, provider_config_key: west ? 'aws.west' : 'aws' });
  }
  return JSON.stringify({
    format_version: '1.2',
    terraform_version: '1.9.8',
    resource_changes: changes,
    configuration: {
      provider_config: {
        aws: { name: 'aws', full_name: 'registry.terraform.io/hashicorp/aws', expressions: { region: { constant_value: 'us-east-1' } } },
        'aws.west': {
          name: 'aws',
          full_name: 'registry.terraform.io/hashicorp/aws',
          alias: 'west',
          expressions: { region: { constant_value: 'eu-west-1' } },
        },
      },
      root_module: { resources: config },
    },
  });
}

export async function benchPlanCalls(baseEnv: NodeJS.ProcessEnv): Promise<PlanCallsResult> {
  const images = Object.fromEntries(PLAN_REGIONS.map((region) => [region, latestAmis(region).slice(0, AMIS_PER_REGION)]));
  const ids = Object.fromEntries(Object.entries(images).map(([region, list]) => [region, list.map((image) => String(image.ImageId))]));
  const dir = mkdtempSync(path.join(tmpdir(), 'imglint-bench-plan-'));
  const plan = path.join(dir, 'plan.json');
  writeFileSync(plan, planJson(ids));
  try {
    const { run, report, calls, problems } = await countedCheck(['--plan', plan], Object.values(images).flat(), baseEnv);
    const unverifiable = (report?.results ?? [])
      .filter((result) => result.verdict === 'unverifiable')
      .map((result) => `${result.target.image}: ${result.findings[0]?.message ?? ''}`);
    return { calls, exitCode: run.code, results: report?.results.length ?? 0, unverifiable, problems };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
