import type { AwsImageFacts } from '../../src/model/index.js';

/**
 * Images as imglint sees them, from real AMIs in test/fixtures/data/aws/latest_amis/us-east-1.json (moto's copy of
 * DescribeImages output). Variants change one attribute, named in the key, to reach each rule.
 */
const paravirtual: AwsImageFacts = {
  provider: 'aws',
  id: 'ami-0e972d2890378139a',
  name: 'amzn-ami-pv-2018.03.0.20231218.0-x86_64-ebs',
  state: 'available',
  virtualizationType: 'paravirtual',
  architecture: 'x86_64',
  enaSupport: false,
  tpmSupport: false,
  rootDeviceType: 'ebs',
};

const al2023x86: AwsImageFacts = {
  provider: 'aws',
  id: 'ami-08bc385c9fc5afc94',
  name: 'al2023-ami-2023.12.20260727.0-kernel-6.12-x86_64',
  state: 'available',
  virtualizationType: 'hvm',
  architecture: 'x86_64',
  enaSupport: true,
  tpmSupport: false,
  rootDeviceType: 'ebs',
};

const al2023arm: AwsImageFacts = {
  ...al2023x86,
  id: 'ami-0f47531f8c49bd1c6',
  name: 'al2023-ami-2023.12.20260727.0-kernel-6.12-arm64',
  architecture: 'arm64',
};

export const images = {
  paravirtual,
  al2023x86,
  al2023arm,
  hvmWithoutEna: { ...al2023x86, enaSupport: false },
  i386: { ...paravirtual, id: 'ami-00000000000000386', architecture: 'i386' },
  x86Mac: { ...al2023x86, architecture: 'x86_64_mac' },
  armMac: { ...al2023x86, architecture: 'arm64_mac' },
  uefi: { ...al2023x86, bootMode: 'uefi' },
  uefiPreferred: { ...al2023x86, bootMode: 'uefi-preferred' },
  legacyArm: { ...al2023arm, bootMode: 'legacy-bios' },
  instanceStore: { ...paravirtual, rootDeviceType: 'instance-store' },
  tpm: { ...al2023x86, bootMode: 'uefi', tpmSupport: true },
  enaFrom2016: { ...al2023x86, creationDate: '2016-05-01T00:00:00.000Z' },
  deregistered: { ...al2023x86, state: 'deregistered' },
  pending: { ...al2023x86, state: 'pending' },
  deprecated: { ...al2023x86, deprecationTime: '2025-01-01T00:00:00.000Z' },
  deprecatedLater: { ...al2023x86, deprecationTime: '2030-01-01T00:00:00.000Z' },
  allowsM7i: { ...al2023x86, instanceTypeSpecification: { supported: ['m7i.*'], unsupported: [] } },
  deniesMetal: { ...al2023x86, instanceTypeSpecification: { supported: [], unsupported: ['*.metal'] } },
} satisfies Record<string, AwsImageFacts>;

const { name: _name, ...unnamedAl2023x86 } = al2023x86;

/**
 * examples/aws/ami-0006118602dfc1c09.json (AL2023 x86_64, kernel 6.1: the facts of `al2023x86` under another ID)
 * without its name: the image the catalog tests hand their providers. Not in {@link images}, which the rule and
 * matrix tests go through.
 */
export const exampleAl2023x86: AwsImageFacts = { ...unnamedAl2023x86, id: 'ami-0006118602dfc1c09' };
