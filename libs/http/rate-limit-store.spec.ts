import { MemoryRateLimitStore } from './rate-limit-store';

describe('MemoryRateLimitStore', () => {
  it('counts hits per key within a window, then starts over; reset forgets a key', async () => {
    const store = new MemoryRateLimitStore();
    expect(await store.hit('a', 50)).toEqual({ count: 1, resetInMs: 50 });
    const second = await store.hit('a', 50);
    expect(second.count).toBe(2);
    expect(second.resetInMs).toBeLessThanOrEqual(50);
    expect((await store.hit('b', 50)).count).toBe(1);
    await store.reset('a');
    expect((await store.hit('a', 50)).count).toBe(1);
    await new Promise((r) => setTimeout(r, 60));
    expect((await store.hit('b', 50)).count).toBe(1);
  });
});
