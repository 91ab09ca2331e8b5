import type { Pool } from 'pg';
import { isDatabaseUnavailable } from './database-errors';

interface WarnLogger {
  warn(message: string, context?: string): void;
  error(message: string, trace?: string, context?: string): void;
}

/**
 * Without an `error` listener, one idle connection killed by the server (restart, failover, pg_terminate_backend)
 * crashes the process. The pool drops that connection itself and opens a new one on the next query, so a
 * connection loss is only worth a warning.
 */
export function watchPool(pool: Pool, name: string, logger: WarnLogger): Pool {
  pool.on('error', (error: Error) => {
    if (isDatabaseUnavailable(error)) logger.warn(`${name}: idle connection lost (${error.message}); reconnecting on demand`, name);
    else logger.error(`${name}: idle connection failed: ${error.message}`, error.stack, name);
  });
  return pool;
}

/** `pool.end()` at most once: a second call throws "Called end on pool more than once". */
export async function endPoolOnce(pool: Pool): Promise<void> {
  if (pool.ending) return;
  await pool.end();
}
