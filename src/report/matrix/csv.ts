import type { MatrixReport } from './index.js';
import { formatGiB } from './summary.js';

/**
 * The CSV format (RFC 4180: CRLF line ends, a header row, fields quoted when they hold a comma, quote or line break).
 * Image matrix: one row per judged type, `type,family,vcpus,memory_gib,compatible,blocking_rules`. Type matrix: one
 * row per image, `image,name,type,compatible,blocking_rules`. `blocking_rules` lists rule IDs separated by `;`.
 */
export function formatMatrixCsv(report: MatrixReport): string {
  const rows: (string | number | boolean)[][] = [];
  if (report.kind === 'image') {
    rows.push(['type', 'family', 'vcpus', 'memory_gib', 'compatible', 'blocking_rules']);
    for (const type of report.matrix.types) {
      rows.push([type.ref, type.family, type.vcpus, formatGiB(type.memoryGiB), type.blockedBy.length === 0, type.blockedBy.join(';')]);
    }
  } else {
    rows.push(['image', 'name', 'type', 'compatible', 'blocking_rules']);
    for (const { image, blockedBy } of report.matrix.images) {
      rows.push([image.id, image.name ?? '', report.matrix.type.ref, blockedBy.length === 0, blockedBy.join(';')]);
    }
  }
  return rows.map((row) => `${row.map(field).join(',')}\r\n`).join('');
}

function field(value: string | number | boolean): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
