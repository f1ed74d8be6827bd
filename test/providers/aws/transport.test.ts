/**
 * The AWS provider's time bounds against slow servers on 127.0.0.1 (short limits, so each test takes well under a
 * second): every attempt ends at its limit, body included; retries are counted; the run's limit ends everything.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAwsProvider } from '../../../providers/aws/index.js';
import { rejection } from '../../support/errors.js';
import { FAKE_AWS_ENV } from './ec2-nock.js';

let server: Server;
let url: string;
let answer: (request: IncomingMessage, response: ServerResponse) => void = () => undefined;
let requests = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    requests += 1;
    request.resume();
    request.on('end', () => answer(request, response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(() => {
  requests = 0;
  for (const [name, value] of Object.entries(FAKE_AWS_ENV)) vi.stubEnv(name, value);
  vi.stubEnv('AWS_ENDPOINT_URL', url);
  vi.stubEnv('AWS_RETRY_MODE', 'standard');
  vi.spyOn(Math, 'random').mockReturnValue(0); // no backoff between retries
});

afterEach(() => {
  server.closeAllConnections();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('per-attempt bound', () => {
  it('a server that never answers: each attempt ends at its limit, and the error counts the attempts', async () => {
    vi.stubEnv('AWS_MAX_ATTEMPTS', '3');
    answer = () => undefined;
    const error = await rejection(createAwsProvider({ region: 'us-east-1', attemptTimeoutMs: 200 }).describeImages(['ami-0e972d2890378139a']));
    expect(error).toMatchObject({ kind: 'provider', code: 'Network' });
    expect(error.message).toBe(`Cannot reach EC2 DescribeImages at ${url}/: no complete answer within 0.2 s (3 attempts)`);
    expect(requests).toBe(3);
  });

  it('a body trickled after prompt headers ends at the same limit (the SDK alone would wait for ever)', async () => {
    answer = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/xml' });
      const timer = setInterval(() => response.write(' '), 20);
      response.on('close', () => clearInterval(timer));
    };
    const error = await rejection(createAwsProvider({ region: 'us-east-1', attemptTimeoutMs: 200 }).describeMachineTypes(['c5.large']));
    expect(error.message).toBe(`Cannot reach EC2 DescribeInstanceTypes at ${url}/: no complete answer within 0.2 s`);
  });
});

describe('run bound', () => {
  it('the run limit ends a request whatever the attempts left: Timeout', async () => {
    vi.stubEnv('AWS_MAX_ATTEMPTS', '5');
    answer = () => undefined;
    const error = await rejection(createAwsProvider({ region: 'us-east-1', timeoutMs: 300 }).offeredMachineTypes(['c5.large']));
    expect(error).toMatchObject({ kind: 'provider', code: 'Timeout' });
    expect(error.message).toBe('EC2 DescribeInstanceTypeOfferings did not finish within 0.3 s, the time limit of this run');
    expect(requests).toBe(1);
  });

  it('a shared signal that has fired stops every later call', async () => {
    const signal = AbortSignal.abort();
    const error = await rejection(createAwsProvider({ region: 'us-east-1', signal, timeoutMs: 60_000 }).describeImages(['ami-0e972d2890378139a']));
    expect(error).toMatchObject({ code: 'Timeout', message: 'EC2 DescribeImages did not finish within 60 s, the time limit of this run' });
    expect(requests).toBe(0);
  });
});
