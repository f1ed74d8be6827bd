/**
 * The batch sizes `imglint check --help` and the README state are the ones the AWS provider sends: for each
 * lookup, as many names as the help says fit one call take one call, one more takes two (nock, the real SDK).
 * Needs `npm run build` (the help comes from the built CLI).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAwsProvider } from '../../../providers/aws/index.js';
import { describeImagesXml, describeInstanceTypeOfferingsXml, describeInstanceTypesXml } from '../../fixtures/aws/ec2-xml.js';
import { repoRoot, runCli } from '../../cli/run-cli.js';
import { type Ec2Form, jsonFixture, replyToEc2, useEc2Nock } from './ec2-nock.js';

const requests = useEc2Nock();

const help = runCli(['check', '--help']).stdout.replace(/\s+/g, ' ');
const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8').replace(/\s+/g, ' ');

/** The number `pattern` captures in `text`. */
function stated(text: string, pattern: RegExp): number {
  const match = pattern.exec(text);
  expect(match, String(pattern)).not.toBeNull();
  return Number(match![1]);
}

const batch = {
  images: { help: stated(help, /DescribeImages per (\d+) AMIs/), readme: stated(readme, /(\d+) AMIs per `DescribeImages`/) },
  types: { help: stated(help, /DescribeInstanceTypes per (\d+) types/), readme: stated(readme, /(\d+) types per `DescribeInstanceTypes`/) },
  offerings: {
    help: stated(help, /DescribeInstanceTypeOfferings per (\d+) types/),
    readme: stated(readme, /(\d+) filter values per `DescribeInstanceTypeOfferings`/),
  },
};

/** How many values each request's first filter carried. */
const filterSizes = (forms: Ec2Form[]) => forms.map((form) => Object.keys(form).filter((key) => /^Filter\.1\.Value\.\d+$/.test(key)).length);

const names = jsonFixture<string[]>('instance-type-names.json');
const image = jsonFixture<{ Images: Record<string, unknown>[] }>('describe-images.json').Images[0]!;
const typeInfo = jsonFixture<{ InstanceTypes: Record<string, unknown>[] }>('instance-types.json').InstanceTypes[0]!;

describe('batch sizes of check --help and the README', () => {
  it('agree with each other', () => {
    for (const [lookup, { help: inHelp, readme: inReadme }] of Object.entries(batch)) expect(inHelp, lookup).toBe(inReadme);
  });

  it.each([0, 1])('DescribeImages: the stated number of AMIs + %i', async (extra) => {
    const ids = Array.from({ length: batch.images.help + extra }, (_, i) => `ami-${i.toString(16).padStart(17, '0')}`);
    const calls = extra === 0 ? [ids] : [ids.slice(0, -1), ids.slice(-1)];
    calls.forEach((chunk, i) => replyToEc2(requests, 'DescribeImages', 200, describeImagesXml(chunk.map((id) => ({ ...image, ImageId: id })), `r${i}`)));
    const facts = await createAwsProvider({ region: 'us-east-1' }).describeImages(ids);
    expect(facts.size).toBe(ids.length);
    expect(filterSizes(requests)).toEqual(calls.map((chunk) => chunk.length));
  });

  it.each([0, 1])('DescribeInstanceTypes: the stated number of types + %i', async (extra) => {
    const wanted = names.slice(0, batch.types.help + extra);
    expect(wanted).toHaveLength(batch.types.help + extra);
    const calls = extra === 0 ? [wanted] : [wanted.slice(0, -1), wanted.slice(-1)];
    calls.forEach((chunk, i) =>
      replyToEc2(requests, 'DescribeInstanceTypes', 200, describeInstanceTypesXml(chunk.map((name) => ({ ...typeInfo, InstanceType: name })), `r${i}`)),
    );
    const facts = await createAwsProvider({ region: 'us-east-1' }).describeMachineTypes(wanted);
    expect(facts.size).toBe(wanted.length);
    expect(filterSizes(requests)).toEqual(calls.map((chunk) => chunk.length));
  });

  it.each([0, 1])('DescribeInstanceTypeOfferings: the stated number of types + %i', async (extra) => {
    const wanted = names.slice(0, batch.offerings.help + extra);
    expect(wanted).toHaveLength(batch.offerings.help + extra);
    const calls = extra === 0 ? [wanted] : [wanted.slice(0, -1), wanted.slice(-1)];
    calls.forEach((chunk, i) =>
      replyToEc2(
        requests,
        'DescribeInstanceTypeOfferings',
        200,
        describeInstanceTypeOfferingsXml(chunk.map((name) => ({ InstanceType: name, LocationType: 'region', Location: 'us-east-1' })), `r${i}`),
      ),
    );
    const offered = await createAwsProvider({ region: 'us-east-1' }).offeredMachineTypes(wanted);
    expect(offered?.size).toBe(wanted.length);
    expect(filterSizes(requests)).toEqual(calls.map((chunk) => chunk.length));
  });
});
