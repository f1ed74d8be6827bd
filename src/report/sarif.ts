import { isAbsolute, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { UsageError } from '../errors.js';
import type { Finding, Report, Severity, Target, TargetResult } from '../model/index.js';
import { rules, type Rule } from '../rules/index.js';
import { findingFingerprint } from './fingerprint.js';
import { findingText } from './launch-error.js';
import { firstParagraph } from './rule-docs.js';

/** Where SARIF's `$schema` points: the OASIS 2.1.0 schema as GitHub and most viewers fetch it. */
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/** The project page, `tool.driver.informationUri`. */
const INFORMATION_URI = 'https://github.com/imglint/imglint';

/** The `uriBaseId` of every relative artifact URI: the root of the checkout (code scanning resolves it). */
const SRCROOT = '%SRCROOT%';

/** Key of the one partial fingerprint imglint writes; the version part changes only if its inputs change. */
const FINGERPRINT_KEY = 'imglint/v1';

/** `run.automationDetails.id`: category `imglint`, no run ID (code scanning compares runs of one category). */
const AUTOMATION_ID = 'imglint/';

const LEVEL: Record<Severity, Sarif.Result.level> = { error: 'error', warning: 'warning', info: 'note' };

export interface SarifOptions {
  /**
   * Rule documentation pages (Markdown) by rule ID: each rule's `help` (text and markdown) and `fullDescription`.
   * `renderReport` reads them from the package's docs/rules/; without a page a rule has its summary only.
   */
  rulePages?: ReadonlyMap<string, string>;
  /**
   * Absolute path of the directory relative artifact URIs are relative to (the repository root), written as
   * `originalUriBaseIds["%SRCROOT%"]`; without it the base is described but not located.
   */
  root?: string;
  /**
   * File that findings point at when their target has no source file (targets given as CLI flags): the
   * configuration file or manifest of the run. Without it such findings cannot be placed and {@link formatSarif}
   * throws, because GitHub code scanning rejects results without an artifact URI.
   */
  fallbackFile?: string;
}

/**
 * The SARIF 2.1.0 format (GitHub code scanning and other SARIF viewers): one run whose `tool.driver.rules` lists
 * each rule that produced a finding once, and one result per finding, suppressed ones included with an
 * `external` suppression. Targets that could not be checked (verdict `error`) are tool execution notifications in
 * `invocations[0]`, not results: nothing was found about them. Report notices are notifications too.
 *
 * @throws UsageError when a finding's target has no source file and `options.fallbackFile` is not set.
 */
export function formatSarif(report: Report, options: SarifOptions = {}): string {
  const descriptors = ruleDescriptors(report.results.flatMap((result) => result.findings), options.rulePages ?? new Map());
  const ruleIndex = new Map(descriptors.map((descriptor, index) => [descriptor.id, index]));

  const results = report.results.flatMap((result) =>
    result.findings.map((finding): Sarif.Result => {
      const { target } = result;
      const file = target.source?.file ?? options.fallbackFile;
      if (file === undefined) {
        throw new UsageError(
          `SARIF needs a file for every finding, and ${target.image} on ${target.type} in ${target.region} came from no file`,
          { hint: 'read the targets from a manifest or Terraform plan, or pass the configuration file as the fallback location' },
        );
      }
      const artifact = artifactLocation(file);
      return {
        ruleId: finding.ruleId,
        ruleIndex: ruleIndex.get(finding.ruleId)!,
        level: LEVEL[finding.severity],
        message: { text: findingText(finding) },
        locations: [sourceLocation(target, artifact)],
        partialFingerprints: { [FINGERPRINT_KEY]: findingFingerprint(finding.ruleId, target, artifact.uri) },
        ...(finding.suppressed ? { suppressions: [suppression(finding.suppressed)] } : {}),
        properties: targetProperties(result),
      };
    }),
  );

  const errored = report.results.filter((result) => result.verdict === 'error');
  const notifications: Sarif.Notification[] = [
    ...errored.map((result): Sarif.Notification => {
      const file = result.target.source?.file ?? options.fallbackFile;
      return {
        level: 'error',
        message: { text: errorText(result) },
        ...(file === undefined ? {} : { locations: [sourceLocation(result.target, artifactLocation(file))] }),
        properties: { ...targetProperties(result), ...(result.error ? { errorKind: result.error.kind, errorCode: result.error.code } : {}) },
      };
    }),
    ...report.notices.map((notice): Sarif.Notification => ({ level: 'note', message: { text: notice } })),
  ];

  const log: Sarif.Log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'imglint', version: report.tool.version, informationUri: INFORMATION_URI, rules: descriptors } },
        // GitHub code scanning files the run's alerts under this category (the part before the last `/`).
        automationDetails: { id: AUTOMATION_ID },
        originalUriBaseIds: { [SRCROOT]: srcroot(options.root) },
        invocations: [{ executionSuccessful: errored.length === 0, toolExecutionNotifications: notifications }],
        results,
        properties: {
          failOn: report.failOn,
          ...(report.maxWarnings === undefined ? {} : { maxWarnings: report.maxWarnings }),
          catalogs: report.catalogs,
          summary: report.summary,
        },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/**
 * One descriptor per rule ID that has a finding, never two with the same ID (code scanning rejects that), in
 * registry order; an ID no rule declares (a report from another imglint version) gets one made from its first finding.
 */
function ruleDescriptors(findings: readonly Finding[], pages: ReadonlyMap<string, string>): Sarif.ReportingDescriptor[] {
  const firstFinding = new Map<string, Finding>();
  for (const finding of findings) if (!firstFinding.has(finding.ruleId)) firstFinding.set(finding.ruleId, finding);
  const byId = new Map<string, Sarif.ReportingDescriptor>();
  for (const rule of rules) if (firstFinding.has(rule.id) && !byId.has(rule.id)) byId.set(rule.id, descriptor(rule, pages.get(rule.id)));
  for (const [id, finding] of firstFinding) {
    if (!byId.has(id)) byId.set(id, descriptor({ id, summary: id, severity: finding.severity, docsUrl: finding.docs, providers: [] }, pages.get(id)));
  }
  return [...byId.values()];
}

function descriptor(rule: Pick<Rule, 'id' | 'summary' | 'severity' | 'docsUrl' | 'providers'>, page: string | undefined): Sarif.ReportingDescriptor {
  const full = page === undefined ? undefined : firstParagraph(page);
  return {
    id: rule.id,
    name: rule.id.replace(/(?:^|-)([a-z0-9])/g, (_, letter: string) => letter.toUpperCase()),
    shortDescription: { text: rule.summary },
    fullDescription: { text: full ?? rule.summary },
    // Code scanning shows `help.markdown` in the alert; `text` is for viewers without Markdown.
    help: page === undefined ? { text: `${rule.summary}\n\nSee ${rule.docsUrl}` } : { text: page, markdown: page },
    // Code scanning rejects a helpUri that is not an absolute URI; a rule without one still has its ID.
    ...(URL.canParse(rule.docsUrl) ? { helpUri: rule.docsUrl } : {}),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: { tags: ['imglint', 'launch-compatibility', ...rule.providers] },
  };
}

/** The base of relative artifact URIs: the root as a `file:` URI ending in `/` (SARIF requires it), or a description. */
function srcroot(root: string | undefined): Sarif.ArtifactLocation {
  if (root === undefined || !isAbsolute(root)) return { description: { text: 'The root of the repository checkout imglint ran in' } };
  return { uri: pathToFileURL(root.endsWith(sep) ? root : `${root}${sep}`).href };
}

/**
 * An ignore matched: `inSource` for an `# imglint-ignore` comment in the analysed file, `external` for the
 * configuration's ignores and the baseline, which live outside it.
 */
function suppression({ reason, expires, kind }: NonNullable<Finding['suppressed']>): Sarif.Suppression {
  return {
    kind: kind === 'inline' ? 'inSource' : 'external',
    status: 'accepted',
    justification: reason,
    ...(expires !== undefined ? { properties: { expires } } : {}),
  };
}

function errorText({ target, error }: TargetResult): string {
  const where = `${target.image} on ${target.type} in ${target.region} could not be checked`;
  if (error === undefined) return where;
  return `${where} (${error.code}): ${error.message}${error.hint === undefined ? '' : `\n${error.hint}`}`;
}

function targetProperties({ target, imageName }: TargetResult): Record<string, string> {
  return {
    provider: target.provider,
    region: target.region,
    image: target.image,
    type: target.type,
    ...(imageName !== undefined ? { imageName } : {}),
    ...(target.source?.address !== undefined ? { address: target.source.address } : {}),
  };
}

/** The file (the target's, or the fallback), with the target's line and resource address when it has them. */
function sourceLocation({ source }: Target, artifact: Sarif.ArtifactLocation): Sarif.Location {
  return {
    physicalLocation: {
      artifactLocation: artifact,
      ...(source?.line !== undefined ? { region: { startLine: source.line } } : {}),
    },
    ...(source?.address !== undefined ? { logicalLocations: [{ fullyQualifiedName: source.address, kind: 'resource' }] } : {}),
  };
}

/**
 * A relative path becomes a relative URI under `%SRCROOT%` (backslashes turned into slashes, a leading `./`
 * dropped, each segment percent-encoded); an absolute path becomes a `file:` URI.
 */
function artifactLocation(file: string): Sarif.ArtifactLocation & { uri: string } {
  if (isAbsolute(file)) return { uri: pathToFileURL(file).href };
  const segments = file.replaceAll('\\', '/').split('/');
  if (segments[0] === '.') segments.shift();
  return { uri: segments.map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}
