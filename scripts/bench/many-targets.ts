// 1,000 targets in one manifest, checked live by the built CLI against a local EC2-compatible endpoint:
// the API calls per region (the engine groups by provider + region) and the wall time of the whole run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Report } from '../../src/model/index.js';
import { latestAmis } from './amis.js';
import { countedCheck } from './counted-check.js';

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

  try {
    const { run, report, calls, problems } = await countedCheck(['--manifest', manifest], images.flat(), baseEnv);
    return { targets, calls, ms: run.ms, exitCode: run.code, results: report?.results.length ?? 0, summary: report?.summary, problems };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
