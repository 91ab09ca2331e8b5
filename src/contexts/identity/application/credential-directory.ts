import type { ProjectRole } from '#tenancy';

export interface ApiKeyGrant {
  keyId: string;
  tenantId: string;
  projectId: string;
  userId: string;
  role: ProjectRole;
}

export interface Membership {
  projectId: string;
  tenantId: string;
  projectName: string;
  role: ProjectRole;
}

export interface PendingInvitation {
  id: string;
  tenantId: string;
  tenantName: string;
  projectId: string;
  projectName: string;
  role: ProjectRole;
  expiresAt: Date;
  createdAt: Date;
}

/**
 * Port: the look-ups that must run before the tenant is known (sign-in, credentials, a user's memberships and
 * invitations across tenants). Each answers for one key (a hash, an email, the caller's own user id) and nothing
 * more; infrastructure runs them through narrow SECURITY DEFINER functions.
 */
export interface CredentialDirectory {
  apiKey(keyHash: string): Promise<ApiKeyGrant | undefined>;
  touchApiKey(keyId: string): Promise<void>;
  login(email: string): Promise<{ userId: string; passwordHash: string; status: string } | undefined>;
  /** Replaces a password hash, only if it is still the one sign-in verified. */
  upgradePasswordHash(userId: string, oldHash: string, newHash: string): Promise<boolean>;
  memberships(userId: string): Promise<Membership[]>;
  /** The pending, unexpired invitations addressed to this user's email, in every tenant. */
  pendingInvitations(userId: string): Promise<PendingInvitation[]>;
  /** The tenant of an invitation addressed to this user (any status), or undefined. */
  invitationTenant(userId: string, invitationId: string): Promise<string | undefined>;
}

export const CREDENTIAL_DIRECTORY = Symbol('CredentialDirectory');
