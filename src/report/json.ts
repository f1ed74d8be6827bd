import type { Report } from '../model/index.js';

/** The JSON format: the Report itself (schema `schemaVersion` 1, documented in docs/json-report.md). */
export function formatJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
