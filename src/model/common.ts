import * as z from 'zod/mini';
import { FAIL_ON, SEVERITIES } from './severity.js';

/** Cloud provider families imglint knows. */
export const ProviderId = z.enum(['aws', 'rackspace', 'openstack']);
export type ProviderId = z.infer<typeof ProviderId>;

/** Severity of a finding, highest first. */
export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;

/** CPU architectures, in EC2's spelling (`Image.Architecture`, `ProcessorInfo.SupportedArchitectures`). */
export const Architecture = z.enum(['i386', 'x86_64', 'arm64', 'x86_64_mac', 'arm64_mac']);
export type Architecture = z.infer<typeof Architecture>;

/** EC2 `VirtualizationType` values. `paravirtual` is PV; `hvm` is HVM (PVHVM on Rackspace). */
export const VirtualizationType = z.enum(['hvm', 'paravirtual']);
export type VirtualizationType = z.infer<typeof VirtualizationType>;

/** Boot firmware an instance type offers (`SupportedBootModes`). */
export const BootMode = z.enum(['legacy-bios', 'uefi']);
export type BootMode = z.infer<typeof BootMode>;

/** Root device kinds (`RootDeviceType`, `SupportedRootDeviceTypes`). */
export const RootDeviceType = z.enum(['ebs', 'instance-store']);
export type RootDeviceType = z.infer<typeof RootDeviceType>;

/** A three-way support level as EC2 spells it (`NetworkInfo.EnaSupport`, `EbsInfo.NvmeSupport`). */
export const SupportLevel = z.enum(['required', 'supported', 'unsupported']);
export type SupportLevel = z.infer<typeof SupportLevel>;

/** The `--fail-on` threshold: a severity, or `never` to fail on nothing. */
export const FailOn = z.enum(FAIL_ON);
export type FailOn = z.infer<typeof FailOn>;
