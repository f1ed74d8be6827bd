// 1,000 targets in one manifest, checked live by the built CLI against a local EC2-compatible endpoint:
// the API calls per region (the engine groups by provider + region) and the wall time of the whole run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Report } from '../../src/model/index.js';
import { startEc2Endpoint } from '../../test/e2e/ec2-endpoint.js';
import { latestAmis } from './amis.js';
import { startCountingProxy } from './counting-proxy.js';
import { runNode } from './node-run.js';

export const REGIONS = ['us-east-1', 'eu-west-1'] as const;
/** AMIs per region: the first 25 of each region's latest_amis file (both include the region's paravirtual AMI). */
export const AMIS_PER_REGION = 25;
/**
 * 20 instance types offered in both regions: x86 HVM-only, Graviton (arm64), and the old types that also run
 * paravirtual AMIs, so the targets mix passes and failures (and failures get alternatives from the catalog).
 */
export const TYPES = [
  't1.micro', 'm1.small', 'm3.medium', 'c3.large',
  't2.micro', 't3.micro', 't3a.medium', 'm5.large', 'm6i.large', 'm7i.large', 'c5.large', 'r5.large', 'i3.large', 'g4dn.xlarge',
  't4g.micro', 'm6g.large', 'm7g.large', 'c6g.large', 'c7g.large', 'r6g.large',
] as const;

export interface ManyTargetsResult {
  targets: number;
  /** region -> Action -> calls */
  calls: Map<string, Map<string, number>>;
  ms: number;
  exitCode: number | null;
  results: number;
  summary: Report['summary'] | undefined;
  /** Distinct `error.code: message` of errored targets; a missing report; what the CLI wrote to stderr. */
  problems: string[];
}

export async function benchManyTargets(baseEnv: NodeJS.ProcessEnv): Promise<ManyTargetsResult> {
  const images = REGIONS.map((region) => latestAmis(region).slice(0, AMIS_PER_REGION));
  const lines = ['# imglint bench: 2 regions x 25 AMIs x 20 instance types', 'targets:'];
  REGIONS.forEach((region, index) => {
    for (const image of images[index]!) {
      for (const type of TYPES) {
        lines.push(`  - provider: aws`, `    region: ${region}`, `    image: ${String(image.ImageId)}`, `    type: ${type}`);
      }
    }
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'imglint-bench-manifest-'));
  const manifest = path.join(dir, 'imglint.yaml');
  writeFileSync(manifest, `${lines.join('\n')}\n`);
  const targets = REGIONS.length * AMIS_PER_REGION * TYPES.length;

  const cacheDir = mkdtempSync(path.join(tmpdir(), 'imglint-bench-cache-'));
  const endpoint = await startEc2Endpoint(images.flat());
  const proxy = await startCountingProxy(endpoint.url);
  try {
    const run = await runNode(['bin/imglint.js', 'check', '--manifest', manifest, '--format', 'json'], {
      ...baseEnv,
      AWS_ENDPOINT_URL: proxy.url,
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      AWS_REGION: 'us-east-1',
      // A fresh catalog cache: a warm one would answer DescribeInstanceTypes and offerings itself.
      IMGLINT_CACHE_DIR: cacheDir,
    });
    let report: Report | undefined;
    try {
      report = JSON.parse(run.stdout) as Report;
    } catch {
      report = undefined;
    }
    const problems = report
      ? [...new Set(report.results.flatMap((result) => (result.error ? [`${result.error.code}: ${result.error.message}`] : [])))]
      : [`exit ${run.code}, no JSON report`];
    if (run.stderr.trim() !== '') problems.push(`stderr: ${run.stderr.trim().slice(0, 500)}`);
    return { targets, calls: proxy.calls, ms: run.ms, exitCode: run.code, results: report?.results.length ?? 0, summary: report?.summary, problems };
  } finally {
    await proxy.close();
    await endpoint.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  }
}
