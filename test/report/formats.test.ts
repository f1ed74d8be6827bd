import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import type { Report } from '../../src/model/index.js';
import { FORMATS, parseFormatSpec, renderReport } from '../../src/report/formats.js';
import { formatGithub } from '../../src/report/github.js';
import { formatGitlab } from '../../src/report/gitlab.js';
import { formatJson } from '../../src/report/json.js';
import { formatJunit } from '../../src/report/junit.js';
import { formatSarif } from '../../src/report/sarif.js';
import { formatText } from '../../src/report/text.js';
import { PLAN, sampleReport } from './sample-report.js';

describe('parseFormatSpec', () => {
  it('lists the six formats', () => {
    expect(FORMATS).toEqual(['text', 'json', 'sarif', 'junit', 'github', 'gitlab']);
  });

  it.each([
    ['text', { format: 'text' }],
    ['sarif=out.sarif', { format: 'sarif', path: 'out.sarif' }],
    ['sarif:out.sarif', { format: 'sarif', path: 'out.sarif' }],
    ['JUnit=reports/imglint.xml', { format: 'junit', path: 'reports/imglint.xml' }],
    ['sarif:C:\\ci\\out.sarif', { format: 'sarif', path: 'C:\\ci\\out.sarif' }],
    ['gitlab=gl-code-quality=1.json', { format: 'gitlab', path: 'gl-code-quality=1.json' }],
  ])('parses %s', (spec, expected) => {
    expect(parseFormatSpec(spec)).toEqual(expected);
  });

  it('rejects an unknown format with a usage error that lists the formats', () => {
    expect(() => parseFormatSpec('checkstyle=out.xml')).toThrow(UsageError);
    expect(() => parseFormatSpec('checkstyle=out.xml')).toThrow('unknown output format "checkstyle": use one of text, json, sarif, junit, github, gitlab');
    expect(() => parseFormatSpec('')).toThrow(/unknown output format ""/);
  });

  it('rejects a separator with no file after it', () => {
    expect(() => parseFormatSpec('sarif=')).toThrow(UsageError);
    expect(() => parseFormatSpec('sarif:')).toThrow('--format sarif: names no file');
  });
});

describe('renderReport', () => {
  it('dispatches to each formatter', async () => {
    const report = await sampleReport();
    const fallbackFile = 'imglint.yaml';
    expect(await renderReport(report, 'text')).toBe(formatText(report, { color: false }));
    expect(await renderReport(report, 'text', { color: true })).toBe(formatText(report, { color: true }));
    expect(await renderReport(report, 'json')).toBe(formatJson(report));
    // renderReport reads the rule pages from docs/rules/ for SARIF's help and fullDescription.
    const ids = [...new Set(report.results.flatMap((result) => result.findings.map((finding) => finding.ruleId)))];
    const rulePages = new Map(ids.map((id) => [id, readFileSync(new URL(`../../docs/rules/${id}.md`, import.meta.url), 'utf8')]));
    expect(await renderReport(report, 'sarif', { fallbackFile })).toBe(formatSarif(report, { fallbackFile, rulePages }));
    expect(await renderReport(report, 'junit')).toBe(formatJunit(report));
    expect(await renderReport(report, 'github')).toBe(formatGithub(report));
    expect(await renderReport(report, 'gitlab', { fallbackFile })).toBe(formatGitlab(report, { fallbackFile }));
    await expect(renderReport(report, 'sarif')).rejects.toThrow(UsageError);
  });

  it('makes source paths relative to root for the CI formats, and leaves json alone', async () => {
    const sample = await sampleReport();
    const root = '/work/repo';
    const absolute: Report = {
      ...sample,
      results: sample.results.map((result) =>
        result.target.source ? { ...result, target: { ...result.target, source: { ...result.target.source, file: `${root}/${result.target.source.file}` } } } : result,
      ),
    };
    const options = { root, fallbackFile: `${root}/imglint.yaml` };
    const sarif = JSON.parse(await renderReport(absolute, 'sarif', options));
    const uris = new Set(sarif.runs[0].results.map((result: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => result.locations[0]!.physicalLocation.artifactLocation.uri));
    expect(uris).toEqual(new Set([PLAN, 'deploy/imglint.yaml', 'imglint.yaml']));
    expect(await renderReport(absolute, 'github', options)).toContain(`::error file=${PLAN},line=41,`);
    expect(JSON.parse(await renderReport(absolute, 'gitlab', options))[0].location.path).toBe(PLAN);
    expect(await renderReport(absolute, 'junit', options)).toContain(`file="${PLAN}"`);
    expect(await renderReport(absolute, 'json', options)).toContain(`"file": "${root}/${PLAN}"`);
  });

  it('leaves paths outside root as they are', async () => {
    const sample = await sampleReport();
    const outside: Report = { ...sample, results: [{ ...sample.results[0]!, target: { ...sample.results[0]!.target, source: { file: '/elsewhere/plan.json', line: 3 } } }] };
    expect(await renderReport(outside, 'github', { root: '/work/repo' })).toContain('::error file=/elsewhere/plan.json,line=3,');
  });
});
