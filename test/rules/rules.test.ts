import { beforeAll, describe, expect, it } from 'vitest';
import { loadAwsCatalog } from '../../src/catalog/aws-embedded.js';
import { lint } from '../../src/engine/lint.js';
import type { ImageFacts, MachineTypeFacts } from '../../src/model/index.js';
import { rules } from '../../src/rules/index.js';
import { images } from './images.js';

type ImageName = keyof typeof images;

/** [rule, image, instance type, expected: true = the rule fires]. Types are real entries of the embedded catalog. */
const cases: [string, ImageName, string, boolean][] = [
  ['virtualization-type', 'paravirtual', 't2.micro', true],
  ['virtualization-type', 'paravirtual', 'c5.large', true],
  ['virtualization-type', 'paravirtual', 't1.micro', false],
  ['virtualization-type', 'paravirtual', 'm1.small', false],
  ['virtualization-type', 'paravirtual', 'c3.large', false],
  ['virtualization-type', 'al2023x86', 't2.micro', false],
  ['architecture', 'al2023arm', 'c5.large', true],
  ['architecture', 'al2023x86', 'm6g.large', true],
  ['architecture', 'al2023arm', 'm6g.large', false],
  ['architecture', 'i386', 'c3.large', false],
  ['architecture', 'i386', 't2.micro', false],
  ['architecture', 'i386', 'c5.large', true],
  ['architecture', 'i386', 'm3.medium', true],
  ['architecture', 'al2023x86', 'mac1.metal', true],
  ['architecture', 'x86Mac', 'mac1.metal', false],
  ['architecture', 'armMac', 'mac2.metal', false],
  ['architecture', 'armMac', 'm6g.large', true],
  ['ena-support', 'hvmWithoutEna', 'c5.large', true],
  ['ena-support', 'paravirtual', 'm6g.large', true],
  ['ena-support', 'hvmWithoutEna', 't2.micro', false],
  ['ena-support', 'hvmWithoutEna', 'm4.16xlarge', false],
  ['ena-support', 'al2023x86', 'c5.large', false],
  ['boot-mode', 'uefi', 't2.micro', true],
  ['boot-mode', 'uefi', 'c5.metal', true],
  ['boot-mode', 'uefi', 'c5.large', false],
  ['boot-mode', 'uefiPreferred', 't2.micro', false],
  ['boot-mode', 'al2023x86', 't2.micro', false],
  ['boot-mode', 'al2023arm', 'm6g.large', false],
  ['boot-mode', 'legacyArm', 'm6g.large', true],
  ['boot-mode', 'armMac', 'mac2.metal', false],
  ['boot-mode', 'armMac', 'm6g.large', false],
  ['boot-mode', 'uefi', 'm6g.large', false],
  ['root-device-type', 'instanceStore', 'c5.large', true],
  ['root-device-type', 'instanceStore', 't1.micro', true],
  ['root-device-type', 'instanceStore', 'c3.large', false],
  ['root-device-type', 'instanceStore', 'm1.small', false],
  ['nitro-tpm', 'tpm', 'c5.large', false],
  ['nitro-tpm', 'tpm', 'a1.large', false],
  ['nitro-tpm', 'tpm', 't2.micro', true],
  ['nitro-tpm', 'tpm', 'c5.metal', true],
  ['nvme-support', 'hvmWithoutEna', 'c5.large', false],
  ['nvme-support', 'enaFrom2016', 'c5.large', true],
  ['nvme-support', 'al2023x86', 'c5.large', false],
  ['nvme-support', 'hvmWithoutEna', 't2.micro', false],
  ['image-state', 'deregistered', 't2.micro', true],
  ['image-state', 'pending', 't2.micro', true],
  ['image-state', 'al2023x86', 't2.micro', false],
  ['image-deprecated', 'deprecated', 't3.micro', true],
  ['image-deprecated', 'deprecatedLater', 't3.micro', false],
  ['instance-type-specification', 'allowsM7i', 'c5.large', true],
  ['instance-type-specification', 'allowsM7i', 'm7i.large', false],
  ['instance-type-specification', 'deniesMetal', 'c5.metal', true],
  ['instance-type-specification', 'deniesMetal', 'c5.large', false],
  ['previous-generation', 'al2023x86', 'c3.large', true],
  ['previous-generation', 'al2023x86', 'c7i.large', false],
];

const now = new Date('2026-11-29T00:00:00Z');
let types: ReadonlyMap<string, MachineTypeFacts>;

beforeAll(async () => {
  types = (await loadAwsCatalog()).types;
});

function ruleFindings(image: ImageFacts, typeName: string, offeredInRegion: boolean | undefined = true) {
  const type = types.get(typeName);
  if (!type) throw new Error(`${typeName} is not in the embedded catalog`);
  return lint({ image, type, region: 'us-east-1', offeredInRegion, launch: {}, now });
}

describe('rules on the real catalog', () => {
  it.each(cases)('%s: %s on %s fires: %s', (ruleId, imageName, typeName, fires) => {
    const ids = ruleFindings(images[imageName], typeName).map((finding) => finding.ruleId);
    expect(ids.includes(ruleId)).toBe(fires);
  });

  it('has a case where every rule fires and one where it does not', () => {
    const covered = new Set(cases.filter((c) => c[3]).map((c) => c[0]));
    const quiet = new Set(cases.filter((c) => !c[3]).map((c) => c[0]));
    for (const rule of rules.filter((r) => r.providers.includes('aws') && r.id !== 'instance-type-offering')) {
      expect(covered, rule.id).toContain(rule.id);
      expect(quiet, rule.id).toContain(rule.id);
    }
  });
});

describe('launch errors carry EC2\'s exact text', () => {
  it('virtualization-type names the instance type', () => {
    const [finding] = ruleFindings(images.paravirtual, 't2.micro').filter((f) => f.ruleId === 'virtualization-type');
    expect(finding?.message).toBe('AMI ami-0e972d2890378139a is paravirtual; t2.micro supports only hvm');
    expect(finding?.providerError).toEqual({
      code: 'InvalidParameterCombination',
      message:
        "Virtualization type 'hvm' is required for instances of type 't2.micro'. Ensure that you are using an AMI with virtualization type 'hvm'. For more information, see http://docs.aws.amazon.com/AWSEC2/latest/UserGuide/virtualization_types.html",
    });
  });

  it('architecture names the type architecture first, then the AMI one', () => {
    const [finding] = ruleFindings(images.al2023arm, 'c5.large').filter((f) => f.ruleId === 'architecture');
    expect(finding?.providerError?.code).toBe('InvalidParameterValue');
    expect(finding?.providerError?.message).toMatch(
      /^The architecture 'x86_64' of the specified instance type does not match the architecture 'arm64' of the specified AMI\./,
    );
  });

  it('ena-support quotes the instance type', () => {
    const [finding] = ruleFindings(images.hvmWithoutEna, 'c5.large').filter((f) => f.ruleId === 'ena-support');
    expect(finding?.providerError?.message).toBe(
      "Enhanced networking with the Elastic Network Adapter (ENA) is required for the 'c5.large' instance type. Ensure that you are using an AMI that is enabled for ENA.",
    );
  });

  it('boot-mode quotes the UEFI text and gives none for legacy BIOS on a UEFI-only type', () => {
    const [uefi] = ruleFindings(images.uefi, 't2.micro').filter((f) => f.ruleId === 'boot-mode');
    expect(uefi?.providerError?.message).toBe(
      'The t2.micro instance type does not support an AMI with a boot mode of UEFI. Only instance types built on the Nitro System support UEFI. Specify an instance type that supports UEFI, and try again.',
    );
    const [legacy] = ruleFindings(images.legacyArm, 'm6g.large').filter((f) => f.ruleId === 'boot-mode');
    expect(legacy?.providerError).toBeUndefined();
  });

  it('root-device-type quotes the AMI and the type', () => {
    const [finding] = ruleFindings(images.instanceStore, 'c5.large').filter((f) => f.ruleId === 'root-device-type');
    expect(finding?.providerError).toEqual({
      code: 'UnsupportedOperation',
      message: "AMI 'ami-0e972d2890378139a' with an instance-store root device is not supported for the instance type 'c5.large'.",
    });
  });

  it('image-state: deregistered is NotFound, other states Unavailable (inferred)', () => {
    const [gone] = ruleFindings(images.deregistered, 't3.micro').filter((f) => f.ruleId === 'image-state');
    expect(gone?.providerError).toEqual({ code: 'InvalidAMIID.NotFound', message: "The image id '[ami-08bc385c9fc5afc94]' does not exist" });
    const [pending] = ruleFindings(images.pending, 't3.micro').filter((f) => f.ruleId === 'image-state');
    expect(pending?.providerError).toMatchObject({ code: 'InvalidAMIID.Unavailable', inferred: true });
  });

  it('instance-type-offering fires only when the region is known not to offer the type', () => {
    const offering = (offered: boolean | undefined) =>
      ruleFindings(images.al2023x86, 'c5.large', offered).filter((f) => f.ruleId === 'instance-type-offering');
    expect(offering(false)).toHaveLength(1);
    expect(offering(false)[0]?.providerError?.code).toBe('Unsupported');
    expect(offering(true)).toHaveLength(0);
    expect(offering(undefined)).toHaveLength(0);
  });

  it('severities match the rule defaults', () => {
    expect(ruleFindings(images.hvmWithoutEna, 'c5.large').find((f) => f.ruleId === 'ena-support')?.severity).toBe('error');
    expect(ruleFindings(images.enaFrom2016, 'c5.large').find((f) => f.ruleId === 'nvme-support')?.severity).toBe('warning');
    expect(ruleFindings(images.al2023x86, 'c3.large').find((f) => f.ruleId === 'previous-generation')?.severity).toBe('info');
  });
});
