import * as z from 'zod/mini';
import { FailOn } from './common.js';
import { REPORT_SCHEMA_VERSION } from './severity.js';
import { Finding } from './finding.js';
import { Target } from './target.js';

/** Where the catalog facts came from. */
export const CatalogSource = z.object({
  /** `live` (provider API), `cache` (an earlier live answer kept on disk), `snapshot` (`--catalog` file),
   * `embedded` (shipped with imglint), `file` (flavors described in `--flavor-file`s). */
  kind: z.enum(['live', 'cache', 'snapshot', 'embedded', 'file']),
  /** Human-readable origin (`EC2 API (us-east-1)`, `imglint embedded catalog: moto instance_types.json @0af643a5`). */
  description: z.string(),
  /** Date the data describes (YYYY-MM-DD), for embedded catalogs and snapshots. */
  dataAsOf: z.optional(z.string()),
  /** When a cached or snapshot catalog was fetched from the provider (ISO 8601). */
  fetchedAt: z.optional(z.string()),
});
export type CatalogSource = z.infer<typeof CatalogSource>;

/** Why a target could not be checked. */
export const TargetError = z.object({
  /** `input` (exit 2: unknown image, type or flavor) or `provider` (exit 3: auth, network, throttling). */
  kind: z.enum(['usage', 'input', 'provider']),
  /** The typed error's code (`ImageNotFound`, `AuthFailure`, ...). */
  code: z.string(),
  message: z.string(),
  hint: z.optional(z.string()),
});
export type TargetError = z.infer<typeof TargetError>;

/** The verdict on one target. */
export const TargetResult = z.object({
  target: Target,
  /**
   * `fail`: a finding reaches the fail threshold; `pass`: none does; `unverifiable`: a value is known only after
   * apply, the image is not visible, or the type is unknown to an offline catalog (rule `unverifiable`);
   * `error`: the provider could not be asked (see `error`).
   */
  verdict: z.enum(['pass', 'fail', 'unverifiable', 'error']),
  /** Image name as the provider reports it. */
  imageName: z.optional(z.string()),
  findings: z.array(Finding),
  /** Set when `verdict` is `error`. */
  error: z.optional(TargetError),
});
export type TargetResult = z.infer<typeof TargetResult>;

/** What `imglint check --format json` prints and `check()` returns. */
export const Report = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  tool: z.object({ name: z.literal('imglint'), version: z.string() }),
  /** Lowest severity that makes a target fail (`--fail-on`); `never` means nothing fails. */
  failOn: FailOn,
  /**
   * `--max-warnings` (config `maxWarnings`): the run fails (exit 1) when `summary.warnings` is above it, whatever the
   * verdicts. Absent: no limit.
   */
  maxWarnings: z.optional(z.int().check(z.minimum(0))),
  /** Every catalog the results were judged against, one per provider and region (and the fix hints' catalog). */
  catalogs: z.array(CatalogSource),
  results: z.array(TargetResult),
  /** Things the user should know that are not findings: an ignore that expired, a catalog that is old. */
  notices: z.array(z.string()),
  summary: z.object({
    /** Every target asked about: passed + failed + unverifiable + errored. */
    targets: z.int(),
    passed: z.int(),
    failed: z.int(),
    unverifiable: z.int(),
    errored: z.int(),
    /** Findings by severity, not counting suppressed ones. */
    errors: z.int(),
    warnings: z.int(),
    infos: z.int(),
    /** Findings matched by an ignore in the configuration. */
    suppressed: z.int(),
  }),
});
export type Report = z.infer<typeof Report>;
