import * as z from 'zod/mini';
import { CatalogSource, Finding, ImageFacts, ProviderId } from '../../model/index.js';
import { MATRIX_SCHEMA_VERSION } from './json.js';

/**
 * The documents `imglint matrix --format json` prints (docs/matrix.md), as zod schemas for consumers and tests. The
 * CLI only imports the inferred types, so these schemas stay off its start-up path.
 */

const RuleCount = z.object({ ruleId: z.string(), count: z.int().check(z.positive()) });

/** An instance type or flavor: `type` is the name users pass (instance type name, flavor ID). */
const MatrixType = z.object({
  type: z.string(),
  /** AWS: the name before the `.`; flavors: the flavor class, else the ID before the first `-`. */
  family: z.string(),
  size: z.string(),
  vcpus: z.number(),
  memoryGiB: z.number(),
  /** AWS only. */
  currentGeneration: z.optional(z.boolean()),
});

const Head = {
  schemaVersion: z.literal(MATRIX_SCHEMA_VERSION),
  tool: z.object({ name: z.literal('imglint'), version: z.string() }),
  provider: ProviderId,
  region: z.string(),
  /** Where the type facts came from; `offeringsKnown: false` when types were not judged on region availability. */
  catalog: z.extend(CatalogSource, { offeringsKnown: z.boolean() }),
};

/** `imglint matrix --image ...`: every type of the catalog (after filters) against one image. */
export const ImageMatrixDocument = z.object({
  ...Head,
  kind: z.literal('image-matrix'),
  image: ImageFacts,
  /** A file name, or the API the image was described by. */
  imageFrom: z.string(),
  filters: z.object({
    families: z.array(z.string()),
    currentGeneration: z.boolean(),
    minVcpus: z.nullable(z.number()),
    minMemoryGiB: z.nullable(z.number()),
  }),
  summary: z.object({
    /** Types judged: the catalog after the filters. */
    types: z.int(),
    compatible: z.int(),
    incompatible: z.int(),
    /** Families with at least one compatible type. */
    families: z.array(z.string()),
    /** Blocked types per rule, most first; a type blocked by several rules counts under each. */
    blockedBy: z.array(RuleCount),
  }),
  /** Compatible types by family; `warnings` counts the warning findings the pair still has. */
  compatible: z.array(
    z.object({ family: z.string(), types: z.array(z.extend(MatrixType, { warnings: z.int() })) }),
  ),
  /** Blocked types, with the IDs of every error rule that blocks each one. */
  incompatible: z.array(z.extend(MatrixType, { blockedBy: z.array(z.string()).check(z.minLength(1)) })),
  /** Findings that hold whatever the type (image state, deprecation). */
  imageFindings: z.array(Finding),
});
export type ImageMatrixDocument = z.infer<typeof ImageMatrixDocument>;

const ImageEntry = { image: z.string(), name: z.optional(z.string()) };

/** `imglint matrix --type ...`: a set of images against one type. */
export const TypeMatrixDocument = z.object({
  ...Head,
  kind: z.literal('type-matrix'),
  type: MatrixType,
  /** File names, `owner self (EC2 DescribeImages)`, ... */
  imagesFrom: z.array(z.string()),
  summary: z.object({
    images: z.int(),
    compatible: z.int(),
    incompatible: z.int(),
    blockedBy: z.array(RuleCount),
  }),
  compatible: z.array(z.object({ ...ImageEntry, warnings: z.int() })),
  incompatible: z.array(z.object({ ...ImageEntry, blockedBy: z.array(z.string()).check(z.minLength(1)) })),
});
export type TypeMatrixDocument = z.infer<typeof TypeMatrixDocument>;

/** What `imglint matrix --format json` prints. */
export const MatrixDocument = z.discriminatedUnion('kind', [ImageMatrixDocument, TypeMatrixDocument]);
export type MatrixDocument = z.infer<typeof MatrixDocument>;
