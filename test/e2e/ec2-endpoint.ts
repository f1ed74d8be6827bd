import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dataFolder, readDataJson } from '../support/data.js';
import { describeImagesXml, describeInstanceTypeOfferingsXml, describeInstanceTypesXml, errorXml } from '../fixtures/aws/ec2-xml.js';

/**
 * A local EC2-compatible endpoint on 127.0.0.1 speaking the real query protocol (form-encoded POST in, EC2 XML out),
 * serving moto's real instance types and region offerings and the AMIs a test gives it. It answers unknown AMIs
 * and types with EC2's real error codes and texts, and counts the calls it gets by Action.
 */
export interface Ec2Endpoint {
  url: string;
  calls: Map<string, number>;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

const instanceTypes = readDataJson<Record<string, Json>>('aws/instance_types.json');
const offeringRegions = new Set(dataFolder('aws/instance_type_offerings/region'));

function offerings(region: string): Set<string> | undefined {
  if (!offeringRegions.has(region)) return undefined;
  return new Set(readDataJson<{ InstanceType: string }[]>(`aws/instance_type_offerings/region/${region}.json`).map((o) => o.InstanceType));
}

/** `ImageId.1`, `ImageId.2`, ... -> values in order. */
function listParam(params: URLSearchParams, prefix: string): string[] {
  const values: string[] = [];
  for (let n = 1; params.has(`${prefix}.${n}`); n += 1) values.push(params.get(`${prefix}.${n}`)!);
  return values;
}

/** The region the request was signed for (SigV4 credential scope). */
function signedRegion(authorization: string | undefined): string {
  return /Credential=[^/]+\/\d+\/([^/]+)\/ec2\//.exec(authorization ?? '')?.[1] ?? 'us-east-1';
}

export async function startEc2Endpoint(images: readonly Json[]): Promise<Ec2Endpoint> {
  const byId = new Map(images.map((image) => [image.ImageId as string, image]));
  const calls = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const params = new URLSearchParams(body);
      const action = params.get('Action') ?? '';
      calls.set(action, (calls.get(action) ?? 0) + 1);
      const reply = (status: number, xml: string) => {
        response.writeHead(status, { 'content-type': 'text/xml;charset=UTF-8' });
        response.end(xml);
      };
      const requestId = `req-${[...calls.values()].reduce((a, b) => a + b, 0)}`;
      if (action === 'DescribeImages') {
        const ids = listParam(params, 'ImageId');
        const missing = ids.filter((id) => !byId.has(id));
        if (missing.length > 0) return reply(400, errorXml('InvalidAMIID.NotFound', `The image id '[${missing.join(', ')}]' does not exist`, requestId));
        return reply(200, describeImagesXml(ids.map((id) => byId.get(id)!), requestId));
      }
      if (action === 'DescribeInstanceTypes') {
        const names = listParam(params, 'InstanceType');
        const missing = names.filter((name) => !instanceTypes[name]);
        if (missing.length > 0) {
          return reply(400, errorXml('InvalidInstanceType', `The following supplied instance types do not exist: [${missing.join(', ')}]`, requestId));
        }
        return reply(200, describeInstanceTypesXml(names.map((name) => instanceTypes[name]!), requestId));
      }
      if (action === 'DescribeInstanceTypeOfferings') {
        const region = signedRegion(request.headers.authorization);
        const offered = offerings(region) ?? new Set(Object.keys(instanceTypes));
        const names = listParam(params, 'Filter.1.Value').filter((name) => offered.has(name));
        return reply(200, describeInstanceTypeOfferingsXml(names.map((name) => ({ InstanceType: name, LocationType: 'region', Location: region })), requestId));
      }
      return reply(400, errorXml('InvalidAction', `The action ${action} is not valid for this web service.`, requestId));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
