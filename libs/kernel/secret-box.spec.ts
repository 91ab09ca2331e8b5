import { randomBytes } from 'node:crypto';
import { decryptSecret, encryptSecret, hmacSha512Hex, parseSecretKey, SecretBoxError, verifyHmacSha512 } from './secret-box';

describe('encryptSecret / decryptSecret', () => {
  const key = randomBytes(32);

  it('round-trips a secret, with a fresh IV each time', () => {
    const a = encryptSecret('whsec-✓-123', key);
    const b = encryptSecret('whsec-✓-123', key);
    expect(a).toMatch(/^v1:[\w-]{16}:[\w-]{22}:[\w-]+$/);
    expect(a).not.toBe(b);
    expect(decryptSecret(a, key)).toBe('whsec-✓-123');
    expect(decryptSecret(encryptSecret('', key), key)).toBe('');
  });

  it('refuses another key, another context and any altered part', () => {
    const sealed = encryptSecret('secret', key, 'channel-1');
    expect(decryptSecret(sealed, key, 'channel-1')).toBe('secret');
    expect(() => decryptSecret(sealed, randomBytes(32), 'channel-1')).toThrow(SecretBoxError);
    expect(() => decryptSecret(sealed, key, 'channel-2')).toThrow(/wrong key or context/);
    const [v, iv, tag, ct] = sealed.split(':');
    const flip = (part: string) => {
      const bytes = Buffer.from(part, 'base64url');
      bytes[0] ^= 1;
      return bytes.toString('base64url');
    };
    for (const altered of [
      [v, flip(iv), tag, ct],
      [v, iv, flip(tag), ct],
      [v, iv, tag, flip(ct)],
    ])
      expect(() => decryptSecret(altered.join(':'), key, 'channel-1')).toThrow(/was altered/);
  });

  it('refuses malformed values and keys that are not 32 bytes', () => {
    expect(() => decryptSecret('plain text', key)).toThrow('not a v1 sealed secret');
    expect(() => decryptSecret('v2:a:b:c', key)).toThrow('not a v1 sealed secret');
    expect(() => decryptSecret('v1:AAAA:BBBB:CCCC', key)).toThrow('malformed sealed secret');
    expect(() => encryptSecret('x', randomBytes(16))).toThrow('a secret-box key must be 32 bytes, got 16');
  });

  it('never puts the secret in an error message', () => {
    const sealed = encryptSecret('top-secret-value', key);
    try {
      decryptSecret(sealed, randomBytes(32));
    } catch (error) {
      expect((error as Error).message).not.toContain('top-secret-value');
    }
    expect.assertions(1);
  });
});

describe('parseSecretKey', () => {
  it('reads 64 hex characters and base64 / base64url', () => {
    // 0xfb bytes spell "+/v7" in base64 and "-_v7" in base64url: both alphabets are exercised
    const key = Buffer.alloc(32, 0xfb);
    expect(parseSecretKey(key.toString('hex'))).toEqual(key);
    expect(parseSecretKey(key.toString('base64'))).toEqual(key);
    expect(parseSecretKey(` ${key.toString('base64url')}\n`)).toEqual(key);
    expect(() => parseSecretKey('too-short')).toThrow(SecretBoxError);
  });
});

describe('hmacSha512Hex / verifyHmacSha512', () => {
  // the example of WAHA's documentation (how-to/events, "HMAC authentication")
  const body = '{"event":"message","session":"default","engine":"WEBJS"}';
  const signature =
    '208f8a55dde9e05519e898b10b89bf0d0b3b0fdf11fdbf09b6b90476301b98d8097c462b2b17a6ce93b6b47a136cf2e78a33a63f6752c2c1631777076153fa89';

  it("matches WAHA's documented signature", () => {
    expect(hmacSha512Hex('my-secret-key', body)).toBe(signature);
    expect(hmacSha512Hex(Buffer.from('my-secret-key'), Buffer.from(body))).toBe(signature);
  });

  it('accepts the right signature in either hex case', () => {
    expect(verifyHmacSha512('my-secret-key', Buffer.from(body), signature)).toBe(true);
    expect(verifyHmacSha512('my-secret-key', body, signature.toUpperCase())).toBe(true);
  });

  it('rejects a wrong key, a changed body, and missing, short, long or non-hex headers', () => {
    expect(verifyHmacSha512('other-key', body, signature)).toBe(false);
    expect(verifyHmacSha512('my-secret-key', body + ' ', signature)).toBe(false);
    expect(verifyHmacSha512('my-secret-key', body, undefined)).toBe(false);
    expect(verifyHmacSha512('my-secret-key', body, null)).toBe(false);
    expect(verifyHmacSha512('my-secret-key', body, '')).toBe(false);
    expect(verifyHmacSha512('my-secret-key', body, signature.slice(0, 64))).toBe(false);
    expect(verifyHmacSha512('my-secret-key', body, signature + '00')).toBe(false);
    expect(verifyHmacSha512('my-secret-key', body, signature.slice(0, -1))).toBe(false);
    expect(verifyHmacSha512('my-secret-key', body, 'zz' + signature.slice(2))).toBe(false);
  });
});
