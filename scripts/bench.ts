// npm run bench: start-up cost of an offline one-pair check against bare node, and the API calls and wall time
// of a live check against a local EC2-compatible endpoint. Figures go to stdout; nothing here is a pass/fail test.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startEc2Endpoint } from '../test/e2e/ec2-endpoint.js';

const run = promisify(execFile);
const RUNS = Number(process.env.BENCH_RUNS ?? 25);
// NODE_EXTRA_CA_CERTS adds ~90 ms to every node start; measure node, not the machine's CA setup.
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'NODE_EXTRA_CA_CERTS' && !key.startsWith('AWS_')));

function timeOnce(args: string[], extraEnv: Record<string, string> = {}): number {
  const start = process.hrtime.bigint();
  try {
    execFileSync(process.execPath, args, { env: { ...env, ...extraEnv }, stdio: 'ignore' });
  } catch {
    // exit 1 (findings) is the expected outcome of the PV example
  }
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function stats(samples: number[]): { median: number; p10: number; p90: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { median: at(0.5), p10: at(0.1), p90: at(0.9) };
}

const fmt = ({ median, p10, p90 }: { median: number; p10: number; p90: number }) =>
  `${median.toFixed(1)} ms (p10 ${p10.toFixed(1)}, p90 ${p90.toFixed(1)})`;

const offlineCheck = ['bin/imglint.js', 'check', '--offline', '--image-file', 'examples/aws/ami-0e972d2890378139a.json', '--type', 't2.micro'];
const bare: number[] = [];
const offline: number[] = [];
timeOnce(offlineCheck); // warm the file cache
for (let i = 0; i < RUNS; i += 1) {
  bare.push(timeOnce(['-e', '']));
  offline.push(timeOnce(offlineCheck));
}
const bareStats = stats(bare);
const offlineStats = stats(offline);
console.log(`Start-up, ${RUNS} interleaved runs each (node ${process.version})`);
console.log(`  node -e ''                         ${fmt(bareStats)}`);
console.log(`  imglint check --offline (1 pair)   ${fmt(offlineStats)}`);
console.log(`  ratio (medians)                    ${(offlineStats.median / bareStats.median).toFixed(2)}x  (goal: <= 1.5x)`);

const images = [JSON.parse(readFileSync('examples/aws/ami-0e972d2890378139a.json', 'utf8')).Images[0]];
const endpoint = await startEc2Endpoint(images);
const liveEnv = {
  ...env,
  AWS_ENDPOINT_URL: endpoint.url,
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  AWS_REGION: 'us-east-1',
};
const live: number[] = [];
const LIVE_RUNS = Math.max(3, Math.floor(RUNS / 5));
for (let i = 0; i < LIVE_RUNS; i += 1) {
  const start = process.hrtime.bigint();
  // A fresh catalog cache each run: a warm cache would answer DescribeInstanceTypes itself.
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'imglint-bench-'));
  await run(process.execPath, ['bin/imglint.js', 'check', '--image', 'ami-0e972d2890378139a', '--type', 't2.micro'], {
    env: { ...liveEnv, IMGLINT_CACHE_DIR: cacheDir },
  }).catch(() => undefined);
  live.push(Number(process.hrtime.bigint() - start) / 1e6);
}
await endpoint.close();
const perRun = [...endpoint.calls].map(([action, count]) => `${action} ${count / LIVE_RUNS}`).join(', ');
const total = [...endpoint.calls.values()].reduce((a, b) => a + b, 0) / LIVE_RUNS;
console.log(`\nLive one-pair check against a local EC2 endpoint, ${LIVE_RUNS} runs`);
console.log(`  API calls per check                ${total} (${perRun}; goal: <= 3)`);
console.log(`  wall time                          ${fmt(stats(live))} (includes loading @aws-sdk/client-ec2)`);
