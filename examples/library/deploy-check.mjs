#!/usr/bin/env node
/**
 * A deploy script that refuses to launch what EC2 would refuse: every image of the release is checked against
 * every instance type it will run on, with imglint's library API, before anything is created.
 *
 *   npm run build                                   # once: the library is dist/
 *   node examples/library/deploy-check.mjs          # the fleet below; exits 1 (the PV AMI cannot run on t2.micro)
 *   node examples/library/deploy-check.mjs examples/aws/ami-0006118602dfc1c09.json=t3.micro,c5.large
 *
 * Each argument is IMAGE_FILE=TYPE[,TYPE...]; with arguments, they replace the fleet. It runs offline on the
 * embedded catalog (no credentials, no network); drop `offline` and pass `image: 'ami-...'` to ask EC2 instead.
 *
 * Exit codes follow `imglint check`: 0 every target can launch, 1 some cannot, 2 usage or input error (unknown
 * instance type, malformed image file, invalid .imglint.yaml), 3 provider or network error.
 */
import { fileURLToPath } from 'node:url';
// Inside this repository `imglint` resolves to the package itself (a self-reference through package.json
// "exports", built by `npm run build`); in your project it is the installed dependency.
import { applyConfig, check, ImglintError, loadConfig } from 'imglint';

const example = (file) => fileURLToPath(new URL(`../aws/${file}`, import.meta.url));

/** The release: which image launches on which instance types. These are real us-east-1 AMIs (examples/aws). */
const FLEET = [
  // Amazon Linux 2023, x86_64: the API servers.
  { imageFile: example('ami-0006118602dfc1c09.json'), types: ['t3.micro'] },
  // Amazon Linux 2023, arm64: the Graviton workers.
  { imageFile: example('ami-04fc404d256fd34a2.json'), types: ['m6g.large'] },
  // A paravirtual Amazon Linux AMI on t2.micro: EC2 answers InvalidParameterCombination (HVM only).
  { imageFile: example('ami-0e972d2890378139a.json'), types: ['t2.micro'] },
];

/** `IMAGE_FILE=TYPE[,TYPE...]` arguments, when given, replace the fleet. */
function fleetFrom(args) {
  if (args.length === 0) return FLEET;
  return args.map((arg) => {
    const at = arg.lastIndexOf('=');
    if (at <= 0 || at === arg.length - 1) throw new UsageArgumentError(`expected IMAGE_FILE=TYPE[,TYPE...], got "${arg}"`);
    return { imageFile: arg.slice(0, at), types: arg.slice(at + 1).split(',').filter(Boolean) };
  });
}

class UsageArgumentError extends Error {}

async function main() {
  const fleet = fleetFrom(process.argv.slice(2));

  // The team's .imglint.yaml (from here up to the repository root), as `imglint check` reads it: failOn, rule
  // severities and ignores with reasons. None found: imglint's defaults.
  const loaded = await loadConfig({ cwd: process.cwd() });
  const now = new Date();

  // One check per image (every image x type pair is judged), all at once; then one report for the whole fleet, so
  // the configuration is applied once (an ignore is "unused" only if no target of the fleet matches it).
  const reports = await Promise.all(
    // `config: false`: check() would apply .imglint.yaml to each image's report; here it is applied once, below.
    fleet.map(({ imageFile, types }) => check({ imageFile, type: types, region: 'us-east-1', offline: true, failOn: loaded?.config.failOn, now, config: false })),
  );
  const fleetReport = { ...reports[0], results: reports.flatMap((report) => report.results) };
  const final = loaded ? applyConfig(fleetReport, loaded.config, loaded.displayPath, now) : fleetReport;

  const { results } = final;
  const failing = results.filter((result) => result.verdict !== 'pass');
  for (const result of failing) {
    const { target } = result;
    const name = result.imageName ? ` (${result.imageName})` : '';
    console.log(`FAIL ${target.image}${name} on ${target.type} in ${target.region}`);
    // The first failing finding: what is wrong, the error the cloud would answer, and the fix.
    const first = result.findings.find((finding) => !finding.suppressed && finding.severity === 'error') ?? result.findings[0];
    if (first) {
      console.log(`  ${first.ruleId}: ${first.message}`);
      if (first.providerError) console.log(`  launch error: ${first.providerError.code}`);
      console.log(`  fix: ${first.fix}`);
    } else if (result.error) {
      console.log(`  could not check: ${result.error.message}`);
    }
  }
  for (const notice of final.notices) console.log(`notice: ${notice}`);
  const suppressed = results.flatMap((result) => result.findings).filter((finding) => finding.suppressed).length;
  const accepted = suppressed > 0 ? ` (${suppressed} accepted finding(s) ignored by ${loaded.displayPath})` : '';
  if (failing.length > 0) {
    console.log(`deploy-check: ${failing.length} of ${results.length} targets cannot launch; not deploying${accepted}`);
    process.exitCode = 1;
  } else {
    console.log(`deploy-check: all ${results.length} targets can launch${accepted}`);
  }
}

try {
  await main();
} catch (error) {
  // imglint throws typed errors; `kind` says whose problem it is (check `ImglintError.is`, not instanceof, so it
  // works across copies of the package).
  if (ImglintError.is(error)) {
    const whose = { usage: 'usage error', input: 'input error', provider: 'provider error' }[error.kind];
    console.error(`deploy-check: ${whose} (${error.code}): ${error.message}`);
    if (error.hint) console.error(`  hint: ${error.hint}`);
    process.exitCode = error.kind === 'provider' ? 3 : 2;
  } else if (error instanceof UsageArgumentError) {
    console.error(`deploy-check: ${error.message}`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
