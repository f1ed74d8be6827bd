import { createColors } from 'picocolors';
import { sizeColumns, type JudgedType, type RuleCount } from '../../engine/matrix.js';
import type { Finding } from '../../model/index.js';
import { rules } from '../../rules/index.js';
import type { ImageMatrixReport, MatrixFormatOptions, MatrixReport, TypeMatrixReport } from './index.js';
import { formatCount, imageSummary, provenanceLines, typeSummary } from './summary.js';

type Colors = ReturnType<typeof createColors>;

/** A size the family has and the image can run on. */
const CAN = '●';
/** A size the family has that a rule blocks. */
const CANNOT = '·';
/** Images listed per section before "… and N more". */
const IMAGES_LISTED = 50;

/**
 * The text format: the summary sentence, a family x size table of the types that can run the image (or the list of
 * images that can run on the type), the blocking rules with counts, and where the facts came from.
 */
export function formatMatrixText(report: MatrixReport, options: MatrixFormatOptions): string {
  const c = createColors(options.color);
  const lines = report.kind === 'image' ? imageLines(report, c, options.width) : typeLines(report, c);
  lines.push('', ...provenanceLines(report).map((line) => c.dim(line)));
  return `${lines.join('\n')}\n`;
}

function imageLines(report: ImageMatrixReport, c: Colors, width: number): string[] {
  const { matrix } = report;
  const lines = [c.bold(imageSummary(report))];
  if (matrix.compatible > 0) {
    lines.push('', ...familyTable(matrix.types, matrix.compatibleFamilies, c, width));
  }
  if (matrix.compatible < matrix.types.length) {
    const noun = report.provider === 'aws' ? 'type' : 'flavor';
    lines.push('', `cannot run it, by blocking rule (a ${noun} blocked by several rules counts under each):`);
    lines.push(...ruleTable(matrix.blockedBy, c));
  }
  if (matrix.imageFindings.length > 0) {
    lines.push('', 'the image itself, whatever the type:');
    lines.push(...matrix.imageFindings.map((finding) => findingLine(finding, c)));
  }
  if (matrix.blockedBy.length > 0 || matrix.imageFindings.length > 0) {
    lines.push('', c.dim(`why, and how to fix: imglint explain <rule-id>, e.g. imglint explain ${(matrix.blockedBy[0] ?? matrix.imageFindings[0]!).ruleId}`));
  }
  return lines;
}

/**
 * One row per family, one column per size (`2xl` for 2xlarge); columns that do not fit `width` continue in another
 * block with the family column repeated, like a wide table printed on narrow paper. A block leaves out the families
 * that have none of its sizes.
 */
function familyTable(types: readonly JudgedType[], families: readonly string[], c: Colors, width: number): string[] {
  const shown = new Set(families);
  const cells = new Map<string, Map<string, JudgedType>>(families.map((family) => [family, new Map()]));
  for (const type of types) if (shown.has(type.family)) cells.get(type.family)!.set(type.size, type);
  const columns = sizeColumns(types.filter((type) => shown.has(type.family))).map((size) => ({ size, label: columnLabel(size) }));
  const familyWidth = Math.max('family'.length, ...families.map((family) => family.length));

  const blocks: (typeof columns)[] = [];
  let block: typeof columns = [];
  let used = familyWidth;
  for (const column of columns) {
    if (block.length > 0 && used + 2 + column.label.length > width) {
      blocks.push(block);
      block = [];
      used = familyWidth;
    }
    block.push(column);
    used += 2 + column.label.length;
  }
  blocks.push(block);

  const abbreviated = columns.some(({ size, label }) => size !== label);
  const lines = [`${c.green(CAN)} can run it   ${c.dim(CANNOT)} cannot   blank: no such size${abbreviated ? '   2xl: 2xlarge' : ''}`];
  for (const block of blocks) {
    if (lines.length > 1) lines.push('');
    lines.push(c.dim(['family'.padEnd(familyWidth), ...block.map(({ label }) => label)].join('  ')));
    for (const family of families) {
      const row = cells.get(family)!;
      if (!block.some(({ size }) => row.has(size))) continue;
      const marks = block.map(({ size, label }) => {
        const type = row.get(size);
        const pad = Math.floor((label.length - 1) / 2);
        const mark = type === undefined ? ' ' : type.blockedBy.length === 0 ? c.green(CAN) : c.dim(CANNOT);
        return `${' '.repeat(pad)}${mark}${' '.repeat(label.length - 1 - pad)}`;
      });
      lines.push([family.padEnd(familyWidth), ...marks].join('  ').trimEnd());
    }
  }
  return lines;
}

/** A size as a column header: `2xlarge` -> `2xl`; other sizes as they are. */
function columnLabel(size: string): string {
  return size.replace(/^(\d+)xlarge$/, '$1xl');
}

const summaries = new Map(rules.map((rule) => [rule.id, rule.summary]));

function ruleTable(counts: readonly RuleCount[], c: Colors): string[] {
  const idWidth = Math.max(...counts.map(({ ruleId }) => ruleId.length));
  const countWidth = Math.max(...counts.map(({ count }) => formatCount(count).length));
  return counts.map(
    ({ ruleId, count }) =>
      `  ${ruleId.padEnd(idWidth)}  ${c.red(formatCount(count).padStart(countWidth))}  ${c.dim(summaries.get(ruleId) ?? '')}`.trimEnd(),
  );
}

function findingLine(finding: Finding, c: Colors): string {
  const severity = finding.severity === 'error' ? c.red(finding.severity.padEnd(7)) : c.yellow(finding.severity.padEnd(7));
  return `  ${severity} ${c.dim(finding.ruleId)}  ${finding.message}`;
}

function typeLines(report: TypeMatrixReport, c: Colors): string[] {
  const { matrix } = report;
  const lines = [c.bold(typeSummary(report))];
  const can = matrix.images.filter((verdict) => verdict.blockedBy.length === 0);
  const cannot = matrix.images.filter((verdict) => verdict.blockedBy.length > 0);
  const idWidth = Math.max(0, ...matrix.images.slice(0, IMAGES_LISTED).map((verdict) => verdict.image.id.length));
  const more = (count: number) => (count > IMAGES_LISTED ? [c.dim(`  … and ${formatCount(count - IMAGES_LISTED)} more (--format csv lists every image)`)] : []);
  if (can.length > 0) {
    lines.push('', `can run on ${matrix.type.ref}:`);
    for (const { image, warnings } of can.slice(0, IMAGES_LISTED)) {
      const note = warnings > 0 ? c.yellow(`  ${warnings} warning${warnings === 1 ? '' : 's'}`) : '';
      lines.push(`  ${c.green(CAN)} ${image.id.padEnd(idWidth)}  ${image.name ?? ''}${note}`.trimEnd());
    }
    lines.push(...more(can.length));
  }
  if (cannot.length > 0) {
    lines.push('', `cannot run on ${matrix.type.ref}:`);
    const listed = cannot.slice(0, IMAGES_LISTED);
    const rulesWidth = Math.max(...listed.map(({ blockedBy }) => blockedBy.join(', ').length));
    for (const { image, blockedBy } of listed) {
      const blocking = c.red(blockedBy.join(', ').padEnd(rulesWidth));
      lines.push(`  ${c.dim(CANNOT)} ${image.id.padEnd(idWidth)}  ${blocking}  ${c.dim(image.name ?? '')}`.trimEnd());
    }
    lines.push(...more(cannot.length));
    lines.push('', 'blocking rules (an image blocked by several rules counts under each):', ...ruleTable(matrix.blockedBy, c));
    lines.push('', c.dim(`why, and how to fix: imglint explain ${matrix.blockedBy[0]!.ruleId}`));
  }
  return lines;
}
