// npm run bench: start-up of an offline one-pair check and of an offline matrix against bare node (compile cache warm
// and cold) and their peak RSS; the API calls and wall time of a live one-pair check against a local EC2-compatible
// endpoint, as a ratio to the AWS CLI's describe-images there, and the cost of loading the SDK; the EC2 calls of a
// 300-resource plan naming an AMI the account cannot see and of a 1,000-target manifest; a 10,000-resource plan
// offline against one one-pair check; the in-process rule evaluation rate. Figures go to stdout as tables, as
// ratios measured in the same run; nothing here is a pass/fail test (a missed goal says MISS), but a timed run that
// does not end as it should (the failing pair exit 1, the others 0; the live check and the reference `aws` call doing
// their job) stops the bench, since its ratio would mean nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { startEc2Endpoint } from '../test/e2e/ec2-endpoint.js';
import { AMIS_PER_REGION, REGIONS, TYPES, benchManyTargets } from './bench/many-targets.js';
import { findAwsCli } from './bench/aws-cli.js';
import { runNode, runProgram } from './bench/node-run.js';
import { INVISIBLE_AMI, PLAN_REGIONS, PLAN_RESOURCES, benchPlanCalls } from './bench/plan-calls.js';
import { benchLargePlan } from './bench/large-plan.js';
import { benchRuleRate, type Rate } from './bench/rule-rate.js';
import { goal, int, ms, printTable } from './bench/table.js';

const benchStart = process.hrtime.bigint();
const RUNS = Number(process.env.BENCH_RUNS ?? 25);
// NODE_EXTRA_CA_CERTS adds ~90 ms to every node start; measure node, not the machine's CA setup.
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'NODE_EXTRA_CA_CERTS' && !key.startsWith('AWS_')));

/** Wall time of one node run, in ms; a run that does not end with `exit` stops the bench (its time would mean nothing). */
function timeOnce(args: string[], extraEnv: Record<string, string> = {}, exit = 0): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { env: { ...env, ...extraEnv }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== exit) throw new Error(`bench: node ${args.join(' ')} exited ${run.status ?? run.signal}, not ${exit}: ${run.stderr.trim().slice(0, 500)}`);
  return elapsed;
}

interface Stats {
  median: number;
  p10: number;
  p90: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { median: at(0.5), p10: at(0.1), p90: at(0.9) };
}

const statCells = ({ median, p10, p90 }: Stats) => [ms(median), ms(p10), ms(p90)];

console.log(`imglint bench: node ${process.version}, ${cpus().length} x ${cpus()[0]?.model.trim() ?? 'unknown CPU'}`);

// --- Start-up ----------------------------------------------------------------------------------------------------
// The example AMIs are us-east-1's; offline, a region is never assumed.
const offlineArgs = ['check', '--offline', '--region', 'us-east-1', '--image-file', 'examples/aws/ami-0e972d2890378139a.json', '--type', 't2.micro'];
const offlineCheck = ['bin/imglint.js', ...offlineArgs];
// A pair that passes needs no fix hint, so only the named type is expanded from the catalog.
const passingPair = ['check', '--offline', '--image-file', 'examples/aws/ami-0006118602dfc1c09.json', '--type', 't3.micro'];
const passingArgs = [...passingPair, '--region', 'us-east-1'];
// The passing check pinned to a zone of another region: zone offerings are looked up in the same bitsets.
const zoneArgs = [...passingPair, '--region', 'eu-west-1', '--availability-zone', 'euw1-az1'];
const matrixArgs = ['matrix', '--offline', '--region', 'us-east-1', '--image-file', 'examples/aws/ami-0e972d2890378139a.json', '--format', 'json'];
// The compile cache (src/cli/startup/loader.ts) lives in the cache directory: warm = one directory the first run
// filled; cold = a new empty directory for every run (which also pays for writing the cache).
const warmCache = mkdtempSync(path.join(tmpdir(), 'imglint-bench-warm-'));
const warm = { IMGLINT_CACHE_DIR: warmCache };
const scratch = [warmCache];
const cold = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'imglint-bench-cold-'));
  scratch.push(dir);
  return { IMGLINT_CACHE_DIR: dir };
};
// IMGLINT_BENCH_BASELINE=<checkout of another commit, built>: its bin in the same interleaved runs, for before/after.
const baselineDir = process.env.IMGLINT_BENCH_BASELINE;
const baselineBin = baselineDir === undefined ? undefined : path.join(path.resolve(baselineDir), 'bin', 'imglint.js');
interface StartupCommand {
  label: string;
  args: string[];
  env: () => Record<string, string>;
  /** The exit code the command must end with: 1 for the failing pair (its finding). */
  exit: number;
  goal?: number;
}
const commands: StartupCommand[] = [
  { label: 'imglint check --offline (1 failing pair: fix hints scan the catalog)', args: offlineCheck, env: () => warm, exit: 1, goal: 2.0 },
  { label: '  same, compile cache cold (first run)', args: offlineCheck, env: cold, exit: 1 },
  { label: 'imglint check --offline (1 passing pair)', args: ['bin/imglint.js', ...passingArgs], env: () => warm, exit: 0 },
  { label: '  same, --region eu-west-1 --availability-zone euw1-az1', args: ['bin/imglint.js', ...zoneArgs], env: () => warm, exit: 0 },
  { label: 'imglint matrix --offline --format json (1,373 types)', args: ['bin/imglint.js', ...matrixArgs], env: () => warm, exit: 0, goal: 2.5 },
  ...(baselineBin
    ? [
        { label: `  baseline ${baselineDir}: the failing pair`, args: [baselineBin, ...offlineArgs], env: () => warm, exit: 1 },
        { label: `  baseline ${baselineDir}: matrix`, args: [baselineBin, ...matrixArgs], env: () => warm, exit: 0 },
      ]
    : []),
];
const bare: number[] = [];
const samples = commands.map((): number[] => []);
for (const command of commands) timeOnce(command.args, command.env(), command.exit); // warm the file cache and the compile cache
for (let i = 0; i < RUNS; i += 1) {
  bare.push(timeOnce(['-e', '']));
  commands.forEach((command, index) => samples[index]!.push(timeOnce(command.args, command.env(), command.exit)));
}
const bareStats = stats(bare);
const offlineStats = stats(samples[0]!);
printTable(
  `Start-up, ${RUNS} interleaved runs each (compile cache warm unless said)`,
  ['', 'median', 'p10', 'p90', 'ratio to node', 'goal'],
  [
    ["node -e ''", ...statCells(bareStats), '1.00x', ''],
    ...commands.map((command, index) => {
      const ratio = stats(samples[index]!).median / bareStats.median;
      const target = command.goal === undefined ? '' : goal(ratio <= command.goal, `<= ${command.goal.toFixed(1)}x`);
      return [command.label, ...statCells(stats(samples[index]!)), `${ratio.toFixed(2)}x`, target];
    }),
  ],
  'lrrrrl',
);
const rssFile = path.join(warmCache, 'rss');
timeOnce(['--require', path.resolve('scripts/bench/max-rss.cjs'), ...offlineCheck], { ...warm, IMGLINT_BENCH_RSS_FILE: rssFile }, 1);
const onePairRssKiB = Number(readFileSync(rssFile, 'utf8'));
console.log(`  peak RSS of the failing one-pair check: ${int(onePairRssKiB / 1024)} MiB`);

// --- Embedded catalog --------------------------------------------------------------------------------------------
const catalogDir = path.join('src', 'catalog', 'aws');
const catalogFiles = readdirSync(catalogDir).filter((name) => name.endsWith('.json')).sort();
const sizeRow = (name: string) => {
  const bytes = readFileSync(path.join(catalogDir, name));
  return [name, int(bytes.length), int(gzipSync(bytes).length)];
};
const totalBytes = catalogFiles.reduce((sum, name) => sum + readFileSync(path.join(catalogDir, name)).length, 0);
printTable(
  'Embedded AWS catalog (src/catalog/aws): offerings of every region and zone as bitsets over the type index',
  ['file', 'bytes', 'gzip bytes'],
  [...catalogFiles.map(sizeRow), ['total', int(totalBytes), '']],
  'lrr',
);

// --- Live one-pair check -----------------------------------------------------------------------------------------
const fakeCredentials = {
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  AWS_REGION: 'us-east-1',
};
const images = [JSON.parse(readFileSync('examples/aws/ami-0e972d2890378139a.json', 'utf8')).Images[0]];
const endpoint = await startEc2Endpoint(images);
const awsCli = findAwsCli();
const live: number[] = [];
const reference: number[] = [];
const LIVE_RUNS = Math.max(5, Math.floor(RUNS / 3));
// imglint's calls only: counted around its runs, so the reference client's own calls are never in the figure.
const imglintCalls = new Map<string, number>();
for (let i = 0; i < LIVE_RUNS; i += 1) {
  const before = new Map(endpoint.calls);
  // --refresh: the catalog cache would answer DescribeInstanceTypes itself; the compile cache stays warm.
  const run = await runNode(['bin/imglint.js', 'check', '--refresh', '--image', 'ami-0e972d2890378139a', '--type', 't2.micro'], {
    ...env,
    ...fakeCredentials,
    ...warm,
    AWS_ENDPOINT_URL: endpoint.url,
  });
  for (const [action, count] of endpoint.calls) imglintCalls.set(action, (imglintCalls.get(action) ?? 0) + count - (before.get(action) ?? 0));
  // Exit 1 (the PV image's findings) is the verdict the live path must reach; anything else is not a live check.
  if (run.code !== 1) {
    await endpoint.close();
    throw new Error(`bench: the live imglint check exited ${run.code}, not 1: ${run.stderr.trim().slice(0, 500)}`);
  }
  live.push(run.ms);
  if (awsCli) {
    // The AWS CLI v1 reads AWS_DEFAULT_REGION, not AWS_REGION: the region is given on the command line, as a user
    // without a configured profile must. No config or credentials file: the keys come from the environment.
    const reply = await runProgram(
      awsCli.path,
      ['ec2', 'describe-images', '--region', fakeCredentials.AWS_REGION, '--image-ids', 'ami-0e972d2890378139a', '--endpoint-url', endpoint.url, '--output', 'json'],
      { ...env, ...fakeCredentials, AWS_PAGER: '', AWS_CONFIG_FILE: '/nonexistent/imglint-bench', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/imglint-bench' },
    );
    // A ratio to an error exit says nothing: the reference must have made its call and printed the image.
    if (reply.code !== 0 || !reply.stdout.includes('ami-0e972d2890378139a')) {
      await endpoint.close();
      throw new Error(`bench: the reference \`${awsCli.path} ec2 describe-images\` failed (exit ${reply.code}): ${reply.stderr.trim().slice(0, 500)}`);
    }
    reference.push(reply.ms);
  }
}
await endpoint.close();
const perRun = [...imglintCalls].map(([action, count]) => `${action} ${count / LIVE_RUNS}`).join(', ');
const liveCalls = [...imglintCalls.values()].reduce((a, b) => a + b, 0) / LIVE_RUNS;
const liveStats = stats(live);
const liveRows = [
  ['API calls per check', `${liveCalls} (${perRun})`, goal(liveCalls <= 3, '<= 3')],
  ['imglint check, median', ms(liveStats.median), ''],
  ['imglint check, p10 / p90', `${ms(liveStats.p10)} / ${ms(liveStats.p90)}`, ''],
];
if (awsCli) {
  const referenceStats = stats(reference);
  const liveRatio = liveStats.median / referenceStats.median;
  liveRows.push(
    [`${awsCli.path} ec2 describe-images (${awsCli.version}), median`, ms(referenceStats.median), ''],
    ['ratio (medians)', `${liveRatio.toFixed(2)}x`, goal(liveRatio <= 0.4, '<= 0.40x')],
  );
} else {
  liveRows.push(['ratio to `aws ec2 describe-images`', 'skipped: no AWS CLI (apt-get install -y awscli, or BENCH_AWS_CLI=<path>)', '']);
}
printTable(
  `Live one-pair check against a local EC2 endpoint, ${LIVE_RUNS} interleaved runs (wall time includes loading the SDK bundle)`,
  ['', 'value', 'goal'],
  liveRows,
);

// Where the live path's start-up went: the SDK's own CommonJS bundle against imglint's tree-shaken ES bundle.
const sdkCjs: number[] = [];
const sdkBundle: number[] = [];
for (let i = 0; i < LIVE_RUNS; i += 1) {
  sdkCjs.push(timeOnce(['-e', "require('@aws-sdk/client-ec2')"], { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }));
  sdkBundle.push(timeOnce(['--input-type=module', '-e', "await import('./dist/aws-sdk/ec2.js')"], { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }));
}
const cjsStats = stats(sdkCjs);
const bundleStats = stats(sdkBundle);
printTable(
  `Loading the EC2 SDK, ${LIVE_RUNS} interleaved runs (node start included; compare with node -e '' above)`,
  ['', 'median', 'p10', 'p90'],
  [
    ["require('@aws-sdk/client-ec2') (2.1 MB CommonJS)", ...statCells(cjsStats)],
    ["import('dist/aws-sdk/ec2.js') (imglint's bundle)", ...statCells(bundleStats)],
    ['ratio (medians)', `${(bundleStats.median / cjsStats.median).toFixed(2)}x`, '', ''],
  ],
  'lrrr',
);

// --- 300-resource plan, one AMI the account cannot see ----------------------------------------------------------
const plan = await benchPlanCalls(env);
const planActions = ['DescribeImages', 'DescribeInstanceTypes', 'DescribeInstanceTypeOfferings'];
const planRegions = [...new Set([...PLAN_REGIONS, ...plan.calls.keys()])];
printTable(
  `A ${PLAN_RESOURCES}-resource Terraform plan in ${PLAN_REGIONS.length} regions naming one AMI the account cannot see (${INVISIBLE_AMI}): EC2 calls by signing region`,
  ['region', ...planActions, 'total', 'goal'],
  planRegions.map((region) => {
    const byAction = plan.calls.get(region) ?? new Map<string, number>();
    const total = [...byAction.values()].reduce((a, b) => a + b, 0);
    const expected = (PLAN_REGIONS as readonly string[]).includes(region);
    return [region, ...planActions.map((action) => String(byAction.get(action) ?? 0)), String(total), expected ? goal(total <= 3, '<= 3') : 'MISS unexpected region'];
  }),
  'lrrrrl',
);
console.log(`  ${plan.results} results (exit ${plan.exitCode}); unverifiable: ${plan.unverifiable.join('; ') || 'none'}`);
for (const problem of plan.problems) console.log(`  problem: ${problem}`);

// --- 1,000 targets -----------------------------------------------------------------------------------------------
const many = await benchManyTargets(env);
const actions = ['DescribeImages', 'DescribeInstanceTypes', 'DescribeInstanceTypeOfferings'];
const otherActions = [...new Set([...many.calls.values()].flatMap((byAction) => [...byAction.keys()]))].filter((a) => !actions.includes(a));
const columns = [...actions, ...otherActions];
const regionsSeen = [...new Set([...REGIONS, ...many.calls.keys()])];
const callRows = regionsSeen.map((region) => {
  const byAction = many.calls.get(region) ?? new Map<string, number>();
  const total = [...byAction.values()].reduce((a, b) => a + b, 0);
  const expected = (REGIONS as readonly string[]).includes(region);
  return [region, ...columns.map((action) => String(byAction.get(action) ?? 0)), String(total), expected ? goal(total <= 4, '<= 4') : 'MISS unexpected region'];
});
printTable(
  `${int(many.targets)} targets in one manifest against a local EC2 endpoint: ${REGIONS.length} regions x ${AMIS_PER_REGION} AMIs x ${TYPES.length} instance types, API calls by signing region`,
  ['region', ...columns, 'total', 'goal'],
  callRows,
  `l${'r'.repeat(columns.length)}rl`,
);
const summary = many.summary;
printTable(
  `${int(many.targets)} targets, one run of imglint check --manifest <file> --format json (fresh catalog cache)`,
  ['', 'value', 'goal'],
  [
    ['wall time (spawn to exit)', ms(many.ms), goal(many.ms <= 2000, '<= 2,000 ms')],
    ['results', int(many.results), goal(many.results === many.targets, `= ${int(many.targets)}`)],
    ['failed', summary ? int(summary.failed) : '-', ''],
    ['passed / unverifiable / errored', summary ? `${int(summary.passed)} / ${int(summary.unverifiable)} / ${int(summary.errored)}` : '-', ''],
    ['exit code', String(many.exitCode), ''],
  ],
);
for (const problem of many.problems) console.log(`  problem: ${problem}`);

// --- 10,000-resource plan, offline ------------------------------------------------------------------------------
const large = await benchLargePlan({ ...env, ...warm });
const largeRatio = large.ms / offlineStats.median;
printTable(
  `A ${int(large.resources)}-resource Terraform plan (${int(large.planBytes / 1024)} KiB of JSON), imglint check --offline --plan --image-file --format json=<file>`,
  ['', 'value', 'goal'],
  [
    ['wall time (spawn to exit)', ms(large.ms), ''],
    ['ratio to one offline one-pair check (failing pair, warm)', `${largeRatio.toFixed(2)}x`, goal(largeRatio <= 8, '<= 8x')],
    ['peak RSS', large.maxRssKiB === undefined ? '-' : `${int(large.maxRssKiB / 1024)} MiB`, ''],
    ['results', int(large.results), goal(large.results === large.resources, `= ${int(large.resources)}`)],
    ['exit code', String(large.exitCode), ''],
  ],
);
for (const problem of large.problems) console.log(`  problem: ${problem}`);

// --- Rule evaluation ---------------------------------------------------------------------------------------------
const rate = await benchRuleRate();
const rateRow = (label: string, r: Rate, target: string) => [
  label,
  int(r.pairs),
  `${r.seconds.toFixed(2)} s`,
  int(r.pairsPerSecond),
  `${int(r.minRound)} - ${int(r.maxRound)}`,
  int(r.perPass),
  target,
];
printTable(
  `Rule evaluation in-process (dist/index.js): ${rate.images} us-east-1 AMIs x ${int(rate.types)} embedded types = ${int(rate.images * rate.types)} pairs per pass, ${rate.rules} AWS rules, after 2 warm-up passes`,
  ['', 'pairs', 'time', 'pairs/s', 'pairs/s per round (min - max)', 'hits per pass', 'goal'],
  [
    rateRow('violates only', rate.violatesOnly, goal(rate.violatesOnly.pairsPerSecond >= 2e6, '>= 2,000,000 pairs/s')),
    rateRow('full lint() with messages', rate.lint, '(informational)'),
  ],
  'lrrrrrl',
);
console.log('  hits per pass: rule violations (violates only) or findings (lint) in one pass; equal by construction');

for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
console.log(`\nbench took ${(Number(process.hrtime.bigint() - benchStart) / 1e9).toFixed(1)} s (goal: under ~60 s)`);
