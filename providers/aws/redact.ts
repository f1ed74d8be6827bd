/**
 * Scrubs AWS credentials out of text imglint prints (messages, hints, stacks, debug lines): what a hostile or
 * broken endpoint could echo back is exactly what went over the wire (the access key ID in the `Authorization`
 * header's `Credential=`, the SigV4 `Signature=`, the `X-Amz-Security-Token`), plus what the environment holds
 * (`AWS_SECRET_ACCESS_KEY` included, in case a library error quotes it). Patterns catch the well-known shapes;
 * the literal values seen on the wire and in the environment catch the rest, wherever they appear.
 */

const MASK = '[redacted]';

/** `key=value`, `key: value`, `"key":"value"` forms of credential fields, headers and query parameters. */
const SECRET_FIELD = new RegExp(
  '("?(?:x-amz-security-token|x-amz-signature|x-amz-credential|aws_secret_access_key|aws_session_token|aws_security_token|' +
    'secretaccesskey|secret_access_key|sessiontoken|session_token|accesskeyid|access_key_id|aws_access_key_id|signature)"?' +
    '\\s*[:=]\\s*)("[^"]*"|[^\\s,;&"}<]+)',
  'gi',
);
/** `Credential=AKIA.../20260101/us-east-1/ec2/aws4_request`: the key ID before the scope. */
const CREDENTIAL_SCOPE = /(Credential=)[^/\s,"]+/g;
/** Access key IDs: long-term (AKIA), temporary (ASIA), and the other IAM unique-ID prefixes, 16+ characters after. */
const ACCESS_KEY_ID = /\b(?:AKIA|ASIA|AIDA|AROA|AIPA|ANPA|ANVA|APKA|ABIA|ACCA|AGPA)[A-Z0-9]{12,}\b/g;
/** STS session tokens: base64 of a protobuf that starts with these bytes (IQoJb3JpZ2lu... today, FwoGZXIvYXdz... before). */
const SESSION_TOKEN = /\b(?:IQoJb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz)[A-Za-z0-9/+=]{16,}/g;

const wireSecrets = new Set<string>();

/**
 * Remembers credential values seen on a signed request (the access key ID, the signature, the session token),
 * so a later message that quotes them is scrubbed even when no pattern matches.
 *
 * @param headers - the signed request's headers (any case).
 */
export function rememberRequestSecrets(headers: Readonly<Record<string, string | undefined>>): void {
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const header = name.toLowerCase();
    if (header === 'x-amz-security-token') remember(value);
    if (header === 'authorization') {
      remember(/Credential=([^/\s,]+)/.exec(value)?.[1]);
      remember(/Signature=([0-9a-f]+)/.exec(value)?.[1]);
    }
  }
}

function remember(value: string | undefined): void {
  // Short values could shred ordinary words; real keys, signatures and tokens are 16+ characters.
  if (value !== undefined && value.length >= 8) wireSecrets.add(value);
}

/**
 * `text` with every AWS credential replaced by `[redacted]`.
 *
 * @param text - anything about to be printed.
 * @param env - the environment whose `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN` values are
 *   scrubbed too (default `process.env`).
 * @returns the text without credentials; unchanged when it held none.
 */
export function redactAwsSecrets(text: string, env: NodeJS.ProcessEnv = process.env): string {
  let out = text
    .replace(SECRET_FIELD, (_match, key: string, value: string) => key + (value.startsWith('"') ? `"${MASK}"` : MASK))
    .replace(CREDENTIAL_SCOPE, `$1${MASK}`)
    .replace(ACCESS_KEY_ID, MASK)
    .replace(SESSION_TOKEN, MASK);
  const literals = [env.AWS_ACCESS_KEY_ID, env.AWS_SECRET_ACCESS_KEY, env.AWS_SESSION_TOKEN, ...wireSecrets];
  for (const secret of literals) {
    if (secret !== undefined && secret.length >= 8) out = out.split(secret).join(MASK);
  }
  return out;
}
