import * as z from 'zod/mini';
import type { AcceleratorFacts, AcceleratorKind, FactRange, SelectionFacts } from '../../src/model/index.js';

/**
 * The members of EC2's `InstanceTypeInfo` (DescribeInstanceTypes) that attribute-based instance type selection
 * reads, and their mapping to {@link SelectionFacts}. Every member is optional here: a listing whose selection
 * members EC2 changed still checks pairs (the pair schema in `instance-type-schema.ts` is strict), and the facts
 * it cannot read are left out, so the requirements reading them leave the type undecided instead of guessing.
 */

const Count = z.optional(z.number());
const Memory = z.optional(z.object({ SizeInMiB: z.optional(z.number()) }));
const Device = z.object({ Count, Manufacturer: z.optional(z.string()), Name: z.optional(z.string()), MemoryInfo: Memory });

/** The selection members of `InstanceTypeInfo`, in the API's PascalCase. */
export const Ec2SelectionInfo = z.object({
  BurstablePerformanceSupported: z.boolean(),
  HibernationSupported: z.boolean(),
  ProcessorInfo: z.optional(z.object({ Manufacturer: z.optional(z.string()) })),
  GpuInfo: z.optional(z.object({ Gpus: z.optional(z.array(Device)), TotalGpuMemoryInMiB: Count })),
  FpgaInfo: z.optional(z.object({ Fpgas: z.optional(z.array(Device)), TotalFpgaMemoryInMiB: Count })),
  InferenceAcceleratorInfo: z.optional(z.object({ Accelerators: z.optional(z.array(Device)), TotalInferenceMemoryInMiB: Count })),
  MediaAcceleratorInfo: z.optional(z.object({ Accelerators: z.optional(z.array(Device)), TotalMediaMemoryInMiB: Count })),
  NeuronInfo: z.optional(z.object({ NeuronDevices: z.optional(z.array(Device)), TotalNeuronDeviceMemoryInMiB: Count })),
  NetworkInfo: z.optional(
    z.object({
      MaximumNetworkInterfaces: Count,
      DefaultNetworkCardIndex: Count,
      EncryptionInTransitSupported: z.optional(z.boolean()),
      NetworkCards: z.optional(
        z.array(z.object({ NetworkCardIndex: Count, MaximumNetworkInterfaces: Count, BaselineBandwidthInGbps: Count, PeakBandwidthInGbps: Count })),
      ),
    }),
  ),
  EbsInfo: z.optional(z.object({ EbsOptimizedInfo: z.optional(z.object({ BaselineBandwidthInMbps: Count })) })),
  InstanceStorageSupported: z.optional(z.boolean()),
  InstanceStorageInfo: z.optional(z.object({ TotalSizeInGB: Count, Disks: z.optional(z.array(z.object({ Type: z.optional(z.string()) }))) })),
});
export type Ec2SelectionInfo = z.infer<typeof Ec2SelectionInfo>;

/**
 * `ProcessorInfo.Manufacturer` → `CpuManufacturers` value, per the `InstanceRequirements` reference ("For instance
 * types with Intel CPUs, specify intel", ...). A manufacturer not listed maps to nothing.
 */
const CPU_MANUFACTURERS: Readonly<Record<string, string>> = { Intel: 'intel', AMD: 'amd', AWS: 'amazon-web-services', Apple: 'apple' };

/** Accelerator `Manufacturer` → `AcceleratorManufacturers` value (the reference's list). */
const ACCELERATOR_MANUFACTURERS: Readonly<Record<string, string>> = {
  AWS: 'amazon-web-services',
  AMD: 'amd',
  Habana: 'habana',
  NVIDIA: 'nvidia',
  Xilinx: 'xilinx',
};

/**
 * Accelerator `Name` → `AcceleratorNames` value, for the devices the reference names ("For instance types with NVIDIA
 * A10G GPUs, specify a10g", ...; "For instance types with Xilinx VU9P FPGAs, specify vu9p") that
 * `DescribeInstanceTypes` lists under these names (f1's FPGA: `Virtex UltraScale (VU9P)`). Newer devices (`H200`,
 * `B200`, `Virtex UltraScale+ (VU47P)`) have no documented value and map to nothing.
 */
const ACCELERATOR_NAMES: Readonly<Record<string, string>> = {
  A100: 'a100',
  A10G: 'a10g',
  H100: 'h100',
  Inferentia: 'inferentia',
  Inferentia2: 'inferentia2',
  K520: 'k520',
  K80: 'k80',
  L4: 'l4',
  L40S: 'l40s',
  M60: 'm60',
  'Radeon Pro V520': 'radeon-pro-v520',
  T4: 't4',
  T4g: 't4g',
  Trainium: 'trainium',
  Trainium2: 'trainium2',
  U30: 'u30',
  V100: 'v100',
  'Virtex UltraScale (VU9P)': 'vu9p',
};

type Device = z.infer<typeof Device>;

function devices(list: readonly Device[] | undefined, kind: AcceleratorKind | undefined): AcceleratorFacts[] {
  return (list ?? []).map((device) => {
    const manufacturer = ACCELERATOR_MANUFACTURERS[device.Manufacturer ?? ''];
    const name = ACCELERATOR_NAMES[device.Name ?? ''];
    // A GPU partition (g6f: Count 0, GpuPartitionSize 0.125) is no whole device: how EC2 counts it is not documented.
    const count = device.Count !== undefined && Number.isInteger(device.Count) && device.Count > 0 ? device.Count : undefined;
    return { ...(kind && { kind }), ...(manufacturer && { manufacturer }), ...(name && { name }), ...(count !== undefined && { count }) };
  });
}

/**
 * Maps the selection members of one `InstanceTypeInfo` to {@link SelectionFacts}; `undefined` when `raw` does not
 * have them in the documented shape (then the engine falls back to the embedded catalog's facts for the type).
 *
 * - Accelerators: `GpuInfo` → `gpu`, `FpgaInfo` → `fpga`, `InferenceAcceleratorInfo` → `inference`,
 *   `MediaAcceleratorInfo` → `media`; `NeuronInfo` devices not also listed as inference accelerators (Trainium)
 *   have no documented `AcceleratorTypes` value. Memory is the sum of the `Total*MemoryInMiB` members.
 * - Network: interfaces and bandwidth are ranges from the default network card to all cards (and, for bandwidth,
 *   from baseline to peak), because the reference does not say which one `NetworkInterfaceCount` and
 *   `NetworkBandwidthGbps` are compared with.
 */
export function selectionFactsFromEc2(raw: unknown): SelectionFacts | undefined {
  const parsed = Ec2SelectionInfo.safeParse(raw);
  if (!parsed.success) return undefined;
  const info = parsed.data;
  const inference = info.InferenceAcceleratorInfo;
  const neuronOnly = inference === undefined ? info.NeuronInfo : undefined;
  const groups: [AcceleratorFacts[], number | undefined, boolean][] = [
    [devices(info.GpuInfo?.Gpus, 'gpu'), info.GpuInfo?.TotalGpuMemoryInMiB, info.GpuInfo !== undefined],
    [devices(info.FpgaInfo?.Fpgas, 'fpga'), info.FpgaInfo?.TotalFpgaMemoryInMiB, info.FpgaInfo !== undefined],
    [devices(inference?.Accelerators, 'inference'), inference?.TotalInferenceMemoryInMiB, inference !== undefined],
    [devices(info.MediaAcceleratorInfo?.Accelerators, 'media'), info.MediaAcceleratorInfo?.TotalMediaMemoryInMiB, info.MediaAcceleratorInfo !== undefined],
    [devices(neuronOnly?.NeuronDevices, undefined), neuronOnly?.TotalNeuronDeviceMemoryInMiB, neuronOnly !== undefined],
  ];
  const present = groups.filter(([, , has]) => has);
  const memoryKnown = present.every(([, total]) => total !== undefined);
  const network = info.NetworkInfo;
  const cards = network?.NetworkCards ?? [];
  const defaultCard = cards.find((card) => card.NetworkCardIndex === (network?.DefaultNetworkCardIndex ?? 0));
  const storage = info.InstanceStorageInfo;
  const diskTypes = [...new Set((storage?.Disks ?? []).map((disk) => disk.Type))];
  const documentedDisks = diskTypes.every((type): type is 'hdd' | 'ssd' => type === 'hdd' || type === 'ssd');
  const cpuManufacturer = CPU_MANUFACTURERS[info.ProcessorInfo?.Manufacturer ?? ''];
  const ebs = info.EbsInfo?.EbsOptimizedInfo?.BaselineBandwidthInMbps;
  const interfaces = range(defaultCard?.MaximumNetworkInterfaces, network?.MaximumNetworkInterfaces);
  const bandwidth = range(defaultCard?.BaselineBandwidthInGbps, sum(cards.map((card) => card.PeakBandwidthInGbps)));
  const hasStorage = info.InstanceStorageSupported ?? storage !== undefined;
  if (hasStorage && storage?.TotalSizeInGB === undefined) return undefined;
  return {
    ...(cpuManufacturer && { cpuManufacturer }),
    burstable: info.BurstablePerformanceSupported,
    hibernation: info.HibernationSupported,
    ...(network?.EncryptionInTransitSupported !== undefined && { encryptionInTransit: network.EncryptionInTransitSupported }),
    accelerators: present.flatMap(([list]) => list),
    ...(memoryKnown && { acceleratorMemoryMiB: present.reduce((total, [, memory]) => total + memory!, 0) }),
    ...(interfaces && { networkInterfaces: interfaces }),
    ...(bandwidth && { networkBandwidthGbps: bandwidth }),
    ...(ebs !== undefined && { baselineEbsBandwidthMbps: ebs }),
    ...(hasStorage && { localStorage: { totalGB: storage!.TotalSizeInGB!, ...(documentedDisks && diskTypes.length > 0 && { types: diskTypes.sort() }) } }),
  };
}

function sum(values: readonly (number | undefined)[]): number | undefined {
  return values.length === 0 || values.some((value) => value === undefined) ? undefined : values.reduce<number>((total, value) => total + value!, 0);
}

/** `[low, high]` when both are known and in order; else `undefined`. */
function range(low: number | undefined, high: number | undefined): FactRange | undefined {
  if (low === undefined || high === undefined) return undefined;
  return [Math.min(low, high), Math.max(low, high)];
}
