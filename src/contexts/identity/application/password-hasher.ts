import { Inject, Injectable } from '@nestjs/common';
import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { APP_CONFIG, AppConfig } from '#config/app-config';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;
const KEY_LENGTH = 32;
const R = 8;
const P = 1;
/** A stored hash claiming more than this is refused rather than allowed to take the process's memory. */
const MAX_LOG_N = 20;

/**
 * Password hashing with scrypt at N = 2^PASSWORD_SCRYPT_LOG_N (default 2^17, r=8, p=1: OWASP's minimum, 128 MiB
 * and a few hundred milliseconds per hash). The stored string carries its parameters, so a hash made at a lower
 * cost still verifies, and sign-in replaces it (`needsRehash`).
 */
@Injectable()
export class PasswordHasher {
  private readonly n: number;
  private dummy?: Promise<string>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.n = 2 ** config.identity.scryptLogN;
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await scrypt(password, salt, KEY_LENGTH, { N: this.n, r: R, p: P, maxmem: maxmem(this.n, R) });
    return `scrypt$${this.n}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const params = parse(stored);
    if (!params) return false;
    const actual = await scrypt(password, params.salt, params.key.length, {
      N: params.n,
      r: params.r,
      p: params.p,
      maxmem: maxmem(params.n, params.r),
    });
    return timingSafeEqual(actual, params.key);
  }

  /** Whether a stored hash was made at a lower cost than today's (a higher one is never lowered). */
  needsRehash(stored: string): boolean {
    const params = parse(stored);
    return !params || params.n < this.n || params.r !== R || params.p !== P;
  }

  /** A hash of nothing, at the current cost: what an unknown email is checked against, as slowly as a real one. */
  dummyHash(): Promise<string> {
    this.dummy ??= this.hash(randomBytes(16).toString('hex'));
    return this.dummy;
  }
}

function parse(stored: string): { n: number; r: number; p: number; salt: Buffer; key: Buffer } | undefined {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  const params = { n: Number(n), r: Number(r), p: Number(p) };
  if (scheme !== 'scrypt' || !key || !Object.values(params).every(Number.isInteger)) return undefined;
  if (params.n < 2 || params.n > 2 ** MAX_LOG_N || params.r < 1 || params.r > 32 || params.p !== 1) return undefined;
  return { ...params, salt: Buffer.from(salt, 'base64'), key: Buffer.from(key, 'base64') };
}

/** scrypt needs 128 * N * r bytes; Node refuses anything above maxmem (32 MiB by default). */
function maxmem(n: number, r: number): number {
  return 128 * n * r + 16 * 1024 * 1024;
}
