import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A secret that cannot be sealed or opened: wrong key, tampered or malformed value. Never carries the secret. */
export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

function assertKey(key: Buffer): void {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES)
    throw new SecretBoxError(`a secret-box key must be ${KEY_BYTES} bytes, got ${Buffer.isBuffer(key) ? key.length : typeof key}`);
}

/** Reads a 32-byte key from configuration, written as 64 hex characters or as base64 / base64url. */
export function parseSecretKey(value: string): Buffer {
  const text = value.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64url');
  assertKey(key);
  return key;
}

/**
 * Encrypts a short secret (a webhook HMAC key, an API token) with AES-256-GCM as `v1:<iv>:<tag>:<ciphertext>` in
 * base64url. `context` (e.g. the owning row's id) is bound as associated data, so a sealed value copied onto
 * another row does not open there.
 */
export function encryptSecret(plaintext: string, key: Buffer, context = ''): string {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join(':');
}

/** Decrypts a value made by `encryptSecret` with the same key and context; throws SecretBoxError otherwise. */
export function decryptSecret(sealed: string, key: Buffer, context = ''): string {
  assertKey(key);
  const parts = typeof sealed === 'string' ? sealed.split(':') : [];
  if (parts.length !== 4 || parts[0] !== VERSION) throw new SecretBoxError(`not a ${VERSION} sealed secret`);
  const [iv, tag, ciphertext] = parts.slice(1).map((part) => Buffer.from(part, 'base64url'));
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SecretBoxError('malformed sealed secret');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretBoxError('sealed secret does not open: wrong key or context, or the value was altered');
  }
}

/** HMAC-SHA512 of the raw body as lowercase hex: what WAHA sends in `X-Webhook-Hmac`. */
export function hmacSha512Hex(key: string | Buffer, rawBody: string | Buffer): string {
  return createHmac('sha512', key).update(rawBody).digest('hex');
}

/**
 * Checks an `X-Webhook-Hmac` header against the raw body in constant time. False for a missing, non-hex or
 * wrong-length header; hex case does not matter.
 */
export function verifyHmacSha512(key: string | Buffer, rawBody: string | Buffer, headerValue: string | null | undefined): boolean {
  if (typeof headerValue !== 'string') return false;
  const given = headerValue.trim();
  if (!/^[0-9a-fA-F]+$/.test(given) || given.length % 2 !== 0) return false;
  const expected = createHmac('sha512', key).update(rawBody).digest();
  const received = Buffer.from(given, 'hex');
  return received.length === expected.length && timingSafeEqual(received, expected);
}
