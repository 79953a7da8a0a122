import { hash, timingSafeEqual } from 'node:crypto';

/** Form parameters as a body parser gives them: repeated names become arrays. */
export type TwilioParams = Record<string, string | readonly string[] | undefined>;

/**
 * Twilio's request signature: HMAC-SHA1, keyed with the account's auth token, over the full URL
 * Twilio called followed by every POST parameter's name and value, names sorted, each name's
 * distinct values sorted, nothing in between; base64.
 */
export function computeTwilioSignature(
  authToken: string,
  url: string,
  params: TwilioParams = {},
): string {
  // One string, hashed in one call: cheaper than an update per parameter.
  let data = url;
  const names = Object.keys(params).sort();
  for (const name of names) {
    const value = params[name];
    if (value === undefined) continue;
    if (typeof value === 'string') {
      data += name + value;
      continue;
    }
    for (const item of [...new Set(value)].sort()) data += name + item;
  }
  return hmacSha1(authToken, data);
}

/** SHA-1's block size in bytes. */
const BLOCK = 64;
/** The key of the last signature and its padded forms: a server checks one token all day. */
let keyed: { token: string; inner: Buffer; outer: Buffer } | undefined;

/**
 * HMAC-SHA1 (RFC 2104) of UTF-8 `data` keyed with UTF-8 `token`, base64: two one-shot hashes
 * over the key's padded forms. A server checks a signature on every request, and an `Hmac` object
 * each time costs more than the hashing.
 */
function hmacSha1(token: string, data: string): string {
  if (keyed?.token !== token) {
    let key = Buffer.from(token, 'utf8');
    if (key.length > BLOCK) key = hash('sha1', key, 'buffer');
    // inner: key XOR ipad, then room for the data; outer: key XOR opad, then the inner hash.
    const inner = Buffer.alloc(BLOCK + 1024, 0x36);
    const outer = Buffer.alloc(BLOCK + 20, 0x5c);
    for (let at = 0; at < key.length; at += 1) {
      inner[at]! ^= key[at]!;
      outer[at]! ^= key[at]!;
    }
    keyed = { token, inner, outer };
  }
  const length = Buffer.byteLength(data, 'utf8');
  if (BLOCK + length > keyed.inner.length) {
    const grown = Buffer.alloc(BLOCK + length * 2);
    keyed.inner.copy(grown, 0, 0, BLOCK);
    keyed.inner = grown;
  }
  keyed.inner.write(data, BLOCK, 'utf8');
  hash('sha1', keyed.inner.subarray(0, BLOCK + length), 'buffer').copy(keyed.outer, BLOCK);
  return hash('sha1', keyed.outer, 'base64');
}

/**
 * The URL as Twilio may have signed it: unchanged, without its port, and with the scheme's
 * default port added (Twilio's own libraries accept all three).
 */
export function signatureUrlVariants(url: string): string[] {
  const variants = [url];
  const match = /^(https?):\/\/([^/?#]*)(.*)$/i.exec(url);
  if (!match) return variants;
  const [, scheme = '', authority = '', rest = ''] = match;
  const at = authority.lastIndexOf('@');
  const userInfo = at >= 0 ? authority.slice(0, at + 1) : '';
  const hostPort = authority.slice(at + 1);
  const portMatch = /^(.*?)(?::(\d*))?$/.exec(hostPort);
  const host = portMatch?.[1] ?? hostPort;
  const hasPort = portMatch?.[2] !== undefined;
  const defaultPort = scheme.toLowerCase() === 'https' ? '443' : '80';
  if (hasPort) variants.push(`${scheme}://${userInfo}${host}${rest}`);
  else variants.push(`${scheme}://${userInfo}${host}:${defaultPort}${rest}`);
  return variants;
}

/** Constant-time comparison of two base64 signatures. */
function sameSignature(expected: string, given: Buffer): boolean {
  const expectedBytes = Buffer.from(expected, 'utf8');
  return expectedBytes.length === given.length && timingSafeEqual(expectedBytes, given);
}

/**
 * True when `signature` (the X-Twilio-Signature header) signs these parameters for this URL,
 * with or without the URL's port. Each comparison takes constant time; the other forms of the
 * URL are only tried when the first does not match (which form Twilio used is no secret).
 */
export function validateTwilioSignature(
  authToken: string,
  url: string,
  params: TwilioParams,
  signature: string | undefined,
): boolean {
  if (!signature || authToken === '') return false;
  const given = Buffer.from(signature, 'utf8');
  if (sameSignature(computeTwilioSignature(authToken, url, params), given)) return true;
  return signatureUrlVariants(url)
    .slice(1)
    .some((variant) => sameSignature(computeTwilioSignature(authToken, variant, params), given));
}
