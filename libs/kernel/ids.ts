import { randomFillSync } from 'node:crypto';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The 74 random bits after the timestamp (12 of rand_a, 62 of rand_b). */
const TAIL_BITS = 74n;
const TAIL_MAX = (1n << TAIL_BITS) - 1n;
let lastMs = 0;
let lastTail = 0n;

/** Random bytes drawn a few kilobytes at a time: one call into the CSPRNG per ~400 ids, not one per id. */
const pool = Buffer.alloc(4096);
let pooled = 0;
function randomHex(bytes: number): string {
  if (pooled < bytes) {
    randomFillSync(pool);
    pooled = pool.length;
  }
  pooled -= bytes;
  return pool.toString('hex', pooled, pooled + bytes);
}

/**
 * A UUIDv7: time-ordered, so primary keys double as keyset-pagination and insertion-order keys. Ids made in the
 * same millisecond by this process still sort in the order they were made (RFC 9562 6.2, method 2: the random
 * part of the previous id plus a random increment), and a clock that steps back does not reorder them.
 */
export function newId(): string {
  let ms = Date.now();
  let tail: bigint;
  if (ms > lastMs) {
    tail = BigInt(`0x${randomHex(10)}`) & TAIL_MAX;
  } else {
    ms = lastMs;
    tail = lastTail + 1n + BigInt(`0x${randomHex(4)}`);
    if (tail > TAIL_MAX) {
      ms += 1;
      tail = BigInt(`0x${randomHex(10)}`) & TAIL_MAX;
    }
  }
  lastMs = ms;
  lastTail = tail;
  const randA = (tail >> 62n) & 0xfffn;
  const randB = tail & ((1n << 62n) - 1n);
  const hex =
    BigInt(ms).toString(16).padStart(12, '0') +
    (0x7000n | randA).toString(16).padStart(4, '0') +
    ((2n << 62n) | randB).toString(16).padStart(16, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_RE.test(value);
}
