import Redis from 'ioredis';
import { RateLimitStore } from './rate-limit-store';

/** INCR and, on the window's first hit, its expiry, atomically; returns the count and the milliseconds left. */
const HIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return { count, ttl }`;

/** Fixed-window counters in Redis, shared by every process using the same REDIS_URL. */
export class RedisRateLimitStore implements RateLimitStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'crm:rate:',
  ) {}

  /** A client that gives up on a command after one reconnection attempt while Redis is away (the guard then lets requests through). */
  static connect(url: string, logger: { warn(message: string): void }): RedisRateLimitStore {
    const redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2000 });
    let lastWarning = 0;
    redis.on('error', (error: Error) => {
      // ioredis reconnects by itself; one line per 10 s is enough while it is away.
      if (Date.now() - lastWarning < 10_000) return;
      lastWarning = Date.now();
      logger.warn(`Redis at ${new URL(url).host} unavailable: ${error.message}`);
    });
    return new RedisRateLimitStore(redis);
  }

  async hit(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }> {
    const [count, ttl] = (await this.redis.eval(HIT, 1, this.prefix + key, windowMs)) as [number, number];
    return { count, resetInMs: ttl };
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async close(): Promise<void> {
    if (this.redis.status !== 'end') await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
