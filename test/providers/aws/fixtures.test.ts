/**
 * The generated XML fixtures are EC2's wire format: the SDK's own parser turns each one back into exactly the
 * API objects it was generated from (moto's real DescribeInstanceTypes records, and the describe-images document).
 */
import { DescribeImagesCommand, DescribeInstanceTypesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { fixture, jsonFixture, replyToEc2, useEc2Nock } from './ec2-nock.js';

const requests = useEc2Nock();

describe('EC2 XML fixtures', () => {
  it('describe-instance-types.xml parses to the instance_types.json records', async () => {
    replyToEc2(requests, 'DescribeInstanceTypes', 200, fixture('describe-instance-types.xml'));
    const out = await new EC2Client({}).send(new DescribeInstanceTypesCommand({}));
    expect(out.InstanceTypes).toEqual(jsonFixture<{ InstanceTypes: unknown[] }>('instance-types.json').InstanceTypes);
  });

  it('describe-images.xml parses to describe-images.json', async () => {
    replyToEc2(requests, 'DescribeImages', 200, fixture('describe-images.xml'));
    const out = await new EC2Client({}).send(new DescribeImagesCommand({}));
    expect(out.Images).toEqual(jsonFixture<{ Images: unknown[] }>('describe-images.json').Images);
  });

  it('the two pages of describe-instance-types carry a NextToken on the first only', async () => {
    replyToEc2(requests, 'DescribeInstanceTypes', 200, fixture('describe-instance-types.page-1.xml'));
    replyToEc2(requests, 'DescribeInstanceTypes', 200, fixture('describe-instance-types.page-2.xml'));
    const client = new EC2Client({});
    const first = await client.send(new DescribeInstanceTypesCommand({}));
    const second = await client.send(new DescribeInstanceTypesCommand({ NextToken: first.NextToken }));
    expect(first.NextToken).toBe('AAEAAbP1qkl5token-page-2');
    expect(second.NextToken).toBeUndefined();
    expect([...first.InstanceTypes!, ...second.InstanceTypes!].map((t) => t.InstanceType)).toEqual([
      'c3.large',
      't2.micro',
      'c5.large',
      'm6g.large',
    ]);
  });
});
