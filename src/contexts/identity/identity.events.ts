import type { ProjectRole } from '#tenancy';

/** A member's role in a project, as payloads (and the domain) carry it. */
export type { ProjectRole };

/**
 * The identity context's published events: what other contexts may consume (through the outbox), nothing else.
 * Each event is `{ type, eventVersion, aggregateType, aggregateId, aggregateVersion, tenantId, projectId, payload }`
 * (libs/kernel/domain-event.ts); the payloads below are its `payload`. A breaking change to a payload gets a new
 * schema version here, and consumers switch on `eventVersion`.
 */
export interface IdentityEventPayloads {
  /** A tenant signed up (aggregate: tenant; projectId: its first project). */
  'tenant.registered': { name: string; ownerUserId: string; billingAccountId: string };
  /** A user account was created at sign-up (aggregate: user; scoped to the tenant it signed up with). */
  'user.registered': { email: string; name: string };
  /** A project was created; its creator is its first admin (a `project_member.added` follows). */
  'project.created': { name: string; description: string | null; createdBy: string };
  /** Only the fields that changed, with their new values. `active: false` means its credentials stopped working. */
  'project.updated': {
    changes: Partial<{
      name: string;
      description: string | null;
      configuration: Record<string, unknown>;
      active: boolean;
      sessionTimeoutMinutes: number;
    }>;
  };
  'project.deleted': Record<string, never>;
  'project.restored': Record<string, never>;
  /** A user joined a project (at creation, at sign-up or by accepting an invitation). */
  'project_member.added': { userId: string; role: ProjectRole; invitedBy: string | null };
  'project_member.role_changed': { userId: string; from: ProjectRole; to: ProjectRole };
  'project_member.removed': { userId: string };
  /** An API key was issued; the secret is never in an event. */
  'api_key.created': { name: string; userId: string; expiresAt: string | null };
  'api_key.revoked': { userId: string; revokedBy: string };
  /** An admin invited an email address to a project; a mailer sends it to `email`. */
  'project_invitation.created': { email: string; role: ProjectRole; invitedBy: string; expiresAt: string };
  'project_invitation.accepted': { userId: string; memberId: string; role: ProjectRole };
  'project_invitation.declined': { userId: string };
  /** An admin withdrew a pending invitation. */
  'project_invitation.revoked': { revokedBy: string };
  /** A pending invitation ran out and was replaced by a new one to the same email. */
  'project_invitation.expired': Record<string, never>;
}

export type IdentityEventType = keyof IdentityEventPayloads;

/** The schema version of each payload above (the `eventVersion` its events carry). */
export const IDENTITY_EVENT_VERSIONS: Record<IdentityEventType, number> = {
  'tenant.registered': 1,
  'user.registered': 1,
  'project.created': 1,
  'project.updated': 1,
  'project.deleted': 1,
  'project.restored': 1,
  'project_member.added': 1,
  'project_member.role_changed': 1,
  'project_member.removed': 1,
  'api_key.created': 1,
  'api_key.revoked': 1,
  'project_invitation.created': 1,
  'project_invitation.accepted': 1,
  'project_invitation.declined': 1,
  'project_invitation.revoked': 1,
  'project_invitation.expired': 1,
};
