// A pass-through HTTP proxy in front of the test EC2 endpoint that counts calls per signing region and Action
// (the endpoint itself counts by Action only). The region is read from the SigV4 credential scope, as the
// endpoint reads it.
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountingProxy {
  url: string;
  /** region -> Action -> calls */
  calls: Map<string, Map<string, number>>;
  close(): Promise<void>;
}

function signedRegion(authorization: string | undefined): string {
  return /Credential=[^/]+\/\d+\/([^/]+)\/ec2\//.exec(authorization ?? '')?.[1] ?? '(unsigned)';
}

async function readBody(message: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of message) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const calls = new Map<string, Map<string, number>>();
  const server = createServer((request, response) => {
    void readBody(request).then((body) => {
      const region = signedRegion(request.headers.authorization);
      const action = new URLSearchParams(body.toString()).get('Action') ?? '(none)';
      const byAction = calls.get(region) ?? new Map<string, number>();
      byAction.set(action, (byAction.get(action) ?? 0) + 1);
      calls.set(region, byAction);
      const forward = httpRequest(
        { hostname: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: request.headers },
        (reply) => {
          response.writeHead(reply.statusCode ?? 502, reply.headers);
          reply.pipe(response);
        },
      );
      forward.on('error', (error) => {
        response.writeHead(502);
        response.end(String(error));
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
