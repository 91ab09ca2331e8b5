import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { TransactionRunner } from '#persistence/transaction-runner';
import { Principal, ProjectRole } from '#tenancy';
import { InvitationStatus } from '../domain/project-invitation';
import { IdentityErrors } from '../identity.errors';
import { CredentialLookups, PendingInvitation } from '../infrastructure/credential-lookups';
import { ProjectInvitationEntity } from '../infrastructure/project-invitation.entity';

/** An invitation as its project's admins see it: never who owns the address, or whether anybody does. */
export interface InvitationView {
  id: string;
  projectId: string;
  email: string;
  role: ProjectRole;
  status: InvitationStatus;
  invitedBy: string;
  expiresAt: Date;
  createdAt: Date;
  version: number;
}

const toView = (row: ProjectInvitationEntity, now = new Date()): InvitationView => ({
  id: row.id,
  projectId: row.projectId,
  email: row.email,
  role: row.role as ProjectRole,
  // A pending invitation past its time reads as expired, whether or not that was recorded yet.
  status: row.status === 'pending' && row.expiresAt <= now ? 'expired' : (row.status as InvitationStatus),
  invitedBy: row.invitedBy,
  expiresAt: row.expiresAt,
  createdAt: row.createdAt,
  version: row.version,
});

export async function findInvitationView(tx: TransactionRunner, projectId: string, id: string): Promise<InvitationView> {
  const row = await tx.manager.findOne(ProjectInvitationEntity, { where: { id, projectId } });
  if (!row) throw IdentityErrors.invitationNotFound(id);
  return toView(row);
}

export class ListProjectInvitationsQuery extends Query<InvitationView[]> {
  constructor(readonly principal: Principal) {
    super();
  }
}

/** The project's invitations that still await an answer (expired ones included, marked so). */
@QueryHandler(ListProjectInvitationsQuery)
export class ListProjectInvitationsHandler implements IQueryHandler<ListProjectInvitationsQuery> {
  constructor(private readonly tx: TransactionRunner) {}

  async execute({ principal }: ListProjectInvitationsQuery): Promise<InvitationView[]> {
    const rows = await this.tx.manager.find(ProjectInvitationEntity, {
      where: { projectId: principal.projectId, status: 'pending' },
      order: { id: 'ASC' },
    });
    return rows.map((row) => toView(row));
  }
}

export class ListMyInvitationsQuery extends Query<PendingInvitation[]> {
  constructor(readonly userId: string) {
    super();
  }
}

/** The signed-in user's pending invitations, from every tenant (through the narrow look-up keyed by their email). */
@QueryHandler(ListMyInvitationsQuery)
export class ListMyInvitationsHandler implements IQueryHandler<ListMyInvitationsQuery> {
  constructor(private readonly lookups: CredentialLookups) {}

  execute({ userId }: ListMyInvitationsQuery): Promise<PendingInvitation[]> {
    return this.lookups.pendingInvitations(userId);
  }
}
