import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A secret for development that no one has to configure and no code contains: made at random on first use and
 * kept in `<dir>/<name>` (the git-ignored data folder, mode 0600), so tokens signed or data encrypted with it
 * survive a restart. Production never calls this: there the secret must be configured.
 */
export function devSecret(name: string, dir = '.data', bytes = 32): string {
  const file = join(dir, name);
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  // The folder stays traversable: the embedded PostgreSQL (run as `postgres` under root) keeps its data below it.
  mkdirSync(dir, { recursive: true, mode: 0o711 });
  const secret = randomBytes(bytes).toString('base64url');
  try {
    // 'wx': two processes starting at once keep whichever secret was written first.
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw error;
  }
}
