import { constants } from 'node:fs';
import { close, fstat, open, readFile } from '../fs-async.js';
import { resolve } from 'node:path';
import { withResults } from '../engine/verdict.js';
import type { Finding, Report } from '../model/index.js';
import { rules } from '../rules/index.js';
import { suggestion } from '../catalog/close-matches.js';

/**
 * `# imglint-ignore <rule-id> -- <reason>` (or `// ...`, HCL's other comment): one comment line above a Terraform
 * resource block, a CloudFormation resource or a manifest entry.
 */
const DIRECTIVE = /^\s*(?:#|\/\/)\s*imglint-ignore\b(.*)$/;
const BODY = /^\s+(\S+)\s+--\s+(\S.*?)\s*$/;
/** Any comment line: a directive may sit among other comments directly above the resource. */
const COMMENT = /^\s*(?:#|\/\/)/;
/** Source files larger than this are not searched for directives (a plan or template is far smaller). */
const MAX_SOURCE_BYTES = 16 * 1024 * 1024;

const ruleIds = rules.map((rule) => rule.id);

/** One directive, where it was found, and whether it matched a finding. */
interface Directive {
  file: string;
  line: number;
  ruleId: string;
  reason: string;
  used: boolean;
}

/**
 * Applies the inline ignores of the files the report's targets point at: for a target with `source.file` and
 * `source.line` (the line its resource starts on), the comment lines directly above that line are read, and each
 * `imglint-ignore <rule-id> -- <reason>` among them suppresses the target's findings of that rule (`suppressed:
 * {reason, kind: 'inline'}`), which then count for nothing, as an ignore of the configuration. A finding already
 * suppressed keeps its suppression. A directive without a reason, with an unknown rule ID, or that matched no finding
 * adds a notice (`main.tf:11: ...`) and suppresses nothing. Files that cannot be read, are not regular files or are
 * over 16 MiB have no directives.
 *
 * @param cwd - the directory relative source paths are resolved against (the CLI's working directory).
 */
export async function applyInlineIgnores(report: Report, { cwd = process.cwd() }: { cwd?: string } = {}): Promise<Report> {
  // JSON has no comments: a plan or a JSON template cannot hold a directive, and is not read (it may be megabytes).
  const files = new Set(
    report.results.flatMap(({ target, findings }) =>
      target.source?.line !== undefined && findings.length > 0 && !/\.json$/i.test(target.source.file) ? [target.source.file] : [],
    ),
  );
  if (files.size === 0) return report;
  const sources = new Map(await Promise.all([...files].map(async (file) => [file, await readLines(resolve(cwd, file))] as const)));
  const notices: string[] = [];
  const byLine = new Map<string, Directive[]>();
  const directivesAbove = (file: string, line: number): Directive[] => {
    const key = `${file}\u0000${line}`;
    let found = byLine.get(key);
    if (found === undefined) {
      found = parseAbove(file, sources.get(file), line, notices);
      byLine.set(key, found);
    }
    return found;
  };

  const results = report.results.map((result) => {
    const { source } = result.target;
    if (source?.line === undefined || result.findings.length === 0) return result;
    const directives = directivesAbove(source.file, source.line);
    if (directives.length === 0) return result;
    const findings = result.findings.map((finding): Finding => {
      const directive = directives.find((candidate) => candidate.ruleId === finding.ruleId);
      if (directive === undefined) return finding;
      directive.used = true;
      return finding.suppressed ? finding : { ...finding, suppressed: { reason: directive.reason, kind: 'inline' } };
    });
    return { ...result, findings };
  });
  for (const directives of byLine.values()) {
    for (const { file, line, ruleId, used } of directives) {
      if (!used) notices.push(`${file}:${line}: the inline ignore of ${ruleId} matched no finding; remove it if it is stale`);
    }
  }
  return withResults(report, results, notices);
}

/** The directives among the comment lines directly above 1-based `line`; problems become notices. */
function parseAbove(file: string, lines: readonly string[] | undefined, line: number, notices: string[]): Directive[] {
  const directives: Directive[] = [];
  if (lines === undefined) return directives;
  for (let index = line - 2; index >= 0 && COMMENT.test(lines[index]!); index--) {
    const match = DIRECTIVE.exec(lines[index]!);
    if (match === null) continue;
    const where = `${file}:${index + 1}`;
    const body = BODY.exec(match[1]!);
    if (body === null) {
      notices.push(`${where}: an inline ignore needs a rule ID and a reason (# imglint-ignore <rule-id> -- <reason>); it is not applied`);
      continue;
    }
    const [, ruleId, reason] = body as unknown as [string, string, string];
    if (!ruleIds.includes(ruleId)) {
      notices.push(`${where}: the inline ignore names an unknown rule id ${ruleId}${suggestion(ruleId, ruleIds)}; it is not applied`);
      continue;
    }
    directives.push({ file, line: index + 1, ruleId, reason, used: false });
  }
  return directives;
}

/** The file's lines, or undefined when it is not a regular file that can be read within the size limit. */
async function readLines(path: string): Promise<string[] | undefined> {
  let fd: number | undefined;
  try {
    // Non-blocking: opening a FIFO for reading would otherwise wait for a writer, forever.
    fd = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const info = await fstat(fd);
    if (!info.isFile() || info.size > MAX_SOURCE_BYTES) return undefined;
    return (await readFile(fd)).split(/\r?\n/);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) await close(fd);
  }
}
