import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { SqlRow } from '#persistence/sql-row';
import { TransactionRunner } from '#persistence/transaction-runner';
import { Principal, ProjectRole } from '#tenancy';
import { InvitationStatus } from '../domain/project-invitation';
import { IdentityErrors } from '../identity.errors';
import { CREDENTIAL_DIRECTORY, CredentialDirectory, PendingInvitation } from './credential-directory';

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

const SELECT = `SELECT id, project_id, email, role, status, invited_by, expires_at, created_at, version FROM project_invitations`;

const toView = (row: SqlRow, now = new Date()): InvitationView => ({
  id: row.id,
  projectId: row.project_id,
  email: row.email,
  role: row.role,
  // A pending invitation past its time reads as expired, whether or not that was recorded yet.
  status: row.status === 'pending' && row.expires_at <= now ? 'expired' : row.status,
  invitedBy: row.invited_by,
  expiresAt: row.expires_at,
  createdAt: row.created_at,
  version: row.version,
});

export async function findInvitationView(tx: TransactionRunner, projectId: string, id: string): Promise<InvitationView> {
  const [row]: SqlRow[] = await tx.manager.query(`${SELECT} WHERE id = $1 AND project_id = $2`, [id, projectId]);
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
    const rows: SqlRow[] = await this.tx.manager.query(`${SELECT} WHERE project_id = $1 AND status = 'pending' ORDER BY id`, [
      principal.projectId,
    ]);
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
  constructor(@Inject(CREDENTIAL_DIRECTORY) private readonly lookups: CredentialDirectory) {}

  execute({ userId }: ListMyInvitationsQuery): Promise<PendingInvitation[]> {
    return this.lookups.pendingInvitations(userId);
  }
}
