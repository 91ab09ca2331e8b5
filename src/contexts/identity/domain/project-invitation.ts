import type { ProjectRole } from '../identity.events';
import { IdentityErrors } from '../identity.errors';
import { IdentityAggregate } from './identity-aggregate';

export type InvitationStatus = 'pending' | 'accepted' | 'declined' | 'expired' | 'revoked';

export interface ProjectInvitationState {
  id: string;
  tenantId: string;
  projectId: string;
  /** Lower-case: an invitation matches the account registered with this email, whenever it registers. */
  email: string;
  role: ProjectRole;
  status: InvitationStatus;
  invitedBy: string;
  expiresAt: Date;
  respondedBy: string | null;
  respondedAt: Date | null;
  version: number;
}

/**
 * An admin's offer of a role in a project to whoever owns an email address. Nothing changes for that person until
 * they accept it themselves; a pending invitation expires.
 */
export class ProjectInvitation extends IdentityAggregate {
  private constructor(private state: ProjectInvitationState) {
    super(state.id, state.version);
  }

  static create(
    fields: Pick<ProjectInvitationState, 'id' | 'tenantId' | 'projectId' | 'email' | 'role' | 'invitedBy'>,
    ttlHours: number,
    now = new Date(),
  ): ProjectInvitation {
    const invitation = new ProjectInvitation({
      ...fields,
      email: normalizeEmail(fields.email),
      status: 'pending',
      expiresAt: new Date(now.getTime() + ttlHours * 3_600_000),
      respondedBy: null,
      respondedAt: null,
      version: 0,
    });
    const { email, role, invitedBy, expiresAt } = invitation.state;
    invitation.raise('project_invitation.created', { email, role, invitedBy, expiresAt: expiresAt.toISOString() });
    return invitation;
  }

  static restore(state: ProjectInvitationState): ProjectInvitation {
    return new ProjectInvitation(state);
  }

  get snapshot(): Readonly<ProjectInvitationState> {
    return { ...this.state, version: this.version };
  }

  isExpired(now = new Date()): boolean {
    return this.state.expiresAt.getTime() <= now.getTime();
  }

  /** The invitee joins with the offered role; `memberId` is the membership the caller creates with it. */
  accept(user: { id: string; email: string }, memberId: string, now = new Date()): void {
    this.respond(user, now);
    this.state = { ...this.state, status: 'accepted', respondedBy: user.id, respondedAt: now };
    this.raise('project_invitation.accepted', { userId: user.id, memberId, role: this.state.role });
  }

  decline(user: { id: string; email: string }, now = new Date()): void {
    this.respond(user, now);
    this.state = { ...this.state, status: 'declined', respondedBy: user.id, respondedAt: now };
    this.raise('project_invitation.declined', { userId: user.id });
  }

  /** An admin withdraws a pending invitation (an expired one too); an answered one is history and stays. */
  revoke(by: string, now = new Date()): void {
    if (this.state.status !== 'pending') throw IdentityErrors.invitationNotPending(this.state.status);
    this.state = { ...this.state, status: 'revoked', respondedBy: by, respondedAt: now };
    this.raise('project_invitation.revoked', { revokedBy: by });
  }

  /** A pending invitation past its time makes room for a new one to the same email. */
  expire(): void {
    if (this.state.status !== 'pending') return;
    this.state = { ...this.state, status: 'expired' };
    this.raise('project_invitation.expired', {});
  }

  private respond(user: { email: string }, now: Date): void {
    // Addressed to someone else: it does not exist for this user.
    if (normalizeEmail(user.email) !== this.state.email) throw IdentityErrors.invitationNotFound(this.id);
    if (this.state.status !== 'pending') throw IdentityErrors.invitationNotPending(this.state.status);
    if (this.isExpired(now)) throw IdentityErrors.invitationExpired();
  }

  protected readonly aggregateType = 'project_invitation';

  protected get scope() {
    return { tenantId: this.state.tenantId, projectId: this.state.projectId };
  }
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
