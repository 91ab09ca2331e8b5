import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'crm_';

/** A new API key: the secret is shown once; only its SHA-256 (and a short prefix for display) is stored. */
export function issueApiKey(): { secret: string; prefix: string; hash: string } {
  const secret = `${PREFIX}${randomBytes(32).toString('base64url')}`;
  return { secret, prefix: secret.slice(0, 12), hash: hashApiKey(secret) };
}

export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(PREFIX);
}
