/**
 * SSM parameters under hostile networks (issue 13 for SSM): every request bounded (an attempt, the run's
 * `--timeout`), answers that are not SSM's (empty, HTML, not JSON, no `Parameters` list) a provider error, never
 * "does not exist", redirects refused, messages in imglint's words without credentials or the SDK's internals, a
 * missing region the user's to fix; and an SSM failure is that region's targets' error while the others are checked.
 * Servers on 127.0.0.1 in this process.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveSsmParameters } from '../../providers/aws/ssm.js';
import { collectTargets, type InputFlags } from '../../src/cli/check-inputs.js';
import { checkTargets } from '../../src/engine/check-targets.js';
import { ProviderApiError } from '../../src/errors.js';
import { Report } from '../../src/model/index.js';
import { hasStackTrace, runCliAsync } from '../cli/run-cli.js';
import type { Ec2Endpoint } from '../e2e/ec2-endpoint.js';
import { rejection } from '../support/errors.js';
import { localAwsEnv, startSsmEndpoint, type Misbehavior, type SsmEndpoint } from './ssm-endpoint.js';

const ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const AMI = 'ami-0006118602dfc1c09';
const LATEST = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64';

let misbehavior: Misbehavior | undefined;
let ssm: SsmEndpoint;
let ec2: Ec2Endpoint;

beforeAll(async () => {
  ssm = await startSsmEndpoint({ [LATEST]: AMI, '/myapp/type': 't3.micro' }, (names, response, request) => misbehavior?.(names, response, request) ?? false);
  const { startEc2Endpoint } = await import('../e2e/ec2-endpoint.js');
  ec2 = await startEc2Endpoint([(JSON.parse(readFileSync(`examples/aws/${AMI}.json`, 'utf8')) as { Images: Record<string, unknown>[] }).Images[0]!]);
});

afterEach(() => {
  misbehavior = undefined;
});

afterAll(async () => {
  await ssm?.close();
  await ec2?.close();
});

const answer = (status: number, body: string, headers: Record<string, string> = {}): Misbehavior => (_names, response) => {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', ...headers });
  response.end(body);
  return true;
};
const neverAnswer: Misbehavior = () => true;

/** What no output may hold: credentials, and the SDK's words for its own internals. */
function expectClean(text: string): void {
  for (const secret of [ACCESS_KEY_ID, SECRET_KEY]) expect(text).not.toContain(secret);
  expect(text).not.toMatch(/@smithy|Deserialization error|\$response|Region is missing/);
  expect(hasStackTrace(text)).toBe(false);
}

describe('resolveSsmParameters against a local SSM endpoint', () => {
  const saved = { ...process.env };
  beforeAll(() => {
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SSM: ssm.url,
      AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: SECRET_KEY,
      AWS_MAX_ATTEMPTS: '1',
      AWS_CONFIG_FILE: '/nonexistent/imglint-test-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/imglint-test-credentials',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    delete process.env.AWS_PROFILE;
  });
  afterAll(() => {
    process.env = saved;
  });
  const resolve = (options = {}) => resolveSsmParameters([LATEST, '/myapp/missing'], { region: 'us-east-1', ...options });

  it('reads values, and names that do not exist', async () => {
    const answers = await resolve();
    expect(answers.get(LATEST)).toEqual({ value: AMI });
    expect(answers.get('/myapp/missing')).toEqual({ reason: 'the SSM parameter /myapp/missing does not exist in us-east-1, or the credentials cannot read it' });
  });

  it('takes a 200 that is not an SSM answer as a malformed response, never as "does not exist"', async () => {
    for (const [body, problem] of [
      ['', 'the HTTP 200 body is empty'],
      ['<!DOCTYPE html><html><body>captive portal</body></html>', 'the HTTP 200 body is an HTML page, not SSM JSON'],
      ['{"Parameters": [', 'the HTTP 200 body is cut short or not well-formed JSON'],
      ['[]', 'the HTTP 200 body is JSON, but not an object'],
    ] as const) {
      misbehavior = answer(200, body);
      const error = await rejection(resolve());
      expect(error, body).toMatchObject({ kind: 'provider', code: 'MalformedResponse' });
      expect(error.message).toBe(`malformed response from SSM GetParameters at ${ssm.url}/: ${problem}`);
    }
    misbehavior = answer(200, '{}');
    expect(await rejection(resolve())).toMatchObject({ code: 'MalformedResponse', message: 'malformed response from SSM GetParameters in us-east-1: the answer has no Parameters list' });
  });

  it('bounds an endpoint that never answers: by attempt, and by the run limit', async () => {
    misbehavior = neverAnswer;
    const attempt = await rejection(resolve({ attemptTimeoutMs: 200 }));
    expect(attempt).toMatchObject({ code: 'Network', message: `Cannot reach SSM GetParameters at ${ssm.url}/: no complete answer within 0.2 s` });
    const run = await rejection(resolve({ signal: AbortSignal.timeout(200), timeoutMs: 200 }));
    expect(run).toMatchObject({ code: 'Timeout', message: 'SSM GetParameters in us-east-1 did not finish within 0.2 s, the time limit of this run' });
  });

  it('refuses redirects; says which permission is missing; redacts an error that echoes credentials', async () => {
    misbehavior = answer(307, '', { location: 'http://198.51.100.7/steal' });
    expect(await rejection(resolve())).toMatchObject({ code: 'Redirect', message: expect.stringContaining('the answer is HTTP 307, a redirect to http://198.51.100.7') });
    misbehavior = answer(400, JSON.stringify({ __type: 'AccessDeniedException', message: 'User is not authorized to perform: ssm:GetParameters' }));
    expect(await rejection(resolve())).toMatchObject({ code: 'AuthFailure', hint: 'allow ssm:GetParameters for these credentials' });
    misbehavior = answer(400, JSON.stringify({ __type: 'ValidationException', message: `bad request from ${ACCESS_KEY_ID} signed with ${SECRET_KEY}` }));
    const echoed = await rejection(resolve());
    expect(echoed.code).toBe('ServiceError');
    expectClean(`${echoed.message} ${echoed.hint ?? ''}`);
    misbehavior = answer(502, '<html>bad gateway</html>', { 'content-type': 'text/html' });
    expect(await rejection(resolve())).toMatchObject({ code: 'MalformedResponse', message: 'malformed response from SSM GetParameters: the HTTP 502 body is not well-formed JSON' });
  });

  it('without a region, says so as EC2 does (the user\'s to fix)', async () => {
    expect(await rejection(resolveSsmParameters([LATEST], {}))).toMatchObject({ kind: 'usage', message: 'No AWS region is configured' });
  });
});

describe('an SSM failure is its targets\' error; the other targets are checked', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'imglint-cfn-ssm-'));
  const template = path.join(dir, 'ssm.yaml');
  writeFileSync(
    template,
    `Parameters:\n  Latest: {Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: ${LATEST}}\nResources:\n  Tools: {Type: AWS::EC2::Instance, Properties: {ImageId: !Ref Latest, InstanceType: t3.micro}}\n  Sized: {Type: AWS::EC2::Instance, Properties: {ImageId: ${AMI}, InstanceType: '{{resolve:ssm:/myapp/type}}'}}\n  Web: {Type: AWS::EC2::Instance, Properties: {ImageId: ${AMI}, InstanceType: t3.micro}}\n`,
  );
  const env = (extra: Record<string, string> = {}) => ({ ...localAwsEnv(ec2.url, ssm.url), AWS_ACCESS_KEY_ID: ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET_KEY, AWS_REGION: 'us-east-1', ...extra });
  const check = (args: string[] = [], extra: Record<string, string> = {}) => runCliAsync(['check', '--cloudformation', template, '--format', 'json', ...args], env(extra));

  it('resolves an SSM instance type live, like an image', async () => {
    const run = await check();
    expect(run.stderr).toBe('');
    const report = Report.parse(JSON.parse(run.stdout));
    expect(report.results.map((r) => [r.target.source?.address, r.target.image, r.target.type, r.verdict])).toEqual([
      ['Tools', AMI, 't3.micro', 'pass'],
      ['Sized', AMI, 't3.micro', 'pass'],
      ['Web', AMI, 't3.micro', 'pass'],
    ]);
  });

  it('writes the report with the others checked, in bounded time, in its own words (--timeout 2, an SSM that never answers)', async () => {
    misbehavior = neverAnswer;
    const run = await check(['--timeout', '2']);
    expectClean(run.stdout + run.stderr);
    const report = Report.parse(JSON.parse(run.stdout));
    const byAddress = new Map(report.results.map((r) => [r.target.source?.address, r]));
    expect(byAddress.get('Web')!.verdict).toBe('pass');
    for (const address of ['Tools', 'Sized']) {
      expect(JSON.stringify(byAddress.get(address))).toContain('SSM GetParameters in us-east-1 did not finish within 2 s, the time limit of this run');
    }
  });

  it('collects the failure as the targets\' error: a provider error for SSM trouble, a usage error without a region', async () => {
    const flags: InputFlags = { image: [], imageFile: [], type: [], flavor: [], plan: [], manifest: [], cloudformation: [template], parameter: [], availabilityZone: [], flavorFile: [] };
    const saved = { ...process.env };
    Object.assign(process.env, env({ AWS_CONFIG_FILE: '/nonexistent/imglint-test-config', AWS_EC2_METADATA_DISABLED: 'true' }));
    try {
      misbehavior = answer(200, '');
      const targets = await collectTargets(flags, 'aws', 'us-east-1');
      expect(targets.map((t) => [t.source?.address, t.error?.kind, t.error?.code])).toEqual([
        ['Tools', 'provider', 'MalformedResponse'],
        ['Sized', 'provider', 'MalformedResponse'],
        ['Web', undefined, undefined],
      ]);
      delete process.env.AWS_REGION;
      const unset = await collectTargets(flags, 'aws', undefined);
      expect(unset[0]!.error).toMatchObject({ kind: 'usage', message: 'No AWS region is configured' });
    } finally {
      process.env = saved;
    }
  });

  it('exits 3 with the report written when SSM fails', async () => {
    misbehavior = answer(200, '');
    const run = await check();
    expect(run.status).toBe(3);
    const report = Report.parse(JSON.parse(run.stdout));
    expect(report.results.map((r) => [r.target.source?.address, r.verdict, r.error?.code])).toEqual([
      ['Tools', 'error', 'MalformedResponse'],
      ['Sized', 'error', 'MalformedResponse'],
      ['Web', 'pass', undefined],
    ]);
  });
});
