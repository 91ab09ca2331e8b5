import { createHmac, randomBytes } from 'node:crypto';

/*
 * The Standard Webhooks signature scheme (standardwebhooks.com, spec 1.0.0), symmetric variant: a secret is
 * `whsec_` + the base64 of random key bytes; a signature is `v1,` + base64(HMAC-SHA256(key, `${id}.${timestamp}.${body}`));
 * the `webhook-signature` header lists one per valid secret, space-separated (zero-downtime rotation).
 */

const PREFIX = 'whsec_';
/** The spec asks for 24 to 64 random bytes. */
const KEY_BYTES = 32;

export function generateSecret(): string {
  return `${PREFIX}${randomBytes(KEY_BYTES).toString('base64')}`;
}

/** The HMAC key of a `whsec_` secret: its base64 part, decoded. */
export function secretKey(secret: string): Buffer {
  if (!secret.startsWith(PREFIX)) throw new TypeError('a Standard Webhooks secret starts with whsec_');
  return Buffer.from(secret.slice(PREFIX.length), 'base64');
}

/** `v1,<sig>` per secret, space-separated; `timestamp` in whole seconds since the epoch. */
export function signatureHeader(secrets: readonly string[], id: string, timestamp: number, body: string): string {
  return secrets
    .map((secret) => `v1,${createHmac('sha256', secretKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64')}`)
    .join(' ');
}
