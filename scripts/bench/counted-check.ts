// One `imglint check ... --format json` run of the built CLI against the local EC2 endpoint behind the counting
// proxy, with a fresh catalog cache (a warm one would answer DescribeInstanceTypes and offerings itself): the
// report, the calls per signing region and Action, and what went wrong.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Report } from '../../src/model/index.js';
import { startEc2Endpoint } from '../../test/e2e/ec2-endpoint.js';
import { startCountingProxy } from './counting-proxy.js';
import { runNode, type NodeRun } from './node-run.js';

export interface CountedCheck {
  run: NodeRun;
  report: Report | undefined;
  /** region -> Action -> calls */
  calls: Map<string, Map<string, number>>;
  /** Distinct `error.code: message` of errored targets; a missing report; what the CLI wrote to stderr. */
  problems: string[];
}

export async function countedCheck(
  args: readonly string[],
  images: readonly Record<string, unknown>[],
  baseEnv: NodeJS.ProcessEnv,
): Promise<CountedCheck> {
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'imglint-bench-cache-'));
  const endpoint = await startEc2Endpoint(images);
  const proxy = await startCountingProxy(endpoint.url);
  try {
    const run = await runNode(['bin/imglint.js', 'check', ...args, '--format', 'json'], {
      ...baseEnv,
      AWS_ENDPOINT_URL: proxy.url,
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      AWS_REGION: 'us-east-1',
      AWS_MAX_ATTEMPTS: '1',
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
    return { run, report, calls: proxy.calls, problems };
  } finally {
    await proxy.close();
    await endpoint.close();
    rmSync(cacheDir, { recursive: true, force: true });
  }
}
