import { assertExpectedVersion } from './expected-version';
import { isUuid, newId } from './ids';

describe('newId', () => {
  it('makes UUIDv7 ids that sort in the order they were made, even within one millisecond', () => {
    const ids = Array.from({ length: 2000 }, () => newId());
    expect(ids.every(isUuid)).toBe(true);
    expect(ids.every((id) => id[14] === '7' && '89ab'.includes(id[19]))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('carries the current time in its first 48 bits', () => {
    const ms = parseInt(newId().replace(/-/g, '').slice(0, 12), 16);
    expect(Math.abs(ms - Date.now())).toBeLessThan(1000);
  });
});

describe('assertExpectedVersion', () => {
  it('answers a stale If-Match with precondition_failed and a stale body version with version_conflict', () => {
    expect(() => assertExpectedVersion('contact', 2, { version: 1, via: 'if-match' })).toThrow(
      expect.objectContaining({ kind: 'precondition_failed' }),
    );
    expect(() => assertExpectedVersion('contact', 2, { version: 1, via: 'body' })).toThrow(
      expect.objectContaining({ kind: 'conflict', code: 'version_conflict' }),
    );
    expect(() => assertExpectedVersion('contact', 2, { version: 2, via: 'body' })).not.toThrow();
    expect(() => assertExpectedVersion('contact', 2, undefined)).not.toThrow();
  });
});
