/**
 * createAwsProvider().listImages against the real SDK and real-shaped EC2 XML (nock): DescribeImages with Owners,
 * paginated with NextToken, validated and normalized like describeImages.
 */
import { describe, expect, it } from 'vitest';
import { createAwsProvider } from '../../../providers/aws/index.js';
import { describeImagesXml, errorXml } from '../../fixtures/aws/ec2-xml.js';
import { rejection } from '../../support/errors.js';
import { jsonFixture, replyToEc2, useEc2Nock } from './ec2-nock.js';

const requests = useEc2Nock();

/** Real Amazon Linux images (DescribeImages output, us-east-1). */
const images = jsonFixture<{ Images: Record<string, unknown>[] }>('describe-images.json').Images;

describe('listImages', () => {
  it('follows NextToken across pages, asking for Owners and the largest page, and normalizes every image', async () => {
    expect(images.length).toBeGreaterThanOrEqual(3);
    replyToEc2(requests, 'DescribeImages', 200, describeImagesXml(images.slice(0, 2), 'r1', 'page-2-token'));
    replyToEc2(requests, 'DescribeImages', 200, describeImagesXml(images.slice(2), 'r2'));
    const listed = await createAwsProvider({ region: 'us-east-1' }).listImages!('self');

    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({ Action: 'DescribeImages', 'Owner.1': 'self', MaxResults: '1000' });
    expect(requests[0]!.NextToken).toBeUndefined();
    expect(requests[0]!['ImageId.1']).toBeUndefined();
    expect(requests[1]).toMatchObject({ 'Owner.1': 'self', NextToken: 'page-2-token' });

    expect(listed.map((image) => image.id)).toEqual(images.map((image) => image.ImageId));
    expect(listed[0]).toMatchObject({
      provider: 'aws',
      id: 'ami-0586cdd73a0e60fa5',
      region: 'us-east-1',
      state: 'available',
      virtualizationType: 'hvm',
      architecture: 'x86_64',
      enaSupport: true,
      bootMode: 'uefi-preferred',
    });
  });

  it('passes amazon and account IDs through as Owners', async () => {
    replyToEc2(requests, 'DescribeImages', 200, describeImagesXml(images.slice(0, 1), 'r1'));
    replyToEc2(requests, 'DescribeImages', 200, describeImagesXml([], 'r2'));
    const provider = createAwsProvider({ region: 'us-east-1' });
    expect(await provider.listImages!('amazon')).toHaveLength(1);
    expect(await provider.listImages!('137112412989')).toEqual([]);
    expect(requests.map((form) => form['Owner.1'])).toEqual(['amazon', '137112412989']);
  });

  it('refuses an owner that is not self, amazon or a 12-digit account ID, without a request', async () => {
    for (const owner of ['someone', '12345', 'self,amazon', '']) {
      const error = await rejection(createAwsProvider({ region: 'us-east-1' }).listImages!(owner));
      expect(error.kind).toBe('usage');
      expect(error.message).toContain('self, amazon or a 12-digit account ID');
    }
    expect(requests).toEqual([]);
  });

  it('an image EC2 describes without a field imglint needs is a MalformedResponse naming it', async () => {
    const broken = { ...images[1], VirtualizationType: undefined };
    replyToEc2(requests, 'DescribeImages', 200, describeImagesXml([images[0]!, broken], 'r1'));
    const error = await rejection(createAwsProvider({ region: 'us-east-1' }).listImages!('self'));
    expect(error).toMatchObject({ kind: 'provider', code: 'MalformedResponse' });
    expect(error.message).toContain('Images[1].VirtualizationType');
    expect(error.message).toContain(String(images[1]!.ImageId));
  });

  it('a NextToken that repeats stops the listing instead of looping', async () => {
    replyToEc2(requests, 'DescribeImages', 200, describeImagesXml(images.slice(0, 1), 'r1', 'same-token'), 2);
    const error = await rejection(createAwsProvider({ region: 'us-east-1' }).listImages!('self'));
    expect(error).toMatchObject({ kind: 'provider', code: 'MalformedResponse' });
    expect(requests).toHaveLength(2);
  });

  it("maps EC2's errors like the other calls: AuthFailure is a provider error", async () => {
    replyToEc2(requests, 'DescribeImages', 401, errorXml('AuthFailure', 'AWS was not able to validate the provided access credentials', 'r1'));
    const error = await rejection(createAwsProvider({ region: 'us-east-1' }).listImages!('self'));
    expect(error).toMatchObject({ kind: 'provider', code: 'AuthFailure' });
    expect(error.message).toContain('DescribeImages');
  });
});
