import { isAbsolute, relative, resolve, sep } from 'node:path';
import { closeMatches, didYouMean } from '../catalog/close-matches.js';
import { UsageError } from '../errors.js';
import type { Report } from '../model/index.js';
import { formatJson } from './json.js';
import { formatText } from './text.js';

/** Every output format, in the order `--help` lists them. */
export const FORMATS = ['text', 'json', 'sarif', 'junit', 'github', 'gitlab'] as const;
export type Format = (typeof FORMATS)[number];

/** One `--format` value: a format, written to `path` or (without one) to standard output. */
export interface FormatSpec {
  format: Format;
  path?: string;
}

/**
 * Parses a `--format` value: `sarif`, or a format and a file joined by `=` or `:` (`sarif=out.sarif`,
 * `junit:reports/imglint.xml`). The format name is case-insensitive; everything after the first `=` or `:` is the
 * path, verbatim (so `sarif:C:\out.sarif` works).
 *
 * @throws UsageError naming the known formats (and the closest, `did you mean sarif?`) when the format is unknown, or
 *   when `=`/`:` is followed by nothing.
 */
export function parseFormatSpec(spec: string): FormatSpec {
  const separator = spec.search(/[=:]/);
  const name = separator === -1 ? spec : spec.slice(0, separator);
  const format = FORMATS.find((known) => known === name.toLowerCase());
  if (format === undefined) {
    const [close] = didYouMean(name, closeMatches(name, FORMATS.map((known) => [known, []] as const)), false);
    throw new UsageError(`unknown output format "${name}": use one of ${FORMATS.join(', ')}${close === undefined ? '' : ` (${close.replace(/^D/, 'd')})`}`, {
      hint: 'write a format to a file with FORMAT=PATH, e.g. --format text --format sarif=imglint.sarif',
    });
  }
  if (separator === -1) return { format };
  const path = spec.slice(separator + 1);
  if (path === '') {
    throw new UsageError(`--format ${spec} names no file`, { hint: `write ${format}=PATH, or ${format} alone for standard output` });
  }
  return { format, path };
}

export interface RenderOptions {
  /** `text`: use ANSI colours (default false). */
  color?: boolean;
  /** `text`: only errors (targets with an error finding or that could not be checked) and the summary line. */
  quiet?: boolean;
  /**
   * The repository root (the CLI passes the working directory). When set, `sarif`, `junit`, `github` and `gitlab`
   * get source paths relative to it with forward slashes, as code scanning, annotations and Code Quality need;
   * paths outside it stay as they are. `text` and `json` always show paths as the report has them.
   */
  root?: string;
  /** `sarif` and `gitlab`: the file findings without a source file point at (the configuration file or manifest). */
  fallbackFile?: string;
}

/**
 * Renders a report in one format. Returns the text and writes nothing; for `github`, the caller also appends
 * `githubStepSummary` to `$GITHUB_STEP_SUMMARY`. The CI formats load on first use (`text` is the common case and
 * start-up is most of a check); `sarif` reads the rule pages of the package's docs/rules/ for its rules' `help`.
 *
 * @throws UsageError from `sarif` and `gitlab` when a finding has no file and `options.fallbackFile` is not set.
 */
export async function renderReport(report: Report, format: Format, options: RenderOptions = {}): Promise<string> {
  const { root } = options;
  const located = root === undefined || format === 'text' || format === 'json' ? report : withRepoPaths(report, root);
  const fallbackFile = root === undefined || options.fallbackFile === undefined ? options.fallbackFile : repoPath(options.fallbackFile, root);
  switch (format) {
    case 'text':
      return formatText(report, { color: options.color ?? false, quiet: options.quiet ?? false });
    case 'json':
      return formatJson(report);
    case 'sarif': {
      const [{ formatSarif }, rulePages] = await Promise.all([import('./sarif.js'), readRulePages(report)]);
      return formatSarif(located, { fallbackFile, rulePages, ...(root === undefined ? {} : { root: resolve(root) }) });
    }
    case 'junit':
      return (await import('./junit.js')).formatJunit(located);
    case 'github':
      return (await import('./github.js')).formatGithub(located);
    case 'gitlab':
      return (await import('./gitlab.js')).formatGitlab(located, { fallbackFile });
  }
}

/** The documentation page of every rule with a finding in the report (rules without a shipped page are left out). */
async function readRulePages(report: Report): Promise<Map<string, string>> {
  const { readRulePage } = await import('./rule-docs.js');
  const ids = [...new Set(report.results.flatMap((result) => result.findings.map((finding) => finding.ruleId)))];
  const pages = await Promise.all(ids.map(async (id) => [id, await readRulePage(id)] as const));
  return new Map(pages.flatMap(([id, page]) => (page === undefined ? [] : [[id, page] as const])));
}

function withRepoPaths(report: Report, root: string): Report {
  return {
    ...report,
    results: report.results.map((result) => {
      const { source } = result.target;
      if (source === undefined) return result;
      return { ...result, target: { ...result.target, source: { ...source, file: repoPath(source.file, root) } } };
    }),
  };
}

/** `file` relative to `root` with forward slashes, or `file` unchanged when it lies outside `root`. */
export function repoPath(file: string, root: string): string {
  const path = relative(root, resolve(root, file));
  if (path === '' || path === '..' || path.startsWith(`..${sep}`) || isAbsolute(path)) return file;
  return path.split(sep).join('/');
}
