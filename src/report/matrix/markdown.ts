import { rules } from '../../rules/index.js';
import type { RuleCount } from '../../engine/matrix.js';
import type { ImageMatrixReport, MatrixReport, TypeMatrixReport } from './index.js';
import { formatCount, imageSummary, provenanceLines, typeSummary } from './summary.js';

/**
 * The Markdown format, for a pull-request comment: the summary sentence, a table (families with the sizes that can
 * and cannot run the image; or the images with their blocking rules), the blocking rules with counts and links to
 * their docs, and where the facts came from.
 */
export function formatMatrixMarkdown(report: MatrixReport): string {
  const lines = report.kind === 'image' ? imageTables(report) : typeTables(report);
  lines.push('', `<sub>${provenanceLines(report).map(escape).join('<br>')}</sub>`);
  return `${lines.join('\n')}\n`;
}

function imageTables(report: ImageMatrixReport): string[] {
  const { matrix } = report;
  const lines = [`**${escape(imageSummary(report))}**`];
  if (matrix.compatible > 0) {
    lines.push('', '| family | sizes that can run it | sizes that cannot |', '|---|---|---|');
    for (const family of matrix.compatibleFamilies) {
      const sizes = matrix.types.filter((type) => type.family === family);
      const can = sizes.filter((type) => type.blockedBy.length === 0).map((type) => type.size);
      const cannot = sizes.filter((type) => type.blockedBy.length > 0).map((type) => type.size);
      lines.push(`| \`${escape(family)}\` | ${escape(can.join(', '))} | ${escape(cannot.join(', '))} |`);
    }
  }
  if (matrix.blockedBy.length > 0) lines.push('', ...ruleTable(matrix.blockedBy, report.provider === 'aws' ? 'types' : 'flavors'));
  if (matrix.imageFindings.length > 0) {
    lines.push('', 'The image itself, whatever the type:', '');
    for (const finding of matrix.imageFindings) lines.push(`- **${finding.severity}** [\`${finding.ruleId}\`](${finding.docs}): ${escape(finding.message)}`);
  }
  return lines;
}

function typeTables(report: TypeMatrixReport): string[] {
  const { matrix } = report;
  const lines = [`**${escape(typeSummary(report))}**`];
  if (matrix.images.length > 0) {
    lines.push('', '| image | name | can run it | blocking rules |', '|---|---|---|---|');
    for (const { image, blockedBy } of matrix.images) {
      const verdict = blockedBy.length === 0 ? 'yes' : 'no';
      lines.push(`| \`${image.id}\` | ${escape(image.name ?? '')} | ${verdict} | ${blockedBy.map((id) => `\`${id}\``).join(', ')} |`);
    }
  }
  if (matrix.blockedBy.length > 0) lines.push('', ...ruleTable(matrix.blockedBy, 'images'));
  return lines;
}

const docsUrls = new Map(rules.map((rule) => [rule.id, rule.docsUrl]));

function ruleTable(counts: readonly RuleCount[], noun: string): string[] {
  return [
    `| blocking rule | ${noun} blocked |`,
    '|---|--:|',
    ...counts.map(({ ruleId, count }) => {
      const url = docsUrls.get(ruleId);
      return `| ${url ? `[\`${ruleId}\`](${url})` : `\`${ruleId}\``} | ${formatCount(count)} |`;
    }),
  ];
}

/** Text that cannot break the table or turn into markup: `|`, `*`, `_`, `<`, backticks and line breaks escaped. */
function escape(text: string): string {
  return text.replace(/[\\|*_<>`[\]]/g, (char) => `\\${char}`).replace(/\r?\n/g, ' ');
}
