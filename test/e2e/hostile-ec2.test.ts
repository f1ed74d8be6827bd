/**
 * The built CLI against EC2 endpoints that answer badly (servers on 127.0.0.1 in this process): empty, HTML, non-XML
 * and cut-short 200 bodies, bodies that never end or are too large, redirects, error texts that echo the signed
 * request, servers that never answer. Every case ends in bounded time with exit 3 and a message in imglint's words,
 * caches nothing, and prints no credential and none of the SDK's internals.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { errorXml } from '../fixtures/aws/ec2-xml.js';
import { hasStackTrace, runCliAsync } from '../cli/run-cli.js';
import { writeOversizeBody } from '../support/oversize-body.js';
import { startEc2Endpoint, type Ec2Endpoint } from './ec2-endpoint.js';

type Behavior = (response: ServerResponse, request: IncomingMessage) => void;

const ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SESSION_TOKEN = `IQoJb3JpZ2luX2VjEXAMPLE${'x'.repeat(40)}`;

let upstream: Ec2Endpoint;
let hostile: Server;
let url: string;
const behaviors = new Map<string, Behavior>();

beforeAll(async () => {
  const pv = (JSON.parse(readFileSync('examples/aws/ami-0e972d2890378139a.json', 'utf8')) as { Images: Record<string, unknown>[] }).Images[0]!;
  upstream = await startEc2Endpoint([pv]);
  hostile = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const action = new URLSearchParams(body.toString()).get('Action') ?? '';
      const behave = behaviors.get(action);
      if (behave) return behave(response, request);
      // Every other action: the well-behaved endpoint's answer.
      const target = new URL(upstream.url);
      const forward = httpRequest({ hostname: target.hostname, port: target.port, method: 'POST', path: '/', headers: request.headers }, (reply) => {
        response.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(response);
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
});

afterEach(() => {
  behaviors.clear();
});

afterAll(async () => {
  hostile.closeAllConnections();
  await new Promise<void>((resolve) => hostile.close(() => resolve()));
  await upstream.close();
});

function env(extra: Record<string, string> = {}) {
  return {
    AWS_ENDPOINT_URL: url,
    AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: SECRET_KEY,
    AWS_SESSION_TOKEN: SESSION_TOKEN,
    AWS_REGION: 'us-east-1',
    AWS_MAX_ATTEMPTS: '1',
    ...extra,
  };
}

const check = (extra: string[] = [], environment: Record<string, string> = env()) =>
  runCliAsync(['check', '--image', 'ami-0e972d2890378139a', '--type', 't2.micro', ...extra], environment);

/** What no output may hold: credentials, and the SDK's words for its own internals. */
function expectClean(text: string): void {
  for (const secret of [ACCESS_KEY_ID, SECRET_KEY, SESSION_TOKEN, SESSION_TOKEN.slice(0, 30)]) expect(text).not.toContain(secret);
  expect(text).not.toMatch(/Signature=[0-9a-f]{16}/);
  expect(text).not.toMatch(/Deserialization error|\$response|@smithy|@aws-sdk|Unknown: Unknown/);
}

const xml200 = (body: string): Behavior => (response) => {
  response.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8' });
  response.end(body);
};

describe('a 200 that is not the answer is a provider error (exit 3), never a verdict, never cached', () => {
  const bodies: [string, string, RegExp][] = [
    ['an empty body', '', /the HTTP 200 body is empty/],
    ['an HTML page', '<!DOCTYPE html><html><head><title>Sign in to the Wi-Fi</title></head><body></body></html>', /is an HTML page/],
    ['text', 'OK', /is not XML/],
    ['another document', '<Response><Errors><Error><Code>X</Code></Error></Errors></Response>', /is <Response> XML, not </],
    ['a body cut short', '<DescribeInstanceTypeOfferingsResponse><instanceTypeOfferingSet><item><instanceType>t2.micro', /cut short/],
  ];
  const actions = ['DescribeInstanceTypeOfferings', 'DescribeImages', 'DescribeInstanceTypes'];

  it.each(actions.flatMap((action) => bodies.map(([what, body, expected]) => [action, what, body, expected] as const)))(
    '%s answering %s',
    async (action, _what, body, expected) => {
      behaviors.set(action, xml200(body.replace('DescribeInstanceTypeOfferings', action)));
      const cacheDir = mkdtempSync(path.join(tmpdir(), 'imglint-hostile-cache-'));
      const run = await check(['--format', 'json'], env({ IMGLINT_CACHE_DIR: cacheDir }));
      expect(run.status).toBe(3);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(`imglint: malformed response from EC2 ${action} at ${url}/: `);
      expect(run.stderr).toMatch(expected);
      expect(run.stderr).toContain('hint: check AWS_ENDPOINT_URL');
      expectClean(run.stderr);
      expect(hasStackTrace(run.stderr)).toBe(false);
      // The other lookups may have been cached; the bad answer's never is.
      const files = existsSync(path.join(cacheDir, 'aws', 'us-east-1')) ? readdirSync(path.join(cacheDir, 'aws', 'us-east-1')) : [];
      if (action === 'DescribeInstanceTypeOfferings') expect(files).not.toContain('offerings.json');
      if (action === 'DescribeInstanceTypes') expect(files).not.toContain('instance-types.json');
    },
  );

  it('in a plan run, the bad answer makes the group error with exit 3, not findings', async () => {
    behaviors.set('DescribeInstanceTypeOfferings', xml200(''));
    const dir = mkdtempSync(path.join(tmpdir(), 'imglint-hostile-'));
    const manifest = path.join(dir, 'imglint.yaml');
    writeFileSync(manifest, 'targets:\n  - provider: aws\n    region: us-east-1\n    image: ami-0e972d2890378139a\n    type: t2.micro\n');
    const run = await runCliAsync(['check', '--manifest', manifest, '--format', 'json'], env());
    expect(run.status).toBe(3);
    const report = JSON.parse(run.stdout) as { results: { verdict: string; findings: unknown[]; error?: { code: string } }[] };
    expect(report.results.map((result) => [result.verdict, result.error?.code, result.findings.length])).toEqual([['error', 'MalformedResponse', 0]]);
  });
});

describe('bounded in time and size', () => {
  it('a body trickled at 1 byte/s ends at --timeout with exit 3', async () => {
    behaviors.set('DescribeImages', (response) => {
      response.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8' });
      const timer = setInterval(() => response.write('<'), 1_000);
      response.on('close', () => clearInterval(timer));
    });
    const run = await check(['--timeout', '2']);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('imglint: EC2 DescribeImages did not finish within 2 s, the time limit of this run');
    expect(run.stderr).toContain('hint: raise it with --timeout <seconds>');
    expectClean(run.stderr);
  });

  it('a server that never answers ends at --timeout with exit 3', async () => {
    behaviors.set('DescribeImages', () => undefined);
    const run = await check(['--timeout', '1'], env({ AWS_MAX_ATTEMPTS: '5' }));
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('did not finish within 1 s');
  });

  it('a body larger than 32 MiB is cut off: exit 3, malformed response', async () => {
    behaviors.set('DescribeImages', (response) => {
      response.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8' });
      response.write('<DescribeImagesResponse><imagesSet>');
      writeOversizeBody(response, 'x');
    });
    const run = await check();
    expect(run.status).toBe(3);
    expect(run.stderr).toContain(`imglint: malformed response from EC2 DescribeImages at ${url}/: the answer is larger than 32 MiB`);
  });

  it('a Content-Length over the limit is refused before reading', async () => {
    behaviors.set('DescribeImages', (response) => {
      response.writeHead(200, { 'content-type': 'text/xml', 'content-length': String(300 * 1024 * 1024) });
      response.write('<DescribeImagesResponse>');
    });
    const run = await check();
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('the answer is larger than 32 MiB');
  });
});

describe('messages in imglint words', () => {
  it('a redirect is refused, never followed with the signed request', async () => {
    let followed = 0;
    const elsewhere = createServer((_request, response) => {
      followed += 1;
      response.end();
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    const target = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
    behaviors.set('DescribeImages', (response) => {
      response.writeHead(307, { location: `${target}/steal?token=abc` });
      response.end();
    });
    const run = await check();
    elsewhere.close();
    expect(run.status).toBe(3);
    expect(run.stderr).toContain(
      `imglint: EC2 DescribeImages at ${url}/ was not answered: the answer is HTTP 307, a redirect to ${target}, which imglint does not follow with signed requests`,
    );
    expect(run.stderr).toContain('hint: set AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_EC2)');
    expect(run.stderr).not.toContain('steal?token');
    expect(followed).toBe(0);
    expectClean(run.stderr);
  });

  it('a 502 page from a proxy says the answer is not an EC2 error', async () => {
    behaviors.set('DescribeImages', (response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<html><body>Bad Gateway</body></html>');
    });
    const run = await check();
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('imglint: EC2 DescribeImages failed (HTTP 502): the answer is not an EC2 error document');
    expectClean(run.stderr);
  });

  it('an error document that is not XML-complete is a malformed response, without the SDK\'s pointer to $response', async () => {
    behaviors.set('DescribeImages', (response) => {
      response.writeHead(400, { 'content-type': 'text/xml' });
      response.end('<Response><Errors><Error><Code>Bad</Code>');
    });
    const run = await check();
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/^imglint: (malformed response from EC2 DescribeImages|EC2 DescribeImages failed)/);
    expectClean(run.stderr);
  });
});

describe('no credentials in what the CLI prints', () => {
  /** An error whose text echoes the request's headers, as a hostile or debugging proxy might. */
  const echo: Behavior = (response, request) => {
    const { authorization, 'x-amz-security-token': token } = request.headers;
    response.writeHead(400, { 'content-type': 'text/xml' });
    response.end(
      errorXml('InvalidParameterValue', `bad request; Authorization: ${authorization}; X-Amz-Security-Token: ${token}; key ${SECRET_KEY}`, 'req-1'),
    );
  };

  it.each([[[] as string[]], [['--debug']]])('an error echoing the signed headers, flags %j', async (flags) => {
    behaviors.set('DescribeImages', echo);
    const run = await runCliAsync([...flags, 'check', '--image', 'ami-0e972d2890378139a', '--type', 't2.micro'], env());
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('imglint: EC2 DescribeImages failed (HTTP 400): InvalidParameterValue: bad request');
    expect(run.stderr).toContain('[redacted]');
    expectClean(run.stderr);
    if (flags.includes('--debug')) expect(run.stderr).toContain('caused by:');
  });

  it('--debug prints one redacted line per request and nothing from the SDK without it', async () => {
    const quiet = await check([], env());
    expect(quiet.stderr).toBe('');
    const loud = await runCliAsync(['--debug', 'check', '--image', 'ami-0e972d2890378139a', '--type', 't2.micro'], env());
    expect(loud.stderr).toMatch(new RegExp(`^imglint: debug: EC2 DescribeImages ${url}/: HTTP 200, \\d+ bytes, \\d+ ms$`, 'm'));
    expectClean(loud.stderr);
  });

  it('error texts are capped', async () => {
    behaviors.set('DescribeImages', (response) => {
      response.writeHead(400, { 'content-type': 'text/xml' });
      response.end(errorXml('InvalidParameterValue', 'y'.repeat(100_000), 'req-1'));
    });
    const run = await check();
    expect(run.status).toBe(3);
    expect(run.stderr.length).toBeLessThan(1_000);
  });
});

describe('--timeout for every command that asks EC2', () => {
  it('matrix ends at --timeout with exit 3 when the listing never comes', async () => {
    behaviors.set('DescribeInstanceTypes', () => undefined);
    const run = await runCliAsync(['matrix', '--image', 'ami-0e972d2890378139a', '--region', 'us-east-1', '--timeout', '1'], env({ AWS_MAX_ATTEMPTS: '5' }));
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('imglint: EC2 DescribeInstanceTypes did not finish within 1 s, the time limit of this run');
    expectClean(run.stderr);
  });

  it('catalog pull ends at --timeout with exit 3 and writes no snapshot', async () => {
    behaviors.set('DescribeInstanceTypeOfferings', () => undefined);
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'imglint-pull-')), 'snapshot.json');
    const run = await runCliAsync(['catalog', 'pull', '--region', 'us-east-1', '--out', out, '--timeout', '1'], env({ AWS_MAX_ATTEMPTS: '5' }));
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('did not finish within 1 s, the time limit of this run');
    expect(existsSync(out)).toBe(false);
  });

  it('--help of matrix and catalog pull documents it', async () => {
    for (const command of [['matrix'], ['catalog', 'pull']]) {
      expect((await runCliAsync([...command, '--help'])).stdout).toMatch(/--timeout <seconds>\s+stop EC2 or OpenStack calls after this many seconds in\s+all, exit 3/);
    }
  });
});
