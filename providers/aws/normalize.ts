import type { AwsImageFacts, InstanceTypeFacts } from '../../src/model/index.js';
import type { Ec2Image } from './image-schema.js';
import type { Ec2InstanceTypeInfo } from './instance-type-schema.js';

/**
 * Maps a validated EC2 `Image` to {@link AwsImageFacts}.
 * Absent `EnaSupport` means not enabled and absent `TpmSupport` means no NitroTPM: EC2 omits both when unset.
 */
export function imageFactsFromEc2(image: Ec2Image, region?: string): AwsImageFacts {
  const spec = image.InstanceTypeSpecification;
  return {
    provider: 'aws',
    id: image.ImageId,
    name: image.Name,
    region,
    state: image.State.toLowerCase(),
    virtualizationType: image.VirtualizationType,
    architecture: image.Architecture,
    enaSupport: image.EnaSupport ?? false,
    bootMode: image.BootMode,
    tpmSupport: image.TpmSupport === 'v2.0',
    rootDeviceType: image.RootDeviceType,
    deprecationTime: image.DeprecationTime,
    creationDate: image.CreationDate,
    instanceTypeSpecification: spec && {
      supported: (spec.SupportedInstanceTypes ?? []).map((item) => item.InstanceType),
      unsupported: (spec.UnsupportedInstanceTypes ?? []).map((item) => item.InstanceType),
    },
  };
}

/**
 * Maps a validated EC2 `InstanceTypeInfo` to {@link InstanceTypeFacts}.
 * The two members the schema allows to be absent, and what absence means:
 * - `NitroTpmSupport` absent -> `nitroTpm: false` (no NitroTPM: the type cannot run a `TpmSupport=v2.0` AMI).
 *   Real EC2 sends it for every type today; older answers and emulators may not.
 * - `Hypervisor` absent -> `hypervisor: undefined`. Real EC2 omits it on every bare-metal type (152 of 1,373).
 */
export function machineTypeFactsFromEc2(info: Ec2InstanceTypeInfo): InstanceTypeFacts {
  return {
    provider: 'aws',
    name: info.InstanceType,
    virtualizationTypes: info.SupportedVirtualizationTypes,
    architectures: info.ProcessorInfo.SupportedArchitectures,
    enaSupport: info.NetworkInfo.EnaSupport,
    bootModes: info.SupportedBootModes,
    rootDeviceTypes: info.SupportedRootDeviceTypes,
    nitroTpm: info.NitroTpmSupport === 'supported',
    nvmeSupport: info.EbsInfo.NvmeSupport,
    currentGeneration: info.CurrentGeneration,
    hypervisor: info.Hypervisor,
    bareMetal: info.BareMetal,
    vcpus: info.VCpuInfo.DefaultVCpus,
    memoryMiB: info.MemoryInfo.SizeInMiB,
  };
}
