import { IdentityErrors } from '../identity.errors';

/**
 * A new password must not be the account's own email (or its local part) or name, and must not be one of the
 * passwords attackers try first. `isCommon` answers from the shipped list (lower-cased).
 */
export function assertAcceptablePassword(
  password: string,
  owner: { email: string; name: string },
  isCommon: (lowered: string) => boolean,
): void {
  const lowered = password.trim().toLowerCase();
  const email = owner.email.trim().toLowerCase();
  const identity = [email, email.split('@')[0], owner.name.trim().toLowerCase()].filter((s) => s.length > 0);
  if (identity.includes(lowered) || identity.includes(lowered.replace(/\s+/g, ''))) throw IdentityErrors.passwordLikeIdentity();
  if (isCommon(lowered)) throw IdentityErrors.passwordTooCommon();
}
