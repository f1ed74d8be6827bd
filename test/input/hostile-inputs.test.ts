/**
 * Hostile input files (issue 13): costs that grew faster than the file, and internals in messages.
 * The assertions count work (parses, alias look-ups) rather than time it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Alias } from 'yaml';
import { createEmbeddedAwsProvider } from '../../src/catalog/aws-embedded.js';
import { checkTargets } from '../../src/engine/check-targets.js';
import { parseJsonText } from '../../src/input/json-file.js';
import { rules } from '../../src/rules/index.js';
import { imageFactsFromEc2 } from '../../providers/aws/normalize.js';
import { readFileSync } from 'node:fs';
import { parseManifest } from '../../src/input/manifest/manifest.js';
import { parseTerraformPlan } from '../../src/input/terraform/plan.js';
import { inputError } from '../support/errors.js';

afterEach(() => vi.restoreAllMocks());

describe('malformed JSON', () => {
  it('finds the error position in one parse, however large the file (it was re-parsed ~26 times)', () => {
    const entries = Array.from({ length: 20_000 }, (_, i) => `  {"ImageId": "ami-${i}", "Architecture": "x86_64"}`);
    entries[15_000] = '  {"ImageId": "ami-x", "Architecture": x86_64}';
    const text = `{"Images": [\n${entries.join(',\n')}\n]}`;
    const parse = vi.spyOn(JSON, 'parse');
    const error = inputError(() => parseJsonText(text, 'big.json', { malformed: 'MalformedImageFile', hint: '' }));
    expect(parse).toHaveBeenCalledTimes(1);
    expect(error.message).toBe(`big.json: not valid JSON: Unexpected token 'x' at line 15002, column 40`);
  });

  it('still gives the position V8 reports itself', () => {
    const error = inputError(() => parseJsonText('{\n  "a": 1,\n}', 'f.json', { malformed: 'M', hint: '' }));
    expect(error.message).toBe('f.json: not valid JSON: Expected double-quoted property name at line 3, column 1');
  });
});

describe('YAML manifests', () => {
  const entry = (i: number) => `  - provider: aws\n    image: ami-0006118602dfc1c09\n    type: t3.micro\n    name: n${i}\n`;

  it("resolves aliases in one pass, without the library's per-alias walk over the document", () => {
    const anchors = Array.from({ length: 2000 }, (_, i) => `  - &t${i} t3.micro`).join('\n');
    const uses = Array.from({ length: 2000 }, (_, i) => `  - {provider: aws, image: ami-1, type: *t${i}}`).join('\n');
    const resolve = vi.spyOn(Alias.prototype, 'resolve');
    const { targets } = parseManifest(`x-types:\n${anchors}\ntargets:\n${uses}\n`, 'm.yaml');
    expect(targets).toHaveLength(2000);
    expect(targets.every((target) => target.type === 't3.micro')).toBe(true);
    expect(resolve).not.toHaveBeenCalled();
  });

  it('refuses nesting deeper than 100 levels in one line, also where the parser itself overflows', () => {
    for (const depth of [150, 5000]) {
      const error = inputError(() => parseManifest(`targets: ${'['.repeat(depth)}${']'.repeat(depth)}\n`, 'm.yaml'));
      expect(error.code).toBe('MalformedManifest');
      expect(error.message).toMatch(/^m\.yaml:1(:\d+)?: nested too deeply \(imglint reads at most 100 levels\)$/);
    }
  });

  it('reads a large manifest in pieces with the same targets, lines and error positions as one document', () => {
    const count = 15_000;
    const text = `# fleet\ntargets:\n${Array.from({ length: count }, (_, i) => entry(i)).join('')}`;
    expect(text.length).toBeGreaterThan(1 << 20);
    const { targets } = parseManifest(text, 'm.yaml');
    expect(targets).toHaveLength(count);
    expect(targets[0]!.source).toEqual({ file: 'm.yaml', line: 3, address: 'n0' });
    expect(targets[count - 1]!.source).toEqual({ file: 'm.yaml', line: 3 + 4 * (count - 1), address: `n${count - 1}` });
    const broken = text.replace('    type: t3.micro\n    name: n9000\n', '    type: t3.micro\n    naem: n9000\n');
    expect(inputError(() => parseManifest(broken, 'm.yaml')).message).toBe(`m.yaml:${3 + 4 * 9000 + 3}: targets[9000].naem: unknown key (did you mean name?)`);
  });
});

describe('many targets of one manifest', () => {
  it('walks the catalog for fix hints once per distinct pair, not once per target (10k targets took 11 s)', async () => {
    const raw = (JSON.parse(readFileSync('examples/aws/ami-0e972d2890378139a.json', 'utf8')) as { Images: unknown[] }).Images[0];
    const pv = imageFactsFromEc2(raw as never, 'us-east-1');
    const rule = rules.find((candidate) => candidate.id === 'virtualization-type')!;
    const violates = vi.spyOn(rule, 'violates');
    const targets = Array.from({ length: 500 }, (_, i) => ({ provider: 'aws' as const, region: 'us-east-1', image: pv.id, type: 't2.micro', source: { file: 'm.yaml', line: i + 1 } }));
    const report = await checkTargets(targets, { knownImages: [pv], providerFor: async () => createEmbeddedAwsProvider({ region: 'us-east-1', images: [pv] }) });
    expect(report.summary.failed).toBe(500);
    expect(report.results[499]!.findings[0]!.alternatives).toEqual(report.results[0]!.findings[0]!.alternatives);
    // One pass over the catalog (~1,400 types) plus one check per target; it was 500 passes.
    expect(violates.mock.calls.length).toBeLessThan(3 * 1400);
  });
});

describe('Terraform plan format_version', () => {
  it('reads 0.1 and 0.2 (Terraform 0.12 to 1.0 wrote them) and says so when refusing another major', () => {
    for (const version of ['0.1', '0.2']) expect(parseTerraformPlan(JSON.stringify({ format_version: version, planned_values: {} }), 'p.json')).toEqual([]);
    expect(inputError(() => parseTerraformPlan(JSON.stringify({ format_version: '2.0', planned_values: {} }), 'p.json')).message).toMatch(/imglint reads formats 0\.x and 1\.x$/);
  });
});
