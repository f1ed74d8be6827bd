import type { MatrixFilters, ImageMatrix, TypeMatrix } from '../../engine/matrix.js';
import type { CatalogSource, ProviderId } from '../../model/index.js';
import { formatMatrixCsv } from './csv.js';
import { formatMatrixJson } from './json.js';
import { formatMatrixMarkdown } from './markdown.js';
import { formatMatrixText } from './text.js';

/** Output formats of `imglint matrix`. */
export const MATRIX_FORMATS = ['text', 'json', 'csv', 'markdown'] as const;
/** One of {@link MATRIX_FORMATS}. */
export type MatrixFormat = (typeof MATRIX_FORMATS)[number];

/** Where the facts of a matrix came from, for the reader. */
export interface MatrixProvenance {
  provider: ProviderId;
  /** Where the machine type facts came from (an embedded catalog has a `dataAsOf` date). */
  catalog: CatalogSource;
  /** False when the catalog has no offerings for the region: types were then not judged on region availability. */
  offeringsKnown: boolean;
}

/** An image against a catalog (`imglint matrix --image ...`), ready to format. */
export interface ImageMatrixReport extends MatrixProvenance {
  kind: 'image';
  /** Where the image's facts came from: a file name, or `EC2 DescribeImages`. */
  imageFrom: string;
  filters: MatrixFilters;
  matrix: ImageMatrix;
}

/** A type against a set of images (`imglint matrix --type ...`), ready to format. */
export interface TypeMatrixReport extends MatrixProvenance {
  kind: 'type';
  /** Where the images came from: file names, `owner self (EC2 DescribeImages)`, ... */
  imagesFrom: string[];
  matrix: TypeMatrix;
}

/** What the matrix formatters render. */
export type MatrixReport = ImageMatrixReport | TypeMatrixReport;

/** Settings of the text format (the others ignore them). */
export interface MatrixFormatOptions {
  /** ANSI colours (stdout is a TTY and NO_COLOR is unset). */
  color: boolean;
  /** Terminal width in characters: wider tables are split into column blocks. */
  width: number;
}

/** Renders a matrix report in one of {@link MATRIX_FORMATS}. Pure: no I/O. */
export function formatMatrix(report: MatrixReport, format: MatrixFormat, options: MatrixFormatOptions): string {
  switch (format) {
    case 'text':
      return formatMatrixText(report, options);
    case 'json':
      return formatMatrixJson(report);
    case 'csv':
      return formatMatrixCsv(report);
    case 'markdown':
      return formatMatrixMarkdown(report);
  }
}
