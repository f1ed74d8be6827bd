/**
 * Typed errors. Each says whose fault it is, which decides the CLI exit code in one place (`cli/exit-codes.ts`):
 * `usage` and `input` (exit 2) are the caller's to fix; `provider` (exit 3) is the cloud's or the network's.
 * Guards check `kind`, not prototype identity, so they work across copies of the package.
 */
export type ImglintErrorKind = 'usage' | 'input' | 'provider';

export class ImglintError extends Error {
  readonly kind: ImglintErrorKind;
  /** A machine-readable code (`ImageNotFound`, `AuthFailure`, ...). */
  readonly code: string;
  /** What the user can do about it, one line. */
  readonly hint: string | undefined;

  constructor(kind: ImglintErrorKind, code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'ImglintError';
    this.kind = kind;
    this.code = code;
    this.hint = options.hint;
  }

  static is(value: unknown): value is ImglintError {
    return value instanceof Error && typeof (value as Partial<ImglintError>).kind === 'string' && 'code' in value;
  }
}

/** Bad flags or arguments. */
export class UsageError extends ImglintError {
  constructor(message: string, options?: { hint?: string; cause?: unknown }) {
    super('usage', 'Usage', message, options);
    this.name = 'UsageError';
  }
}

/** Input the user gave that imglint cannot use: a malformed file, an unknown image or type. */
export class InputError extends ImglintError {
  constructor(code: string, message: string, options?: { hint?: string; cause?: unknown }) {
    super('input', code, message, options);
    this.name = 'InputError';
  }
}

/** The provider or the network failed: credentials, throttling after retries, timeouts, 5xx. */
export class ProviderApiError extends ImglintError {
  constructor(code: string, message: string, options?: { hint?: string; cause?: unknown }) {
    super('provider', code, message, options);
    this.name = 'ProviderApiError';
  }
}
