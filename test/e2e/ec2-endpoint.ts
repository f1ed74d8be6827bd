import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dataFolder, readDataJson } from '../support/data.js';
import { describeImagesXml, describeInstanceTypeOfferingsXml, describeInstanceTypesXml, errorXml } from '../fixtures/aws/ec2-xml.js';

/**
 * A local EC2-compatible endpoint on 127.0.0.1 speaking the real query protocol (form-encoded POST in, EC2 XML out),
 * serving moto's real instance types and offerings (by region, zone name and zone ID, for the region the request was
 * signed for) and the AMIs a test gives it, pages listings as EC2 does (`MaxResults`, `NextToken`), and counts the
 * calls it gets by Action. It follows EC2's documented semantics where imglint depends on them:
 * - `ImageId.N` / `InstanceType.N`: unknown IDs fail the call with EC2's real error codes and texts;
 * - `Filter.N` (`image-id`, `instance-type`): unknown values just match nothing;
 * - deprecated AMIs (`DeprecationTime` past) are left out of filtered answers unless `IncludeDeprecated=true`
 *   (a lookup by ID returns them), disabled ones (`State` disabled) unless `IncludeDisabled=true`;
 * - instance types the region does not offer are left out unless `IncludeUnsupportedInRegion=true`.
 */
export interface Ec2Endpoint {
  url: string;
  calls: Map<string, number>;
  /** Every request's form parameters, in order. */
  requests: URLSearchParams[];
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

/** The environment of a CLI run against `endpoint`: fake keys, us-east-1, one attempt per call. */
export function endpointEnv(endpoint: Pick<Ec2Endpoint, 'url'>): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint.url,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    AWS_REGION: 'us-east-1',
    AWS_MAX_ATTEMPTS: '1',
  };
}

/** Options for {@link startEc2Endpoint}. */
export interface Ec2EndpointOptions {
  /** The instance types the endpoint knows (default: every type of moto's data); listings and offerings keep to them. */
  types?: readonly string[];
}

const allInstanceTypes = readDataJson<Record<string, Json>>('aws/instance_types.json');
const offeringRegions = new Set(dataFolder('aws/instance_type_offerings/region'));
type LocationType = 'region' | 'availability-zone' | 'availability-zone-id';

/** moto's offerings of `region` for one LocationType; `undefined` for a region the data lacks. */
function offerings(region: string, locationType: LocationType): { InstanceType: string; Location: string }[] | undefined {
  if (!offeringRegions.has(region)) return undefined;
  return readDataJson(`aws/instance_type_offerings/${locationType}/${region}.json`);
}

/** `ImageId.1`, `ImageId.2`, ... -> values in order. */
function listParam(params: URLSearchParams, prefix: string): string[] {
  const values: string[] = [];
  for (let n = 1; params.has(`${prefix}.${n}`); n += 1) values.push(params.get(`${prefix}.${n}`)!);
  return values;
}

/** The values of the filter named `name` (`Filter.N.Name` = name, `Filter.N.Value.M`); `undefined` without one. */
function filterValues(params: URLSearchParams, name: string): string[] | undefined {
  for (let n = 1; params.has(`Filter.${n}.Name`); n += 1) {
    if (params.get(`Filter.${n}.Name`) === name) return listParam(params, `Filter.${n}.Value`);
  }
  return undefined;
}

/** One page of `items`: `MaxResults` (default `fallback`) from the offset in `NextToken`. */
function page<T>(params: URLSearchParams, items: readonly T[], fallback: number): { items: T[]; nextToken: string | undefined } {
  const size = Number(params.get('MaxResults') ?? fallback);
  const start = Number(params.get('NextToken') ?? 0);
  const end = start + size;
  return { items: items.slice(start, end), nextToken: end < items.length ? String(end) : undefined };
}

/** The region the request was signed for (SigV4 credential scope). */
function signedRegion(authorization: string | undefined): string {
  return /Credential=[^/]+\/\d+\/([^/]+)\/ec2\//.exec(authorization ?? '')?.[1] ?? 'us-east-1';
}

export async function startEc2Endpoint(images: readonly Json[], options: Ec2EndpointOptions = {}): Promise<Ec2Endpoint> {
  const byId = new Map(images.map((image) => [image.ImageId as string, image]));
  const instanceTypes = options.types
    ? Object.fromEntries(options.types.map((name) => [name, allInstanceTypes[name]!]))
    : allInstanceTypes;
  const calls = new Map<string, number>();
  const requests: URLSearchParams[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const params = new URLSearchParams(body);
      const action = params.get('Action') ?? '';
      requests.push(params);
      calls.set(action, (calls.get(action) ?? 0) + 1);
      const reply = (status: number, xml: string) => {
        response.writeHead(status, { 'content-type': 'text/xml;charset=UTF-8' });
        response.end(xml);
      };
      const requestId = `req-${[...calls.values()].reduce((a, b) => a + b, 0)}`;
      const region = signedRegion(request.headers.authorization);
      if (action === 'DescribeImages') {
        const filtered = filterValues(params, 'image-id');
        if (filtered !== undefined) {
          const deprecated = (image: Json) => typeof image.DeprecationTime === 'string' && Date.parse(image.DeprecationTime) <= Date.now();
          const shown = filtered.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])).filter(
            (image) =>
              (params.get('IncludeDeprecated') === 'true' || !deprecated(image)) &&
              (params.get('IncludeDisabled') === 'true' || image.State !== 'disabled'),
          );
          return reply(200, describeImagesXml(shown, requestId));
        }
        const ids = listParam(params, 'ImageId');
        const malformed = ids.filter((id) => !/^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/.test(id));
        if (malformed.length > 0) return reply(400, errorXml('InvalidAMIID.Malformed', `Invalid id: "${malformed[0]}"`, requestId));
        const missing = ids.filter((id) => !byId.has(id));
        if (missing.length > 0) return reply(400, errorXml('InvalidAMIID.NotFound', `The image id '[${missing.join(', ')}]' does not exist`, requestId));
        return reply(200, describeImagesXml(ids.map((id) => byId.get(id)!), requestId));
      }
      if (action === 'DescribeInstanceTypes') {
        const filtered = filterValues(params, 'instance-type');
        if (filtered !== undefined) {
          const offered = offerings(region, 'region');
          const offeredNames = offered && new Set(offered.map((offering) => offering.InstanceType));
          const supported = (name: string) => params.get('IncludeUnsupportedInRegion') === 'true' || offeredNames === undefined || offeredNames.has(name);
          const shown = filtered.filter((name) => instanceTypes[name] && supported(name)).map((name) => instanceTypes[name]!);
          return reply(200, describeInstanceTypesXml(shown, requestId));
        }
        const names = listParam(params, 'InstanceType');
        if (names.length === 0) {
          // The region's listing, in pages (real EC2 allows MaxResults 5-100).
          const listed = page(params, Object.keys(instanceTypes).sort(), 100);
          return reply(200, describeInstanceTypesXml(listed.items.map((name) => instanceTypes[name]!), requestId, listed.nextToken));
        }
        const missing = names.filter((name) => !instanceTypes[name]);
        if (missing.length > 0) {
          return reply(400, errorXml('InvalidInstanceType', `The following supplied instance types do not exist: [${missing.join(', ')}]`, requestId));
        }
        return reply(200, describeInstanceTypesXml(names.map((name) => instanceTypes[name]!), requestId));
      }
      if (action === 'DescribeInstanceTypeOfferings') {
        const locationType = (params.get('LocationType') ?? 'region') as LocationType;
        // A region moto has no data for offers every type, in the region only.
        const all = offerings(region, locationType) ?? (locationType === 'region' ? Object.keys(allInstanceTypes).map((InstanceType) => ({ InstanceType, Location: region })) : []);
        const types = filterValues(params, 'instance-type');
        const locations = filterValues(params, 'location');
        const matching = all.filter(
          ({ InstanceType, Location }) =>
            instanceTypes[InstanceType] !== undefined && (types?.includes(InstanceType) ?? true) && (locations?.includes(Location) ?? true),
        );
        const listed = page(params, matching, 1000);
        return reply(200, describeInstanceTypeOfferingsXml(listed.items.map((offering) => ({ ...offering, LocationType: locationType })), requestId, listed.nextToken));
      }
      return reply(400, errorXml('InvalidAction', `The action ${action} is not valid for this web service.`, requestId));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    requests,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
