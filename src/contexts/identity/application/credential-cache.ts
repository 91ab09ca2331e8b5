import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '#config/app-config';
import { Principal } from '#tenancy';

const MAX_ENTRIES = 10_000;

/**
 * API-key look-ups remembered for `AUTH_CACHE_TTL_MS` (0 disables it). This process forgets everything at once
 * when it revokes a key or changes a membership; other processes notice within the TTL.
 */
@Injectable()
export class CredentialCache {
  private readonly entries = new Map<string, { principal: Principal; until: number }>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get(keyHash: string): Principal | undefined {
    const entry = this.entries.get(keyHash);
    if (!entry) return undefined;
    if (entry.until > Date.now()) return entry.principal;
    this.entries.delete(keyHash);
    return undefined;
  }

  set(keyHash: string, principal: Principal): void {
    if (this.config.authCacheTtlMs === 0) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(keyHash, { principal, until: Date.now() + this.config.authCacheTtlMs });
  }

  clear(): void {
    this.entries.clear();
  }
}
