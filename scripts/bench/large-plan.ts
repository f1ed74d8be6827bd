// A 10,000-resource Terraform plan (the JSON `terraform show -json` writes), checked offline by the built CLI with
// its AMIs from one describe-images file: wall time and peak RSS, against one offline one-pair check in the same run.
// Per-target work should be linear and small: the plan should cost little more than reading it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { latestAmis } from './amis.js';
import { runNode } from './node-run.js';

export const LARGE_PLAN_RESOURCES = 10_000;
/** Distinct AMIs the resources cycle through (as many as a large real deployment tends to use). */
const AMIS = 13;
/** Types the resources cycle through: most pass, the paravirtual-only and Graviton ones fail some AMIs. */
const TYPES = ['t3.micro', 't3.small', 't3.medium', 'm5.large', 'm6i.large', 'm7i.large', 'c5.large', 'c6i.large', 'c7i.large', 'r5.large', 'r6i.large', 't2.micro', 'm6g.large', 'c6g.large', 't4g.small', 'c3.large', 'm3.medium', 'i3.large', 'd2.xlarge', 'x2iedn.xlarge'];

export interface LargePlanResult {
  resources: number;
  planBytes: number;
  ms: number;
  /** Peak resident set size, KiB. */
  maxRssKiB: number | undefined;
  results: number;
  exitCode: number | null;
  problems: string[];
}

function planJson(amis: readonly string[]): string {
  const changes = [];
  const config = [];
  for (let i = 0; i < LARGE_PLAN_RESOURCES; i += 1) {
    const address = `aws_instance.node[${i}]`;
    changes.push({
      address,
      mode: 'managed',
      type: 'aws_instance',
      name: 'node',
      index: i,
      provider_name: 'registry.terraform.io/hashicorp/aws',
      change: {
        actions: ['create'],
        before: null,
        after: { ami: amis[i % amis.length], instance_type: TYPES[i % TYPES.length], tags: { Name: `node-${i}` }, timeouts: null },
        after_unknown: { arn: true, id: true, private_ip: true, public_ip: true, tags_all: true },
        before_sensitive: false,
        after_sensitive: { tags: {} },
      },
    });
  }
  config.push({ address: 'aws_instance.node', mode: 'managed', type: 'aws_instance', name: 'node', provider_config_key: 'aws', count_expression: { constant_value: LARGE_PLAN_RESOURCES } });
  return JSON.stringify(
    {
      format_version: '1.2',
      terraform_version: '1.9.8',
      resource_changes: changes,
      configuration: {
        provider_config: { aws: { name: 'aws', full_name: 'registry.terraform.io/hashicorp/aws', expressions: { region: { constant_value: 'us-east-1' } } } },
        root_module: { resources: config },
      },
    },
    null,
    2,
  );
}

/**
 * Writes the plan and the image file to a scratch directory, runs `imglint check --offline --plan ... --image-file ...
 * --format json=<file>` once with `env` (the bench's environment, compile cache warm), and reads the report back.
 */
export async function benchLargePlan(env: NodeJS.ProcessEnv): Promise<LargePlanResult> {
  const images = latestAmis('us-east-1').slice(0, AMIS);
  const dir = mkdtempSync(path.join(tmpdir(), 'imglint-bench-large-plan-'));
  const plan = path.join(dir, 'plan.json');
  const imageFile = path.join(dir, 'images.json');
  const report = path.join(dir, 'report.json');
  const rss = path.join(dir, 'rss');
  const text = planJson(images.map((image) => String(image.ImageId)));
  writeFileSync(plan, text);
  writeFileSync(imageFile, JSON.stringify({ Images: images }));
  const problems: string[] = [];
  try {
    const args = ['--require', path.resolve('scripts/bench/max-rss.cjs'), 'bin/imglint.js', 'check', '--offline', '--plan', plan, '--image-file', imageFile, '--format', `json=${report}`];
    const run = await runNode(args, { ...env, IMGLINT_BENCH_RSS_FILE: rss });
    if (run.code !== 0 && run.code !== 1) problems.push(`imglint exit ${run.code}: ${run.stderr.trim().slice(0, 300)}`);
    let results = 0;
    try {
      results = (JSON.parse(readFileSync(report, 'utf8')) as { results: unknown[] }).results.length;
    } catch (error) {
      problems.push(`no report: ${(error as Error).message}`);
    }
    let maxRssKiB: number | undefined;
    try {
      maxRssKiB = Number(readFileSync(rss, 'utf8'));
    } catch {
      problems.push('no peak RSS recorded');
    }
    return { resources: LARGE_PLAN_RESOURCES, planBytes: Buffer.byteLength(text), ms: run.ms, maxRssKiB, results, exitCode: run.code, problems };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
