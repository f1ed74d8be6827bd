import type { JudgedType, MatrixType } from '../../engine/matrix.js';
import { VERSION } from '../../version.js';
import type { MatrixReport } from './index.js';
import type { ImageMatrixDocument, MatrixDocument, TypeMatrixDocument } from './schema.js';

/** Version of the matrix JSON layout (`docs/matrix.md`, `schema.ts`); bumped on any incompatible change. */
export const MATRIX_SCHEMA_VERSION = 1;

/** The JSON format: {@link MatrixDocument}, documented in docs/matrix.md. */
export function formatMatrixJson(report: MatrixReport): string {
  return `${JSON.stringify(matrixDocument(report), null, 2)}\n`;
}

function matrixDocument(report: MatrixReport): MatrixDocument {
  const head = {
    tool: { name: 'imglint', version: VERSION },
    provider: report.provider,
    region: report.matrix.region,
    catalog: { ...report.catalog, offeringsKnown: report.offeringsKnown },
  } as const;
  return report.kind === 'image' ? imageDocument(report, head) : typeDocument(report, head);
}

/** The members both documents have after `schemaVersion` and `kind`. */
type Head = Pick<MatrixDocument, 'tool' | 'provider' | 'region' | 'catalog'>;

function typeFields(type: MatrixType) {
  return {
    type: type.ref,
    family: type.family,
    size: type.size,
    vcpus: type.vcpus,
    memoryGiB: type.memoryGiB,
    ...(type.currentGeneration !== undefined ? { currentGeneration: type.currentGeneration } : {}),
  };
}

/** {@link typeFields} and one member more, in one object: a matrix has over a thousand of them. */
function typeEntry<K extends 'warnings' | 'blockedBy'>(type: MatrixType, key: K, value: JudgedType[K]): ReturnType<typeof typeFields> & Record<K, JudgedType[K]> {
  const entry: Record<string, unknown> = { type: type.ref, family: type.family, size: type.size, vcpus: type.vcpus, memoryGiB: type.memoryGiB };
  if (type.currentGeneration !== undefined) entry.currentGeneration = type.currentGeneration;
  entry[key] = value;
  return entry as ReturnType<typeof typeFields> & Record<K, JudgedType[K]>;
}

function imageDocument(report: Extract<MatrixReport, { kind: 'image' }>, head: Head): ImageMatrixDocument {
  const { matrix, filters } = report;
  // Grouped in one pass: a catalog has a few hundred families and over a thousand types.
  const byFamily = new Map<string, JudgedType[]>();
  for (const type of matrix.types) {
    if (type.blockedBy.length > 0) continue;
    const family = byFamily.get(type.family);
    if (family === undefined) byFamily.set(type.family, [type]);
    else family.push(type);
  }
  return {
    schemaVersion: MATRIX_SCHEMA_VERSION,
    kind: 'image-matrix',
    ...head,
    image: matrix.image,
    imageFrom: report.imageFrom,
    filters: {
      families: [...(filters.families ?? [])],
      currentGeneration: filters.currentGeneration ?? false,
      minVcpus: filters.minVcpus ?? null,
      minMemoryGiB: filters.minMemoryGiB ?? null,
    },
    summary: {
      types: matrix.types.length,
      compatible: matrix.compatible,
      incompatible: matrix.types.length - matrix.compatible,
      families: matrix.compatibleFamilies,
      blockedBy: matrix.blockedBy,
    },
    compatible: matrix.compatibleFamilies.map((family) => ({
      family,
      types: (byFamily.get(family) ?? []).map((type) => typeEntry(type, 'warnings', type.warnings)),
    })),
    incompatible: matrix.types
      .filter((type) => type.blockedBy.length > 0)
      .map((type) => typeEntry(type, 'blockedBy', type.blockedBy)),
    imageFindings: matrix.imageFindings,
  };
}

function typeDocument(report: Extract<MatrixReport, { kind: 'type' }>, head: Head): TypeMatrixDocument {
  const { matrix } = report;
  const entry = (verdict: (typeof matrix.images)[number]) => ({
    image: verdict.image.id,
    ...(verdict.image.name !== undefined ? { name: verdict.image.name } : {}),
  });
  return {
    schemaVersion: MATRIX_SCHEMA_VERSION,
    kind: 'type-matrix',
    ...head,
    type: typeFields(matrix.type),
    imagesFrom: report.imagesFrom,
    summary: {
      images: matrix.images.length,
      compatible: matrix.compatible,
      incompatible: matrix.images.length - matrix.compatible,
      blockedBy: matrix.blockedBy,
    },
    compatible: matrix.images
      .filter((verdict) => verdict.blockedBy.length === 0)
      .map((verdict) => ({ ...entry(verdict), warnings: verdict.warnings })),
    incompatible: matrix.images
      .filter((verdict) => verdict.blockedBy.length > 0)
      .map((verdict) => ({ ...entry(verdict), blockedBy: verdict.blockedBy })),
  };
}
