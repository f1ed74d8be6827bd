import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import type * as Sarif from 'sarif';
import { beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { Report } from '../../src/model/index.js';
import { formatSarif, SARIF_SCHEMA_URI } from '../../src/report/sarif.js';
import { MANIFEST, movedLines, PLAN, sampleReport } from './sample-report.js';

const require = createRequire(import.meta.url);
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;

/**
 * The OASIS SARIF 2.1.0 schema (test/fixtures/sarif/README.md). It is draft-04, which Ajv 8 does not read: the
 * draft-04 `id` becomes `$id` and the meta-schema reference goes; every keyword it uses means the same in draft-07.
 */
function sarifValidator() {
  const { $schema: _draft04, id, ...schema } = JSON.parse(readFileSync(new URL('../fixtures/sarif/sarif-schema-2.1.0.json', import.meta.url), 'utf8'));
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile({ $id: id, ...schema });
}

const validate = sarifValidator();
const FALLBACK = 'imglint.yaml';

function sarif(report: Report, options: Parameters<typeof formatSarif>[1] = { fallbackFile: FALLBACK }): Sarif.Log {
  const text = formatSarif(report, options);
  const log = JSON.parse(text) as Sarif.Log;
  const valid = validate(log);
  expect(valid ? [] : validate.errors).toEqual([]);
  return log;
}

const run = (log: Sarif.Log): Sarif.Run => log.runs[0]!;
const fingerprints = (log: Sarif.Log) => run(log).results!.map((result) => result.partialFingerprints!['imglint/v1']);

describe('formatSarif', () => {
  let report: Report;
  let log: Sarif.Log;
  beforeAll(async () => {
    report = Report.parse(await sampleReport());
    log = sarif(report);
  });

  it('is valid SARIF 2.1.0 with one run of imglint', () => {
    expect(log.$schema).toBe(SARIF_SCHEMA_URI);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(run(log).tool.driver).toMatchObject({ name: 'imglint', version: report.tool.version, informationUri: 'https://github.com/imglint/imglint' });
  });

  it('is checked by a live validator: a relative helpUri or a missing message fails the schema', () => {
    const broken = structuredClone(log);
    run(broken).tool.driver.rules![0]!.helpUri = 'docs/rules/x.md';
    delete (run(broken).results![0] as Partial<Sarif.Result>).message;
    expect(validate(broken)).toBe(false);
    expect(validate.errors!.map((error) => `${error.instancePath} ${error.keyword}`)).toEqual(
      expect.arrayContaining(['/runs/0/tool/driver/rules/0/helpUri format', '/runs/0/results/0 required']),
    );
  });

  it('lists every rule that has a finding exactly once, and each result points at its rule', () => {
    const descriptors = run(log).tool.driver.rules!;
    const ids = descriptors.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    const found = new Set(report.results.flatMap((result) => result.findings.map((finding) => finding.ruleId)));
    expect(new Set(ids)).toEqual(found);
    for (const result of run(log).results!) expect(descriptors[result.ruleIndex!]!.id).toBe(result.ruleId);
    expect(descriptors.find((rule) => rule.id === 'virtualization-type')).toEqual({
      id: 'virtualization-type',
      name: 'VirtualizationType',
      shortDescription: { text: expect.stringMatching(/paravirtual/) },
      fullDescription: { text: expect.stringMatching(/paravirtual/) },
      help: { text: expect.stringMatching(/paravirtual/) },
      helpUri: 'https://github.com/imglint/imglint/blob/main/docs/rules/virtualization-type.md',
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['imglint', 'launch-compatibility', 'aws', 'rackspace'] },
    });
    expect(descriptors.at(-1)).toMatchObject({ id: 'unverifiable', defaultConfiguration: { level: 'warning' } });
  });

  it('gives every rule an absolute https helpUri', () => {
    for (const rule of run(log).tool.driver.rules!) expect(new URL(rule.helpUri!).protocol).toBe('https:');
  });

  it('writes a non-empty message with the provider error and the fix', () => {
    const results = run(log).results!;
    for (const result of results) expect(result.message.text?.trim()).not.toBe('');
    expect(results[0]!.message.text).toBe(
      [
        'AMI ami-0e972d2890378139a is paravirtual; c5.large supports only hvm',
        "Launch error: InvalidParameterCombination: Virtualization type 'hvm' is required for instances of type 'c5.large'. Ensure that you are using an AMI with virtualization type 'hvm'. For more information, see http://docs.aws.amazon.com/AWSEC2/latest/UserGuide/virtualization_types.html",
        'Fix: Use an HVM build of the same OS, or an instance type that supports paravirtual',
      ].join('\n'),
    );
  });

  it('maps error, warning and info to error, warning and note', () => {
    const levels = Object.fromEntries(run(log).results!.map((result) => [result.ruleId, result.level]));
    expect(levels).toMatchObject({ 'virtualization-type': 'error', 'image-deprecated': 'warning', 'previous-generation': 'note', unverifiable: 'warning' });
  });

  it('points at the source file relative to %SRCROOT%, with the line and the resource address', () => {
    expect(run(log).results![0]!.locations).toEqual([
      {
        physicalLocation: { artifactLocation: { uri: PLAN, uriBaseId: '%SRCROOT%' }, region: { startLine: 41 } },
        logicalLocations: [{ fullyQualifiedName: 'aws_instance.legacy', kind: 'resource' }],
      },
    ]);
    const uris = new Set(run(log).results!.map((result) => result.locations![0]!.physicalLocation!.artifactLocation!.uri));
    expect(uris).toEqual(new Set([PLAN, MANIFEST, FALLBACK]));
  });

  it('points findings of targets without a file at the fallback file, without a line', () => {
    const rackspace = run(log).results!.find((result) => result.ruleId === 'auto-disk-config')!;
    expect(rackspace.locations).toEqual([{ physicalLocation: { artifactLocation: { uri: FALLBACK, uriBaseId: '%SRCROOT%' } } }]);
  });

  it('refuses to write a finding without a location (GitHub rejects an empty artifact URI)', () => {
    expect(() => formatSarif(report)).toThrow(UsageError);
    expect(() => formatSarif(report)).toThrow(/SARIF needs a file for every finding.*f8ae535e-67c0-41a5-bf55-b06d0ee40cc2 on general1-1 in IAD/);
    const located = { ...report, results: report.results.filter((result) => result.target.source !== undefined) };
    expect(() => sarif(located, {})).not.toThrow();
  });

  it('keeps fingerprints across runs and when only the line moves', async () => {
    const again = sarif(Report.parse(await sampleReport()));
    expect(fingerprints(again)).toEqual(fingerprints(log));
    const moved = sarif(movedLines(report, 7));
    expect(moved.runs[0]!.results![0]!.locations![0]!.physicalLocation!.region!.startLine).toBe(48);
    expect(fingerprints(moved)).toEqual(fingerprints(log));
    expect(new Set(fingerprints(log)).size).toBe(fingerprints(log).length);
    for (const fingerprint of fingerprints(log)) expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes the fingerprint when the target changes', () => {
    const other = structuredClone(report);
    other.results[0]!.target.type = 'c5.xlarge';
    expect(fingerprints(sarif(other))[0]).not.toBe(fingerprints(log)[0]);
  });

  it('marks suppressed findings with an external suppression carrying the reason', () => {
    const suppressed = run(log).results!.filter((result) => result.suppressions !== undefined);
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0]).toMatchObject({
      ruleId: 'architecture',
      level: 'error',
      suppressions: [{ kind: 'external', status: 'accepted', justification: 'Graviton rollout, see OPS-1234', properties: { expires: '2027-03-31' } }],
    });
  });

  it('reports unverifiable targets as results of rule unverifiable', () => {
    const result = run(log).results!.find((candidate) => candidate.ruleId === 'unverifiable')!;
    expect(result.message.text).toMatch(/^Cannot check before apply: ami is known only after apply/);
    expect(result.properties).toMatchObject({ image: '(known after apply)', type: 't3.small' });
  });

  it('reports targets that could not be checked as error notifications of the invocation, not as results', () => {
    const [invocation] = run(log).invocations!;
    expect(invocation!.executionSuccessful).toBe(false);
    const [error, notice] = invocation!.toolExecutionNotifications!;
    expect(error).toMatchObject({
      level: 'error',
      message: { text: expect.stringMatching(/^ami-01f446d4eeaed8a3c on m9\.large in us-east-1 could not be checked \(InstanceTypeNotFound\): Unknown instance type m9\.large/) },
      locations: [{ physicalLocation: { artifactLocation: { uri: PLAN }, region: { startLine: 150 } } }],
      properties: { errorKind: 'input', errorCode: 'InstanceTypeNotFound', type: 'm9.large' },
    });
    expect(notice).toEqual({ level: 'note', message: { text: report.notices[0] } });
    expect(run(log).results!.some((result) => result.properties?.['type'] === 'm9.large')).toBe(false);
  });

  it('writes an empty, successful run for a clean report', () => {
    const clean = { ...report, notices: [], results: report.results.filter((result) => result.findings.length === 0 && result.verdict === 'pass') };
    const empty = sarif(clean, {});
    expect(run(empty).results).toEqual([]);
    expect(run(empty).tool.driver.rules).toEqual([]);
    expect(run(empty).invocations).toEqual([{ executionSuccessful: true, toolExecutionNotifications: [] }]);
  });

  it('encodes paths as URI references: forward slashes, no ./, percent-encoded segments, absolute paths as file URIs', () => {
    const uriOf = (file: string) => {
      const one = structuredClone(report);
      one.results = [{ ...one.results[0]!, target: { ...one.results[0]!.target, source: { file } } }];
      return run(sarif(one)).results![0]!.locations![0]!.physicalLocation!.artifactLocation;
    };
    expect(uriOf('./plan.json')).toEqual({ uri: 'plan.json', uriBaseId: '%SRCROOT%' });
    expect(uriOf('infra\\prod\\plan.json')).toEqual({ uri: 'infra/prod/plan.json', uriBaseId: '%SRCROOT%' });
    expect(uriOf('infra/prod plan #1.json')).toEqual({ uri: 'infra/prod%20plan%20%231.json', uriBaseId: '%SRCROOT%' });
    expect(uriOf('/work/repo/plan.json')).toEqual({ uri: 'file:///work/repo/plan.json' });
  });

  it('describes a rule the registry does not know from its finding, without a helpUri that is not absolute', () => {
    const odd = structuredClone(report);
    odd.results[0]!.findings = [{ ...odd.results[0]!.findings[0]!, ruleId: 'future-rule', docs: 'docs/rules/future-rule.md' }];
    const rule = run(sarif(odd)).tool.driver.rules!.find((candidate) => candidate.id === 'future-rule');
    expect(rule).toEqual({
      id: 'future-rule',
      name: 'FutureRule',
      shortDescription: { text: 'future-rule' },
      fullDescription: { text: 'future-rule' },
      help: { text: 'future-rule\n\nSee docs/rules/future-rule.md' },
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['imglint', 'launch-compatibility'] },
    });
  });

  it('gives each rule its docs page as help (text and markdown) and its first paragraph as fullDescription', () => {
    const page = readFileSync(new URL('../../docs/rules/virtualization-type.md', import.meta.url), 'utf8');
    const documented = run(sarif(report, { fallbackFile: FALLBACK, rulePages: new Map([['virtualization-type', page]]) })).tool.driver.rules!;
    expect(documented.find((rule) => rule.id === 'virtualization-type')).toMatchObject({
      fullDescription: { text: 'The image is paravirtual (PV) or HVM and the instance type or flavor class does not run that virtualization type.' },
      help: { text: page, markdown: page },
    });
  });

  it('says where %SRCROOT% is (originalUriBaseIds) and files the run under the imglint category (automationDetails)', () => {
    expect(run(log).originalUriBaseIds).toEqual({ '%SRCROOT%': { description: { text: expect.stringMatching(/root/) } } });
    expect(run(sarif(report, { fallbackFile: FALLBACK, root: '/work/repo' })).originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///work/repo/' } });
    expect(run(log).automationDetails).toEqual({ id: 'imglint/' });
  });

  it('marks an inline ignore as an inSource suppression and a configuration or baseline one as external', () => {
    const kinds = (kind: 'inline' | 'baseline' | undefined) => {
      const one = structuredClone(report);
      one.results[0]!.findings[0]!.suppressed = { reason: 'accepted', ...(kind ? { kind } : {}) };
      return run(sarif(one)).results![0]!.suppressions![0]!.kind;
    };
    expect([kinds('inline'), kinds('baseline'), kinds(undefined)]).toEqual(['inSource', 'external', 'external']);
  });
});
