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
  // Compared without spaces too: "Ada King" and "adaking" are the same guess.
  const squash = (s: string) => s.replace(/\s+/g, '');
  const identity = [email, email.split('@')[0], owner.name.toLowerCase()].map(squash).filter((s) => s.length > 0);
  if (identity.includes(squash(lowered))) throw IdentityErrors.passwordLikeIdentity();
  if (isCommon(lowered)) throw IdentityErrors.passwordTooCommon();
}
