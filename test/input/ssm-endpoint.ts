import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local SSM endpoint on 127.0.0.1 speaking the real protocol of `GetParameters` (AWS JSON 1.1: POST with
 * `X-Amz-Target: AmazonSSM.GetParameters`, `{"Names": [...]}` in, `{"Parameters": [...], "InvalidParameters": [...]}`
 * out), with the parameters a test gives it. It refuses more than 10 names a call, as SSM does, and records the
 * names of every call. `misbehave` answers a call instead (a hostile or broken endpoint) when it returns true.
 */
export interface SsmEndpoint {
  url: string;
  calls: string[][];
  close(): Promise<void>;
}

/** Answers one call its own way (and returns true), or leaves it to the endpoint (false). */
export type Misbehavior = (names: readonly string[], response: ServerResponse, request: IncomingMessage) => boolean;

export async function startSsmEndpoint(parameters: Record<string, string>, misbehave?: Misbehavior): Promise<SsmEndpoint> {
  const calls: string[][] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const reply = (status: number, payload: unknown) => {
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `req-${calls.length}` });
        response.end(JSON.stringify(payload));
      };
      if (request.headers['x-amz-target'] !== 'AmazonSSM.GetParameters') {
        return reply(400, { __type: 'UnknownOperationException', message: `unknown operation ${String(request.headers['x-amz-target'])}` });
      }
      const names = (JSON.parse(body) as { Names: string[] }).Names;
      calls.push(names);
      if (misbehave?.(names, response, request)) return;
      if (names.length > 10) {
        return reply(400, { __type: 'ValidationException', message: `1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length less than or equal to 10` });
      }
      const found = names.filter((name) => Object.hasOwn(parameters, name));
      return reply(200, {
        Parameters: found.map((name) => ({ Name: name, Type: 'String', Value: parameters[name], Version: 1, DataType: 'aws:ec2:image', ARN: `arn:aws:ssm:us-east-1::parameter${name}` })),
        InvalidParameters: names.filter((name) => !found.includes(name)),
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** The environment a CLI run needs to talk to a local EC2 endpoint and a local SSM endpoint, with test credentials. */
export function localAwsEnv(ec2Url: string, ssmUrl: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: ec2Url,
    AWS_ENDPOINT_URL_SSM: ssmUrl,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    AWS_MAX_ATTEMPTS: '1',
  };
}
