/**
 * createAwsProvider against the real SDK and real EC2 XML (nock): request bodies, batching, chunking,
 * pagination, validation, and how EC2's errors become imglint's.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import nock from 'nock';
import { describe, expect, it, vi } from 'vitest';
import { createAwsProvider } from '../../../providers/aws/index.js';
import { unknownReferencesOf } from '../../../providers/provider.js';
import {
  describeImagesXml,
  describeInstanceTypeOfferingsXml,
  describeInstanceTypesXml,
} from '../../fixtures/aws/ec2-xml.js';
import { rejection } from '../../support/errors.js';
import { EC2_ENDPOINT, type Ec2Form, fixture, jsonFixture, replyToEc2, useEc2Nock } from './ec2-nock.js';

const requests = useEc2Nock();

const AL2023_X86 = 'ami-0586cdd73a0e60fa5';
const AL2023_ARM = 'ami-0f47531f8c49bd1c6';
const AMZN_PV = 'ami-0e972d2890378139a';
const DEREGISTERED = 'ami-0c37ac84e611f43e0';
const TYPES = ['c3.large', 't2.micro', 'c5.large', 'm6g.large'];

const images = jsonFixture<{ Images: Record<string, unknown>[] }>('describe-images.json').Images;
const typeRecords = jsonFixture<{ InstanceTypes: Record<string, unknown>[] }>('instance-types.json').InstanceTypes;
const c5Large = typeRecords.find((t) => t.InstanceType === 'c5.large')!;

/** The `prefix.1`, `prefix.2`, ... values of a form body, in order. */
function listParam(form: Ec2Form, prefix: string): string[] {
  const values: string[] = [];
  for (let i = 1; form[`${prefix}.${i}`] !== undefined; i++) values.push(form[`${prefix}.${i}`]!);
  return values;
}

describe('describeImages', () => {
  it('fetches every AMI in one filtered DescribeImages call and normalizes the facts', async () => {
    replyToEc2(requests, 'DescribeImages', 200, fixture('describe-images.xml'));
    const facts = await createAwsProvider({ region: 'us-east-1' }).describeImages([AL2023_X86, AL2023_ARM, AMZN_PV, AL2023_X86]);

    expect(requests).toHaveLength(1);
    // A filter never fails on an unknown ID. IncludeDeprecated: a deprecated AMI is returned as a lookup by ID
    // would (image-deprecated warns); IncludeDisabled: a disabled AMI reaches image-state instead of looking unknown.
    expect(requests[0]).toMatchObject({
      Action: 'DescribeImages',
      Version: '2016-11-15',
      'Filter.1.Name': 'image-id',
      IncludeDeprecated: 'true',
      IncludeDisabled: 'true',
      MaxResults: '1000',
    });
    expect(listParam(requests[0]!, 'Filter.1.Value')).toEqual([AL2023_X86, AL2023_ARM, AMZN_PV]);
    expect(listParam(requests[0]!, 'ImageId')).toEqual([]);
    expect(requests[0]!['Owner.1']).toBeUndefined(); // no Owners: every AMI the account may launch
    expect(requests[0]!['ExecutableBy.1']).toBeUndefined();
    expect(requests[0]!.NextToken).toBeUndefined();

    expect([...facts.keys()]).toEqual([AL2023_X86, AL2023_ARM, AMZN_PV]);
    expect(facts.get(AL2023_X86)).toMatchObject({
      provider: 'aws',
      region: 'us-east-1',
      state: 'available',
      virtualizationType: 'hvm',
      architecture: 'x86_64',
      enaSupport: true,
      bootMode: 'uefi-preferred',
      rootDeviceType: 'ebs',
      tpmSupport: false,
    });
    expect(facts.get(AL2023_ARM)).toMatchObject({ architecture: 'arm64', bootMode: 'uefi' });
    expect(facts.get(AMZN_PV)).toMatchObject({ virtualizationType: 'paravirtual', enaSupport: false, bootMode: undefined });
  });

  it('follows a NextToken if EC2 returns one', async () => {
    replyToEc2(requests, 'DescribeImages', 200, describeImagesXml(images.slice(0, 2), 'req-1', 'token-2'));
    replyToEc2(requests, 'DescribeImages', 200, describeImagesXml(images.slice(2), 'req-2'));
    const facts = await createAwsProvider({ region: 'us-east-1' }).describeImages([AL2023_X86, AL2023_ARM, AMZN_PV]);
    expect(facts.size).toBe(3);
    expect(requests.map((r) => r.NextToken)).toEqual([undefined, 'token-2']);
    expect(listParam(requests[1]!, 'Filter.1.Value')).toEqual([AL2023_X86, AL2023_ARM, AMZN_PV]);
  });

  it('puts at most 200 AMI IDs in one filter (250 IDs: 2 calls)', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `ami-${i.toString(16).padStart(17, '0')}`);
    const image = (id: string) => ({ ...images[0], ImageId: id });
    replyToEc2(requests, 'DescribeImages', 200, describeImagesXml(ids.slice(0, 200).map(image), 'req-1'));
    replyToEc2(requests, 'DescribeImages', 200, describeImagesXml(ids.slice(200).map(image), 'req-2'));
    const facts = await createAwsProvider({ region: 'us-east-1' }).describeImages(ids);
    expect(facts.size).toBe(250);
    expect(requests.map((r) => listParam(r, 'Filter.1.Value').length)).toEqual([200, 50]);
  });

  it('makes no call for no IDs', async () => {
    expect((await createAwsProvider({ region: 'us-east-1' }).describeImages([])).size).toBe(0);
    expect(requests).toHaveLength(0);
  });

  it('an AMI EC2 does not return is an ImageNotFound InputError naming it and the region', async () => {
    replyToEc2(requests, 'DescribeImages', 200, describeImagesXml([], 'req-1'));
    const error = await rejection(createAwsProvider({ region: 'us-east-1' }).describeImages([DEREGISTERED]));
    expect(error).toMatchObject({ name: 'InputError', kind: 'input', code: 'ImageNotFound' });
    expect(error.message).toBe(`AMI ${DEREGISTERED} not found in us-east-1 (or not visible to this account)`);
    expect(error.cause).toBeUndefined();
  });

  it('in a batch, names only the absent AMIs, and carries each one\'s own error and the facts found', async () => {
    replyToEc2(requests, 'DescribeImages', 200, describeImagesXml(images.slice(0, 1), 'req-1'));
    const error = await rejection(
      createAwsProvider({ region: 'us-east-1' }).describeImages([AL2023_X86, DEREGISTERED, 'ami-0123456789abcdef0']),
    );
    expect(error.message).toBe(`AMIs ${DEREGISTERED}, ami-0123456789abcdef0 not found in us-east-1 (or not visible to this account)`);
    const details = unknownReferencesOf(error)!;
    expect([...details.unknown.keys()]).toEqual([DEREGISTERED, 'ami-0123456789abcdef0']);
    expect(details.unknown.get(DEREGISTERED)?.message).toBe(`AMI ${DEREGISTERED} not found in us-east-1 (or not visible to this account)`);
    expect([...details.found.keys()]).toEqual([AL2023_X86]);
    expect(requests).toHaveLength(1);
  });

  it.each([['ami-xyz'], ['ami-*'], ['ami-0586cdd73a0e60fa?'], ['AMI-0586CDD73A0E60FA5'], ['ami-0586cdd73a0e60fa5 ']])(
    'a malformed AMI ID (%j) is MalformedImageId and is never sent (a filter would read wildcards)',
    async (id) => {
      const error = await rejection(createAwsProvider({ region: 'us-east-1' }).describeImages([id]));
      expect(error).toMatchObject({ kind: 'input', code: 'MalformedImageId', message: `${JSON.stringify(id)} is not an AMI ID` });
      expect(error.hint).toContain('ami-0123456789abcdef0');
      expect(requests).toHaveLength(0);
    },
  );

  it('malformed and absent IDs next to found ones: each gets its own error', async () => {
    replyToEc2(requests, 'DescribeImages', 200, describeImagesXml(images.slice(0, 1), 'req-1'));
    const error = await rejection(createAwsProvider({ region: 'us-east-1' }).describeImages([AL2023_X86, 'ami-xyz', DEREGISTERED]));
    expect(error.code).toBe('MalformedImageId');
    const { unknown } = unknownReferencesOf(error)!;
    expect(unknown.get('ami-xyz')?.code).toBe('MalformedImageId');
    expect(unknown.get(DEREGISTERED)?.code).toBe('ImageNotFound');
    expect(listParam(requests[0]!, 'Filter.1.Value')).toEqual([AL2023_X86, DEREGISTERED]);
  });

  it('an answer without imagesSet is a MalformedResponse, not "not found"', async () => {
    replyToEc2(requests, 'DescribeImages', 200, '<DescribeImagesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r1</requestId></DescribeImagesResponse>');
    const error = await rejection(createAwsProvider({ region: 'us-east-1' }).describeImages([AL2023_X86]));
    expect(error).toMatchObject({ kind: 'provider', code: 'MalformedResponse', message: 'malformed response from EC2 DescribeImages: the answer has no <imagesSet>' });
  });

  it('an unusable field in the answer is a MalformedResponse naming the field and the AMI', async () => {
    const body = fixture('describe-images.xml').replace('<virtualizationType>paravirtual<', '<virtualizationType>pv<');
    replyToEc2(requests, 'DescribeImages', 200, body);
    const error = await rejection(createAwsProvider({ region: 'us-east-1' }).describeImages([AL2023_X86, AL2023_ARM, AMZN_PV]));
    expect(error).toMatchObject({ name: 'ProviderApiError', kind: 'provider', code: 'MalformedResponse' });
    expect(error.message).toBe(
      `EC2 DescribeImages returned data imglint cannot use for ${AMZN_PV}: ` +
        'Images[2].VirtualizationType: expected one of hvm|paravirtual (got "pv")',
    );
  });
});

describe('describeMachineTypes', () => {
  it('fetches every type in one filtered DescribeInstanceTypes call and normalizes the facts', async () => {
    replyToEc2(requests, 'DescribeInstanceTypes', 200, fixture('describe-instance-types.xml'));
    const facts = await createAwsProvider({ region: 'us-east-1' }).describeMachineTypes(TYPES);

    expect(requests).toHaveLength(1);
    // IncludeUnsupportedInRegion: a type the region lacks is described, so instance-type-offering reports it.
    expect(requests[0]).toMatchObject({
      Action: 'DescribeInstanceTypes',
      Version: '2016-11-15',
      'Filter.1.Name': 'instance-type',
      IncludeUnsupportedInRegion: 'true',
      MaxResults: '100',
    });
    expect(listParam(requests[0]!, 'Filter.1.Value')).toEqual(TYPES);
    expect(listParam(requests[0]!, 'InstanceType')).toEqual([]);
    expect([...facts.keys()]).toEqual(TYPES);
    expect(facts.get('c3.large')).toMatchObject({
      virtualizationTypes: ['hvm', 'paravirtual'],
      architectures: ['i386', 'x86_64'],
      enaSupport: 'unsupported',
      bootModes: ['legacy-bios'],
      rootDeviceTypes: ['ebs', 'instance-store'],
      hypervisor: 'xen',
      currentGeneration: false,
    });
    expect(facts.get('t2.micro')).toMatchObject({ virtualizationTypes: ['hvm'], nitroTpm: false });
    expect(facts.get('c5.large')).toMatchObject({ enaSupport: 'required', nvmeSupport: 'required', nitroTpm: true });
    expect(facts.get('m6g.large')).toMatchObject({ architectures: ['arm64'], bootModes: ['uefi'], vcpus: 2, memoryMiB: 8192 });
  });

  it('follows NextToken across two pages', async () => {
    replyToEc2(requests, 'DescribeInstanceTypes', 200, fixture('describe-instance-types.page-1.xml'));
    replyToEc2(requests, 'DescribeInstanceTypes', 200, fixture('describe-instance-types.page-2.xml'));
    const facts = await createAwsProvider({ region: 'us-east-1' }).describeMachineTypes(TYPES);
    expect([...facts.keys()]).toEqual(TYPES);
    expect(requests.map((r) => r.NextToken)).toEqual([undefined, 'AAEAAbP1qkl5token-page-2']);
    expect(listParam(requests[1]!, 'Filter.1.Value')).toEqual(TYPES);
  });

  it('a NextToken that repeats is a MalformedResponse instead of an endless loop', async () => {
    replyToEc2(requests, 'DescribeInstanceTypes', 200, describeInstanceTypesXml([], 'r1', 'same-token'), 2);
    const error = await rejection(createAwsProvider({ region: 'us-east-1' }).describeMachineTypes(['c5.large']));
    expect(error).toMatchObject({ code: 'MalformedResponse', message: 'EC2 DescribeInstanceTypes repeated a NextToken; stopping' });
    expect(requests).toHaveLength(2);
  });

  it('asks for at most 100 types per call, its largest page (150 names: 2 calls)', async () => {
    const names = jsonFixture<string[]>('instance-type-names.json').slice(0, 150);
    const info = (name: string) => ({ ...c5Large, InstanceType: name });
    replyToEc2(requests, 'DescribeInstanceTypes', 200, describeInstanceTypesXml(names.slice(0, 100).map(info), 'req-1'));
    replyToEc2(requests, 'DescribeInstanceTypes', 200, describeInstanceTypesXml(names.slice(100).map(info), 'req-2'));
    const facts = await createAwsProvider({ region: 'us-east-1' }).describeMachineTypes(names);
    expect(facts.size).toBe(150);
    expect(requests.map((r) => listParam(r, 'Filter.1.Value'))).toEqual([names.slice(0, 100), names.slice(100)]);
  });

  it('a type EC2 does not return is InstanceTypeNotFound naming only it, with each name\'s error and the facts found', async () => {
    replyToEc2(requests, 'DescribeInstanceTypes', 200, describeInstanceTypesXml([c5Large], 'req-1'));
    const error = await rejection(createAwsProvider({ region: 'us-east-1' }).describeMachineTypes(['c5.large', 'c5.largest', 't2.mikro']));
    expect(error).toMatchObject({ name: 'InputError', code: 'InstanceTypeNotFound', message: 'Instance types c5.largest, t2.mikro not found in us-east-1' });
    const details = unknownReferencesOf(error)!;
    expect(details.unknown.get('t2.mikro')?.message).toBe('Instance type t2.mikro not found in us-east-1');
    expect([...details.found.keys()]).toEqual(['c5.large']);
  });

  it('a name with filter wildcards is never sent: no type is named c5.*', async () => {
    replyToEc2(requests, 'DescribeInstanceTypes', 200, describeInstanceTypesXml([c5Large], 'req-1'));
    const error = await rejection(createAwsProvider({ region: 'us-east-1' }).describeMachineTypes(['c5.large', 'c5.*', 'c?.large']));
    expect(error).toMatchObject({ code: 'InstanceTypeNotFound', message: 'Instance types c5.*, c?.large not found in us-east-1' });
    expect(listParam(requests[0]!, 'Filter.1.Value')).toEqual(['c5.large']);
  });

  it("an emulator's answer without SupportedBootModes is a MalformedResponse naming the fields (moto's old template)", async () => {
    replyToEc2(requests, 'DescribeInstanceTypes', 200, fixture('moto-template-describe-instance-types.xml'));
    const error = await rejection(createAwsProvider({ region: 'us-east-1' }).describeMachineTypes(['c5.large']));
    expect(error).toMatchObject({ code: 'MalformedResponse' });
    expect(error.message).toContain('InstanceTypes[0].ProcessorInfo.SupportedArchitectures[0]: expected one of');
    expect(error.message).toContain('InstanceTypes[0].SupportedBootModes: missing (expected array)');
  });
});

describe('offeredMachineTypes', () => {
  it('asks DescribeInstanceTypeOfferings for the region, filtered by instance-type, across two pages', async () => {
    replyToEc2(requests, 'DescribeInstanceTypeOfferings', 200, fixture('describe-instance-type-offerings.page-1.xml'));
    replyToEc2(requests, 'DescribeInstanceTypeOfferings', 200, fixture('describe-instance-type-offerings.page-2.xml'));
    const offered = await createAwsProvider({ region: 'us-east-1' }).offeredMachineTypes([...TYPES, 'u7in-32tb.224xlarge']);

    expect(offered).toEqual(new Set(TYPES));
    expect(requests[0]).toMatchObject({
      Action: 'DescribeInstanceTypeOfferings',
      LocationType: 'region',
      'Filter.1.Name': 'instance-type',
    });
    expect(listParam(requests[0]!, 'Filter.1.Value')).toEqual([...TYPES, 'u7in-32tb.224xlarge']);
    expect(requests.map((r) => r.NextToken)).toEqual([undefined, 'AAEAAd8offerings-page-2']);
  });

  it('puts at most 200 values in the filter (250 names: 2 calls)', async () => {
    const names = jsonFixture<string[]>('instance-type-names.json').slice(0, 250);
    const offering = (name: string) => ({ InstanceType: name, LocationType: 'region', Location: 'us-east-1' });
    replyToEc2(requests, 'DescribeInstanceTypeOfferings', 200, describeInstanceTypeOfferingsXml(names.slice(0, 3).map(offering), 'r1'));
    replyToEc2(requests, 'DescribeInstanceTypeOfferings', 200, describeInstanceTypeOfferingsXml([], 'r2'));
    const offered = await createAwsProvider({ region: 'us-east-1' }).offeredMachineTypes(names);
    expect(offered).toEqual(new Set(names.slice(0, 3)));
    expect(requests.map((r) => listParam(r, 'Filter.1.Value').length)).toEqual([200, 50]);
  });
});

describe('one image x one type', () => {
  it('costs exactly three API calls, one of each', async () => {
    replyToEc2(requests, 'DescribeImages', 200, describeImagesXml(images.slice(0, 1), 'r1'));
    replyToEc2(requests, 'DescribeInstanceTypes', 200, describeInstanceTypesXml([c5Large], 'r2'));
    replyToEc2(
      requests,
      'DescribeInstanceTypeOfferings',
      200,
      describeInstanceTypeOfferingsXml([{ InstanceType: 'c5.large', LocationType: 'region', Location: 'us-east-1' }], 'r3'),
    );
    const provider = createAwsProvider();
    const region = await provider.region();
    const [imageFacts, typeFacts, offered] = await Promise.all([
      provider.describeImages([AL2023_X86]),
      provider.describeMachineTypes(['c5.large']),
      provider.offeredMachineTypes(['c5.large']),
    ]);
    expect(region).toBe('us-east-1');
    expect(imageFacts.get(AL2023_X86)).toMatchObject({ provider: 'aws', architecture: 'x86_64' });
    expect(typeFacts.get('c5.large')).toMatchObject({ provider: 'aws', enaSupport: 'required' });
    expect(offered?.has('c5.large')).toBe(true);
    expect(requests.map((r) => r.Action).sort()).toEqual([
      'DescribeImages',
      'DescribeInstanceTypeOfferings',
      'DescribeInstanceTypes',
    ]);
  });
});

describe('region and catalog source', () => {
  it('uses --region as given, without touching the SDK', async () => {
    const provider = createAwsProvider({ region: 'ap-south-1' });
    expect(await provider.region()).toBe('ap-south-1');
    expect(provider.catalogSource).toEqual({ kind: 'live', description: 'EC2 API (ap-south-1)' });
  });

  it("falls back to the SDK's region (AWS_REGION) and reports it once resolved", async () => {
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    const provider = createAwsProvider();
    expect(provider.catalogSource.description).toBe('EC2 API');
    expect(await provider.region()).toBe('eu-west-1');
    expect(provider.catalogSource.description).toBe('EC2 API (eu-west-1)');
  });

  it('no region anywhere is a UsageError that says how to set one', async () => {
    vi.stubEnv('AWS_REGION', undefined);
    const provider = createAwsProvider();
    const error = await rejection(provider.region());
    expect(error).toMatchObject({ name: 'UsageError', kind: 'usage' });
    expect(error.hint).toContain('--region');
    expect(error.hint).toContain('AWS_REGION');
    // Every method resolves the region first, so no request is attempted.
    await rejection(provider.describeImages([AL2023_X86]));
  });

  it("uses an injected client and that client's region", async () => {
    replyToEc2(requests, 'DescribeInstanceTypes', 200, describeInstanceTypesXml([c5Large], 'r1'));
    const client = new EC2Client({ region: 'us-east-1', maxAttempts: 1 });
    const provider = createAwsProvider({ client });
    expect(await provider.region()).toBe('us-east-1');
    expect((await provider.describeMachineTypes(['c5.large'])).size).toBe(1);
  });
});

describe('provider errors', () => {
  it('AuthFailure is a ProviderApiError AuthFailure with a hint', async () => {
    replyToEc2(requests, 'DescribeImages', 401, fixture('error-auth-failure.xml'));
    const error = await rejection(createAwsProvider({ region: 'us-east-1' }).describeImages([AL2023_X86]));
    expect(error).toMatchObject({ name: 'ProviderApiError', kind: 'provider', code: 'AuthFailure' });
    expect(error.message).toBe(
      'EC2 DescribeImages was refused: AuthFailure: AWS was not able to validate the provided access credentials',
    );
    expect(error.hint).toContain('AWS_PROFILE');
    expect(error.message).not.toContain('AKIDEXAMPLE');
  });

  it('UnauthorizedOperation names the missing permission, without the encoded blob', async () => {
    replyToEc2(requests, 'DescribeImages', 403, fixture('error-unauthorized-operation.xml'));
    const error = await rejection(createAwsProvider({ region: 'us-east-1' }).describeImages([AL2023_X86]));
    expect(error.code).toBe('AuthFailure');
    expect(error.message).toContain('ec2:DescribeImages');
    expect(error.message).not.toContain('Encoded authorization failure message');
    expect(error.hint).toContain('ec2:DescribeInstanceTypeOfferings');
  });

  it('missing credentials fail before any request, with the sso/profile hint', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', undefined);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', undefined);
    const error = await rejection(createAwsProvider({ region: 'us-east-1' }).describeImages([AL2023_X86]));
    expect(error.code).toBe('AuthFailure');
    expect(error.hint).toBe('set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run `aws sso login`');
    expect(requests).toHaveLength(0);
  });

  it('RequestLimitExceeded then success: the SDK retries and the call succeeds', async () => {
    vi.stubEnv('AWS_MAX_ATTEMPTS', '2');
    vi.stubEnv('AWS_RETRY_MODE', 'standard'); // adaptive mode's rate limiter would wait ~2 s after a throttle
    vi.spyOn(Math, 'random').mockReturnValue(0); // no backoff jitter wait
    replyToEc2(requests, 'DescribeImages', 503, fixture('error-request-limit-exceeded.xml'));
    replyToEc2(requests, 'DescribeImages', 200, describeImagesXml(images.slice(0, 1), 'r2'));
    const facts = await createAwsProvider({ region: 'us-east-1' }).describeImages([AL2023_X86]);
    expect(facts.size).toBe(1);
    expect(requests).toHaveLength(2);
  });

  it('throttling that outlasts the retries is ProviderApiError Throttled', async () => {
    vi.stubEnv('AWS_MAX_ATTEMPTS', '2');
    vi.stubEnv('AWS_RETRY_MODE', 'standard');
    vi.spyOn(Math, 'random').mockReturnValue(0);
    replyToEc2(requests, 'DescribeInstanceTypes', 503, fixture('error-request-limit-exceeded.xml'), 2);
    const error = await rejection(createAwsProvider({ region: 'us-east-1' }).describeMachineTypes(['c5.large']));
    expect(error).toMatchObject({ code: 'Throttled' });
    expect(error.message).toBe(
      'EC2 DescribeInstanceTypes was throttled after 2 attempts: RequestLimitExceeded: Request limit exceeded.',
    );
    expect(requests).toHaveLength(2);
  });

  it('a 5xx is ServiceError', async () => {
    replyToEc2(requests, 'DescribeInstanceTypeOfferings', 500, '<html>Internal Server Error</html>');
    const error = await rejection(createAwsProvider({ region: 'us-east-1' }).offeredMachineTypes(['c5.large']));
    expect(error).toMatchObject({ code: 'ServiceError' });
    expect(error.message).toContain('HTTP 500');
    expect(error.hint).toContain('retry later');
  });

  it('connection refused is Network', async () => {
    nock(EC2_ENDPOINT)
      .post('/')
      .replyWithError(Object.assign(new Error('connect ECONNREFUSED 3.5.0.1:443'), { code: 'ECONNREFUSED' }));
    const error = await rejection(createAwsProvider({ region: 'us-east-1' }).describeImages([AL2023_X86]));
    expect(error).toMatchObject({
      code: 'Network',
      message: 'Cannot reach EC2 for DescribeImages: connect ECONNREFUSED 3.5.0.1:443',
    });
  });

  it('a request that outlives the request timeout is Network (TimeoutError)', async () => {
    nock(EC2_ENDPOINT).post('/').delay(1_000).reply(200, describeImagesXml(images.slice(0, 1), 'r1'));
    const client = new EC2Client({
      region: 'us-east-1',
      maxAttempts: 1,
      requestHandler: { requestTimeout: 50, throwOnRequestTimeout: true },
    });
    const error = await rejection(createAwsProvider({ client }).describeImages([AL2023_X86]));
    expect(error.code).toBe('Network');
    expect((error.cause as Error).name).toBe('TimeoutError');
  });
});
