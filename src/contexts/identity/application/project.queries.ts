import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Page, decodeCursor, toPage } from '#http/pagination';
import { SqlRow } from '#persistence/sql-row';
import { TransactionRunner } from '#persistence/transaction-runner';
import { Principal, ProjectRole } from '#tenancy';
import { ProjectState } from '../domain/project';
import { IdentityErrors } from '../identity.errors';

export interface ProjectView {
  id: string;
  name: string;
  description: string | null;
  configuration: Record<string, unknown>;
  active: boolean;
  sessionTimeoutMinutes: number;
  createdBy: string;
  version: number;
  deletedAt: Date | null;
  /** The caller's role in it, where the read joined the membership. */
  role?: ProjectRole;
}

export const toProjectView = (p: Readonly<ProjectState> & { role?: ProjectRole }): ProjectView => ({
  id: p.id,
  name: p.name,
  description: p.description,
  configuration: p.configuration,
  active: p.active,
  sessionTimeoutMinutes: p.sessionTimeoutMinutes,
  createdBy: p.createdBy,
  version: p.version,
  deletedAt: p.deletedAt,
  ...(p.role ? { role: p.role } : {}),
});

const fromRow = (r: SqlRow): ProjectView =>
  toProjectView({
    id: r.id,
    tenantId: r.tenant_id,
    billingAccountId: r.billing_account_id,
    createdBy: r.created_by,
    name: r.name,
    description: r.description,
    configuration: r.configuration,
    active: r.active,
    sessionTimeoutMinutes: r.session_timeout_minutes,
    version: r.version,
    deletedAt: r.deleted_at,
    role: r.role,
  });

const MEMBER_PROJECTS = `SELECT p.*, m.role FROM projects p
  JOIN project_members m ON m.project_id = p.id AND m.user_id = $1 AND m.deleted_at IS NULL`;

export class ListProjectsQuery extends Query<Page<ProjectView>> {
  constructor(
    readonly principal: Principal,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}

/** The tenant's projects the caller is a member of (RLS keeps it to the tenant). */
@QueryHandler(ListProjectsQuery)
export class ListProjectsHandler implements IQueryHandler<ListProjectsQuery> {
  constructor(private readonly tx: TransactionRunner) {}

  async execute({ principal, limit, cursor }: ListProjectsQuery): Promise<Page<ProjectView>> {
    const rows: (SqlRow & { id: string })[] = await this.tx.manager.query(
      `${MEMBER_PROJECTS} WHERE p.deleted_at IS NULL AND ($2::uuid IS NULL OR p.id > $2) ORDER BY p.id LIMIT $3`,
      [principal.userId, decodeCursor(cursor) ?? null, limit + 1],
    );
    return toPage(rows, limit, fromRow);
  }
}

export class GetProjectQuery extends Query<ProjectView> {
  constructor(
    readonly principal: Principal,
    readonly id: string,
  ) {
    super();
  }
}

/** One project the caller is a member of; any other (another tenant's too) is a 404. */
@QueryHandler(GetProjectQuery)
export class GetProjectHandler implements IQueryHandler<GetProjectQuery> {
  constructor(private readonly tx: TransactionRunner) {}

  async execute({ principal, id }: GetProjectQuery): Promise<ProjectView> {
    const [row]: SqlRow[] = await this.tx.manager.query(`${MEMBER_PROJECTS} WHERE p.id = $2 AND p.deleted_at IS NULL`, [
      principal.userId,
      id,
    ]);
    if (!row) throw IdentityErrors.projectNotFound(id);
    return fromRow(row);
  }
}
