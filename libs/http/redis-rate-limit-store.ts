import Redis from 'ioredis';
import { MemoryRateLimitStore, RateLimitStore } from './rate-limit-store';

/** INCR and, on the window's first hit, its expiry, atomically; returns the count and the milliseconds left. */
const HIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return { count, ttl }`;

/**
 * Fixed-window counters in Redis, shared by every process using the same REDIS_URL. While Redis does not answer,
 * each process counts in its own memory instead: limits loosen to per-process ones, requests never fail for it.
 */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly fallback = new MemoryRateLimitStore();

  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'crm:rate:',
    private readonly onUnavailable: (error: Error) => void = () => undefined,
  ) {}

  /** A client that gives up on a command after one reconnection attempt while Redis is away (the guard then lets requests through). */
  static connect(url: string, logger: { warn(message: string): void }): RedisRateLimitStore {
    const redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2000 });
    let lastWarning = 0;
    const warn = (error: Error) => {
      // ioredis reconnects by itself; one line per 10 s is enough while it is away.
      if (Date.now() - lastWarning < 10_000) return;
      lastWarning = Date.now();
      logger.warn(`Redis at ${new URL(url).host} unavailable, counting rate limits in this process meanwhile: ${error.message}`);
    };
    redis.on('error', warn);
    return new RedisRateLimitStore(redis, 'crm:rate:', warn);
  }

  async hit(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }> {
    try {
      const [count, ttl] = (await this.redis.eval(HIT, 1, this.prefix + key, windowMs)) as [number, number];
      return { count, resetInMs: ttl };
    } catch (error) {
      this.onUnavailable(error as Error);
      return this.fallback.hit(key, windowMs);
    }
  }

  async reset(key: string): Promise<void> {
    await this.fallback.reset(key);
    try {
      await this.redis.del(this.prefix + key);
    } catch (error) {
      this.onUnavailable(error as Error);
    }
  }

  async close(): Promise<void> {
    if (this.redis.status !== 'end') await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
