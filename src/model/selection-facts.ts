import * as z from 'zod/mini';

/**
 * What attribute-based instance type selection (`InstanceRequirements`) reads of an instance type beyond
 * {@link InstanceTypeFacts}: one shape whatever the source (a live `DescribeInstanceTypes` answer, normalized by
 * `providers/aws/selection-facts.ts`, or the embedded catalog's `selection.json`). Values use the spelling of
 * `InstanceRequirements` (`intel`, `amazon-web-services`, `a10g`), so the engine compares them as they are.
 *
 * A fact the source does not decide is absent (`undefined`), never guessed: the engine then leaves undecided
 * whether the requirement that reads it selects the type. Ranges (`[low, high]`) hold a quantity EC2's answer
 * gives more than one reading of (a burstable network's baseline and peak, one network card or all of them).
 */

/** An `InstanceRequirements` range a fact may span: `[low, high]`, equal when the fact is exact. */
export const FactRange = z.tuple([z.number().check(z.nonnegative()), z.number().check(z.nonnegative())]);
export type FactRange = z.infer<typeof FactRange>;

/** `AcceleratorTypes` values. */
export const AcceleratorKind = z.enum(['gpu', 'fpga', 'inference', 'media']);
export type AcceleratorKind = z.infer<typeof AcceleratorKind>;

/** One kind of accelerator device on an instance type (`GpuInfo.Gpus[]`, `FpgaInfo.Fpgas[]`, ...). */
export const AcceleratorFacts = z.object({
  /** Its `AcceleratorTypes` value; absent when EC2 documents none for it (Trainium chips, listed only under `NeuronInfo`). */
  kind: z.optional(AcceleratorKind),
  /** Its `AcceleratorManufacturers` value (`nvidia`); absent when EC2 documents none for the manufacturer (`Qualcomm`). */
  manufacturer: z.optional(z.string()),
  /** Its `AcceleratorNames` value (`a10g`); absent when EC2 documents none for the device (`H200`, `VU47P`). */
  name: z.optional(z.string()),
  /** How many (`Count`); absent when not a whole number of devices (a GPU partition: `Count` 0, `GpuPartitionSize` 0.125). */
  count: z.optional(z.int().check(z.nonnegative())),
});
export type AcceleratorFacts = z.infer<typeof AcceleratorFacts>;

/** The selection facts of one instance type. Source of each: the `DescribeInstanceTypes` member named. */
export const SelectionFacts = z.object({
  /** `CpuManufacturers` value of `ProcessorInfo.Manufacturer` (`intel`, `amd`, `amazon-web-services`, `apple`); absent when undocumented. */
  cpuManufacturer: z.optional(z.string()),
  /** `BurstablePerformanceSupported`. */
  burstable: z.boolean(),
  /** `HibernationSupported`. */
  hibernation: z.boolean(),
  /** `NetworkInfo.EncryptionInTransitSupported`; absent when the answer lacks it. */
  encryptionInTransit: z.optional(z.boolean()),
  /** Every accelerator device kind (GPU, FPGA, inference, media, Neuron); empty for a type without accelerators. */
  accelerators: z.array(AcceleratorFacts),
  /** Total accelerator memory in MiB (`TotalGpuMemoryInMiB` + `TotalFpgaMemoryInMiB` + ...); 0 without accelerators; absent when a total is missing. */
  acceleratorMemoryMiB: z.optional(z.number().check(z.nonnegative())),
  /** Network interfaces: `[default card's MaximumNetworkInterfaces, NetworkInfo.MaximumNetworkInterfaces]`. */
  networkInterfaces: z.optional(FactRange),
  /** Network bandwidth in Gbps: `[default card's BaselineBandwidthInGbps, sum of every card's PeakBandwidthInGbps]`. */
  networkBandwidthGbps: z.optional(FactRange),
  /** `EbsInfo.EbsOptimizedInfo.BaselineBandwidthInMbps`, in Mbps; absent on types that are not EBS-optimized. */
  baselineEbsBandwidthMbps: z.optional(z.number().check(z.nonnegative())),
  /** `InstanceStorageInfo.TotalSizeInGB` (GB, decimal) and its disks' `Type`s; absent without instance store. */
  localStorage: z.optional(
    z.object({
      totalGB: z.number().check(z.nonnegative()),
      /** The disks' `Type`s (`hdd`, `ssd`); absent when one is a type `LocalStorageTypes` does not document. */
      types: z.optional(z.array(z.enum(['hdd', 'ssd']))),
    }),
  ),
});
export type SelectionFacts = z.infer<typeof SelectionFacts>;
