/**
 * Shared by test/examples and test/e2e/ci-gate.test.ts: the built CLI run asynchronously in any working directory,
 * a local EC2-compatible endpoint that knows the example AMIs, the SARIF 2.1.0 validator and a JUnit parser.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { afterAll, beforeAll } from 'vitest';
import { create } from 'xmlbuilder2';
import type { Ec2Endpoint } from '../e2e/ec2-endpoint.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const bin = path.join(repoRoot, 'bin', 'imglint.js');

/** The example plan, as the CLI is given it from the repository root. */
export const PLAN = 'examples/terraform/plan.json';
/** The AMIs examples/terraform/plan.json launches (examples/aws has each one's describe-images output). */
export const PLAN_AMIS = ['ami-0e972d2890378139a', 'ami-0006118602dfc1c09', 'ami-04fc404d256fd34a2', 'ami-05448533fbe614dce', 'ami-01f446d4eeaed8a3c'];

export const tempDir = (prefix = 'imglint-test-') => mkdtempSync(path.join(tmpdir(), prefix));

/** No AWS configuration from the machine running the tests, no colour, no GitHub Actions environment. */
function baseEnv(): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_') && !key.startsWith('GITHUB_')));
  return {
    ...clean,
    NO_COLOR: '1',
    AWS_CONFIG_FILE: '/nonexistent/imglint-test-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/imglint-test-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    IMGLINT_CACHE_DIR: tempDir('imglint-cache-'),
  };
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node <bin> ...args` (or another script) without blocking the event loop, so a server in this process can
 * answer it. Working directory: the repository root unless `cwd` says otherwise; a fresh catalog cache each run.
 */
export function run(args: readonly string[], options: { cwd?: string; env?: Record<string, string>; script?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [options.script ?? bin, ...args],
      { cwd: options.cwd ?? repoRoot, encoding: 'utf8', env: { ...baseEnv(), ...options.env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

/**
 * A local EC2-compatible endpoint (test/e2e/ec2-endpoint.ts: moto's instance types and offerings, EC2's XML)
 * that knows the plan's AMIs, and the environment that points the AWS SDK at it. This is how the plan's AMIs are
 * looked up in tests: `--offline` cannot resolve an AMI ID (images are never embedded), and a plan has no
 * `--image-file` equivalent.
 */
export async function startPlanEndpoint(): Promise<{ endpoint: Ec2Endpoint; env: Record<string, string> }> {
  const { startEc2Endpoint } = await import('../e2e/ec2-endpoint.js');
  const images = PLAN_AMIS.map((id) => (JSON.parse(readFileSync(path.join(repoRoot, 'examples', 'aws', `${id}.json`), 'utf8')) as { Images: object[] }).Images[0]!);
  const endpoint = await startEc2Endpoint(images as Record<string, unknown>[]);
  const env = {
    AWS_ENDPOINT_URL: endpoint.url,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    AWS_REGION: 'us-east-1',
    AWS_MAX_ATTEMPTS: '1',
  };
  return { endpoint, env };
}

/**
 * Registers hooks that start {@link startPlanEndpoint} before the tests of the enclosing suite and close it after them.
 *
 * @returns the endpoint and its environment, for tests (there is none while the suite is being collected).
 */
export function usePlanEndpoint(): () => { endpoint: Ec2Endpoint; env: Record<string, string> } {
  let started: { endpoint: Ec2Endpoint; env: Record<string, string> } | undefined;
  beforeAll(async () => {
    started = await startPlanEndpoint();
  });
  afterAll(async () => {
    await started?.endpoint.close();
    started = undefined;
  });
  return () => {
    if (started === undefined) throw new Error('no plan endpoint outside a test: usePlanEndpoint starts it in a before hook');
    return started;
  };
}

/** Whether `text` (a run's stderr) holds a stack trace: input errors must be reported without one. */
export const hasStackTrace = (text: string) => /^\s+at .+:\d+:\d+\)?$/m.test(text);

const require = createRequire(import.meta.url);
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;

/**
 * The OASIS SARIF 2.1.0 schema vendored in test/fixtures/sarif, compiled as test/report/sarif.test.ts compiles it:
 * draft-04 `id` becomes `$id` and the draft-04 meta-schema reference goes.
 */
export function sarifValidator() {
  const { $schema: _draft04, id, ...schema } = JSON.parse(readFileSync(path.join(repoRoot, 'test', 'fixtures', 'sarif', 'sarif-schema-2.1.0.json'), 'utf8'));
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile({ $id: id, ...schema });
}

/** The few DOM members the tests read (xmlbuilder2 parses into a W3C DOM). */
export interface XmlElement {
  readonly tagName: string;
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
  getElementsByTagName(name: string): ArrayLike<XmlElement>;
}

/** Parses XML (throws when it is not well-formed) and returns the root element. */
export function parseXml(xml: string): XmlElement {
  return create(xml).root().node as unknown as XmlElement;
}

export const elements = (element: XmlElement, tag: string) => Array.from(element.getElementsByTagName(tag));
export const junitCounts = (element: XmlElement) => ({
  tests: Number(element.getAttribute('tests')),
  failures: Number(element.getAttribute('failures')),
  errors: Number(element.getAttribute('errors')),
  skipped: Number(element.getAttribute('skipped')),
});

/** Splits a shell command line of plain words (no quotes, no expansions), as the examples' imglint lines are. */
export function words(commandLine: string): string[] {
  if (/["'$`\\|;&<>]/.test(commandLine)) throw new Error(`not a plain command line: ${commandLine}`);
  return commandLine.trim().split(/\s+/);
}
