/**
 * Machines a plan keeps or resizes in place (`TargetRequest.existing`): a gate does not fail on what the deployment
 * does not launch. A kept machine's findings are infos; a resized one's image-only findings are, the new type's stand.
 */
import { describe, expect, it } from 'vitest';
import { createEmbeddedAwsProvider } from '../../src/catalog/aws-embedded.js';
import { checkTargets } from '../../src/engine/check-targets.js';
import type { TargetRequest } from '../../src/model/index.js';
import { images } from '../rules/images.js';

const now = new Date('2026-08-10T00:00:00Z');
// A paravirtual AMI that is also disabled: image-state (image only) and virtualization-type (the type) both fail.
const disabledPv = { ...images.paravirtual, state: 'disabled' };

async function check(existing: TargetRequest['existing'], type = 't2.micro') {
  const request: TargetRequest = {
    provider: 'aws',
    region: 'us-east-1',
    image: disabledPv.id,
    type,
    source: { file: 'plan.json', address: 'aws_instance.web' },
    ...(existing && { existing }),
  };
  return checkTargets([request], { now, knownImages: [disabledPv], providerFor: async () => createEmbeddedAwsProvider({ region: 'us-east-1', images: [disabledPv] }) });
}

const bySeverity = (report: Awaited<ReturnType<typeof check>>) =>
  Object.fromEntries(report.results[0]!.findings.filter((finding) => finding.ruleId !== 'previous-generation').map((finding) => [finding.ruleId, finding.severity]));

describe('machines the deployment does not launch anew', () => {
  it('a launch fails on the image and on the type', async () => {
    const report = await check(undefined);
    expect(report.results[0]!.verdict).toBe('fail');
    expect(bySeverity(report)).toMatchObject({ 'image-state': 'error', 'virtualization-type': 'error' });
    expect(report.notices).toEqual([]);
  });

  it('a kept machine reports the same findings as infos, passes, says so in the target and a notice', async () => {
    const existing = { change: 'kept' as const, reason: 'the plan leaves aws_instance.web as it is (no-op): it launches nothing' };
    const report = await check(existing);
    expect(report.results[0]).toMatchObject({ verdict: 'pass', target: { existing } });
    expect(bySeverity(report)).toMatchObject({ 'image-state': 'info', 'virtualization-type': 'info' });
    expect(report.summary).toMatchObject({ failed: 0, errors: 0 });
    expect(report.notices).toEqual([expect.stringMatching(/^1 target is a machine the plan keeps unchanged \(its findings are infos\)/)]);
  });

  it('a resized machine still fails on what the new type refuses, not on the image alone', async () => {
    const report = await check({ change: 'resized', reason: 'the plan changes instance_type in place' });
    expect(report.results[0]!.verdict).toBe('fail');
    expect(bySeverity(report)).toMatchObject({ 'image-state': 'info', 'virtualization-type': 'error' });
    const onPvType = await check({ change: 'resized', reason: 'the plan changes instance_type in place' }, 'c3.large');
    expect(onPvType.results[0]!.verdict).toBe('pass');
    expect(bySeverity(onPvType)).toMatchObject({ 'image-state': 'info' });
  });
});
