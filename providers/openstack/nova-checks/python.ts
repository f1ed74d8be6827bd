/**
 * The few Python 3.11 behaviours Nova's checks depend on, so that imglint reaches the verdict and prints the message
 * Nova does: `int(str)`, `repr(str)`, `str.strip()`, `str.isdigit()`, truthiness, and oslo.utils' `bool_from_string`,
 * `is_int_like` and `string_to_bytes`. Python ints are `bigint` here (they have no size limit in Nova).
 */

/** A value as Nova holds it: a `str`, an `int`, a `bool`, a `float` (only page sizes), or `None` (`undefined`). */
export type PyValue = string | bigint | boolean | number | undefined;

/** Python's truth value: `None`, `''`, `0`, `0.0` and `False` are false. */
export function truthy(value: PyValue): boolean {
  if (value === undefined || value === false || value === '') return false;
  if (typeof value === 'bigint') return value !== 0n;
  if (typeof value === 'number') return value !== 0;
  return true;
}

/** `str(value)` (and `%s`) of a `str`, `int`, `bool` or `None`. No Nova message prints a float. */
export function pyStr(value: PyValue): string {
  if (value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  return String(value);
}

/** Characters `str.isspace()` is true for (and `str.strip()` removes). */
const PY_WHITESPACE = '\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';
const isSpace = (char: string) => PY_WHITESPACE.includes(char);

/** `str.strip()` with no argument. */
export function pyStrip(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text[start]!)) start++;
  while (end > start && isSpace(text[end - 1]!)) end--;
  return text.slice(start, end);
}

const DECIMAL = /^\p{Nd}$/u;

/** The value of a Unicode decimal digit: decimal digits come in runs of ten, 0 to 9 (a Unicode stability rule). */
function decimalValue(char: string): number {
  let code = char.codePointAt(0)!;
  let run = 0;
  while (DECIMAL.test(String.fromCodePoint(code - 1))) {
    code--;
    run++;
  }
  return run % 10;
}

/**
 * `int(text)`: surrounding whitespace, one sign, then decimal digits (any script) with single underscores between
 * them.
 *
 * @returns the integer, or the `ValueError` text Python gives (`invalid literal for int() with base 10: 'x'`).
 */
export function pyInt(text: string): { value: bigint } | { error: string } {
  const error = { error: `invalid literal for int() with base 10: ${pyRepr(text)}` };
  let body = pyStrip(text);
  let negative = false;
  if (body.startsWith('+') || body.startsWith('-')) {
    negative = body.startsWith('-');
    body = body.slice(1);
  }
  const chars = [...body];
  if (chars.length === 0) return error;
  let digits = '';
  let previousUnderscore = true;
  for (const char of chars) {
    if (char === '_') {
      if (previousUnderscore) return error;
      previousUnderscore = true;
      continue;
    }
    if (!DECIMAL.test(char)) return error;
    digits += char <= '9' && char >= '0' ? char : String(decimalValue(char));
    previousUnderscore = false;
  }
  if (previousUnderscore) return error;
  const value = BigInt(digits);
  return { value: negative ? -value : value };
}

/** A Python int as facts carry it (JSON): a number when it is a safe integer, else its decimal digits. */
export function toPyInt(value: bigint): number | string {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : String(value);
}

/** The value of a Python int carried by facts ({@link toPyInt}). */
export function fromPyInt(value: number | string): bigint {
  return BigInt(value);
}

/** oslo.utils `strutils.is_int_like(text)`: `str(int(text)) == text`. */
export function isIntLike(value: PyValue): boolean {
  if (typeof value === 'bigint') return true;
  if (typeof value === 'boolean') return false;
  if (typeof value !== 'string') return false;
  const parsed = pyInt(value);
  return 'value' in parsed && String(parsed.value) === value;
}

const TRUE_STRINGS = new Set(['1', 't', 'true', 'on', 'y', 'yes']);

/** oslo.utils `strutils.bool_from_string(value)` (not strict): anything not in its true list is false. */
export function boolFromString(value: PyValue): boolean {
  if (typeof value === 'boolean') return value;
  return TRUE_STRINGS.has(pyStrip(pyStr(value)).toLowerCase());
}

/**
 * Characters with Unicode `Numeric_Type=Digit` that are not decimal digits (superscripts, circled digits):
 * `str.isdigit()` accepts them, `int()` does not.
 */
const NON_DECIMAL_DIGIT =
  /^[\u00b2\u00b3\u00b9\u1369-\u1371\u19da\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u2474-\u247c\u2488-\u2490\u24ea\u24f5-\u24fd\u24ff\u2776-\u277e\u2780-\u2788\u278a-\u2792\u{10a40}-\u{10a43}\u{10e60}-\u{10e68}\u{11052}-\u{1105a}\u{1f100}-\u{1f10a}]$/u;

/** `str.isdigit()`. */
export function isDigit(text: string): boolean {
  const chars = [...text];
  return chars.length > 0 && chars.every((char) => DECIMAL.test(char) || NON_DECIMAL_DIGIT.test(char));
}

const NOT_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

/** `repr(text)` for a `str`: Python's quoting and escapes. */
export function pyRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === quote || char === '\\') out += `\\${char}`;
    else if (char === '\t') out += '\\t';
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code >= 0x80 && char !== ' ' && NOT_PRINTABLE.test(char)) {
      if (code < 0x100) out += `\\x${code.toString(16).padStart(2, '0')}`;
      else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
      else out += `\\U${code.toString(16).padStart(8, '0')}`;
    } else out += char;
  }
  return out + quote;
}

const IEC_SIZE = /^([-+]?\p{Nd}*\.?\p{Nd}+)([KMGT]i?)?(b|bit|B)\n?$/u;
const IEC_EXPONENT: Record<string, number> = { K: 1, Ki: 1, M: 2, Mi: 2, G: 3, Gi: 3, T: 4, Ti: 4 };

/** Python's `float()` of a decimal string whose digits may be of any script. */
function pyFloat(text: string): number {
  return Number([...text].map((char) => (DECIMAL.test(char) ? String(decimalValue(char)) : char)).join(''));
}

/**
 * oslo.utils `strutils.string_to_bytes(text, 'IEC', return_int=True)`: `2MB` = `2MiB` = 2097152, `1Kb` = 128.
 *
 * @returns the byte count (`math.ceil` of the float), `undefined` where the function raises `ValueError`, or
 *   `Infinity` where `math.ceil` raises `OverflowError`.
 */
export function stringToBytes(text: string): number | undefined {
  const match = IEC_SIZE.exec(text);
  if (!match) return undefined;
  let magnitude = pyFloat(match[1]!);
  if (match[3] === 'b' || match[3] === 'bit') magnitude /= 8;
  const result = match[2] ? magnitude * 1024 ** IEC_EXPONENT[match[2]]! : magnitude;
  return Number.isFinite(result) ? Math.ceil(result) : Infinity;
}
