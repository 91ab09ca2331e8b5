import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Page, decodeCursor, toPage } from '#http/pagination';
import { SqlRow } from '#persistence/sql-row';
import { TransactionRunner } from '#persistence/transaction-runner';
import { Principal, ProjectRole } from '#tenancy';
import { IdentityErrors } from '../identity.errors';

export interface MemberView {
  id: string;
  userId: string;
  email: string;
  name: string;
  role: ProjectRole;
  invitedBy: string | null;
  invitedAt: Date;
  version: number;
}

// RLS shows the users who are members of this tenant, so the join never reaches anybody else.
const SELECT = `SELECT m.id, m.user_id, m.role, m.invited_by, m.invited_at, m.version, u.email, u.name
                  FROM project_members m JOIN users u ON u.id = m.user_id
                 WHERE m.project_id = $1 AND m.deleted_at IS NULL`;

const view = (r: SqlRow): MemberView => ({
  id: r.id,
  userId: r.user_id,
  email: r.email,
  name: r.name,
  role: r.role,
  invitedBy: r.invited_by,
  invitedAt: r.invited_at,
  version: r.version,
});

/** A member of the project as the API shows it; shared by the query and the commands that answer with one. */
export async function findMemberView(tx: TransactionRunner, projectId: string, id: string): Promise<MemberView> {
  const [row]: SqlRow[] = await tx.manager.query(`${SELECT} AND m.id = $2`, [projectId, id]);
  if (!row) throw IdentityErrors.memberNotFound(id);
  return view(row);
}

export class ListMembersQuery extends Query<Page<MemberView>> {
  constructor(
    readonly principal: Principal,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}

@QueryHandler(ListMembersQuery)
export class ListMembersHandler implements IQueryHandler<ListMembersQuery> {
  constructor(private readonly tx: TransactionRunner) {}

  async execute({ principal, limit, cursor }: ListMembersQuery): Promise<Page<MemberView>> {
    const rows: (SqlRow & { id: string })[] = await this.tx.manager.query(
      `${SELECT} AND ($2::uuid IS NULL OR m.id > $2) ORDER BY m.id LIMIT $3`,
      [principal.projectId, decodeCursor(cursor) ?? null, limit + 1],
    );
    return toPage(rows, limit, view);
  }
}

export class GetMemberQuery extends Query<MemberView> {
  constructor(
    readonly principal: Principal,
    readonly id: string,
  ) {
    super();
  }
}

@QueryHandler(GetMemberQuery)
export class GetMemberHandler implements IQueryHandler<GetMemberQuery> {
  constructor(private readonly tx: TransactionRunner) {}

  execute({ principal, id }: GetMemberQuery): Promise<MemberView> {
    return findMemberView(this.tx, principal.projectId, id);
  }
}
