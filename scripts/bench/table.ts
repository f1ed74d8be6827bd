// Plain-text tables for the bench's stdout.

/**
 * Prints `rows` under `header`, every column padded to its widest cell. `align` gives each column's alignment
 * (`l` or `r`, default `l`).
 */
export function printTable(title: string, header: readonly string[], rows: readonly (readonly string[])[], align = ''): void {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[]) =>
    `  ${widths
      .map((width, column) => (align[column] === 'r' ? (row[column] ?? '').padStart(width) : (row[column] ?? '').padEnd(width)))
      .join('  ')
      .trimEnd()}`;
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(`  ${widths.map((width) => '-'.repeat(width)).join('  ')}`);
  for (const row of rows) console.log(line(row));
}

/** `1,234,567` */
export const int = (value: number): string => Math.round(value).toLocaleString('en-US');

/** `12.3 ms` */
export const ms = (value: number): string => `${value.toFixed(1)} ms`;

/** `ok   <= 3` or `MISS <= 3` */
export const goal = (ok: boolean, text: string): string => `${ok ? 'ok  ' : 'MISS'} ${text}`;
