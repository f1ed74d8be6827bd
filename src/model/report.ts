import * as z from 'zod/mini';
import { FailOn } from './common.js';
import { REPORT_SCHEMA_VERSION } from './severity.js';
import { Finding } from './finding.js';
import { Target } from './target.js';


/** Where the catalog facts came from. */
export const CatalogSource = z.object({
  /** `live` (provider API), `embedded` (shipped with imglint). */
  kind: z.enum(['live', 'embedded']),
  /** Human-readable origin (`EC2 API us-east-1`, `moto instance_types.json @0af643a5`). */
  description: z.string(),
  /** Date the data describes (YYYY-MM-DD), for embedded catalogs. */
  dataAsOf: z.optional(z.string()),
});
export type CatalogSource = z.infer<typeof CatalogSource>;

/** The verdict on one target. */
export const TargetResult = z.object({
  target: Target,
  /** `fail` when a finding reaches the fail threshold, `pass` otherwise. */
  verdict: z.enum(['pass', 'fail']),
  /** Image name as the provider reports it. */
  imageName: z.optional(z.string()),
  findings: z.array(Finding),
});
export type TargetResult = z.infer<typeof TargetResult>;

/** What `imglint check --format json` prints and `check()` returns. */
export const Report = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  tool: z.object({ name: z.literal('imglint'), version: z.string() }),
  /** Lowest severity that makes a target fail (`--fail-on`); `never` means nothing fails. */
  failOn: FailOn,
  catalog: CatalogSource,
  results: z.array(TargetResult),
  summary: z.object({
    targets: z.int(),
    failed: z.int(),
    errors: z.int(),
    warnings: z.int(),
    infos: z.int(),
  }),
});
export type Report = z.infer<typeof Report>;
