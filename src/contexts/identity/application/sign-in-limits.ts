import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, IdentityConfig } from '#config/app-config';
import { RATE_LIMIT_STORE, RateLimitStore } from '#http/rate-limit-store';
import { IdentityErrors } from '../identity.errors';

const MINUTE = 60_000;
const HOUR = 3_600_000;

/**
 * Brute-force limits in front of sign-in and sign-up, on the shared RateLimitStore. Sign-in counts every attempt
 * per account (a success clears the account's count, so it counts failures) and per client address (a success does
 * not clear it: an attacker's own account must not reset the address's count); sign-up counts per address.
 */
@Injectable()
export class SignInLimits {
  private readonly config: IdentityConfig;

  constructor(
    @Inject(RATE_LIMIT_STORE) private readonly store: RateLimitStore,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.config = config.identity;
  }

  /** Counts this attempt; 429 (before the password is even checked) once the account or the address is over its limit. */
  async beforeLogin(email: string, address: string): Promise<void> {
    const [account, client] = await Promise.all([
      this.store.hit(accountKey(email), MINUTE),
      this.store.hit(`login:address:${address}`, MINUTE),
    ]);
    // The account's count includes this attempt: `max` failures are allowed, the next attempt is refused.
    const over = [
      account.count > this.config.loginMaxFailuresPerMinute ? account.resetInMs : 0,
      client.count > this.config.loginMaxPerAddressPerMinute ? client.resetInMs : 0,
    ];
    const wait = Math.max(...over);
    if (wait > 0) throw IdentityErrors.tooManyLogins(Math.ceil(wait / 1000));
  }

  async loginSucceeded(email: string): Promise<void> {
    await this.store.reset(accountKey(email));
  }

  async beforeRegister(address: string): Promise<void> {
    const client = await this.store.hit(`register:address:${address}`, HOUR);
    if (client.count > this.config.registerPerHour) throw IdentityErrors.tooManyRegistrations(Math.ceil(client.resetInMs / 1000));
  }
}

function accountKey(email: string): string {
  return `login:account:${email.trim().toLowerCase()}`;
}
