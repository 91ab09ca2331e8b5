import { Injectable } from '@nestjs/common';
import { SqlRow } from '#persistence/sql-row';
import { TransactionRunner } from '#persistence/transaction-runner';
import type { ProjectRole } from '#tenancy';
import type { IdentityApi } from '../identity.api';

/** IdentityApi over the caller's tenant transaction: RLS keeps every answer inside the current tenant. */
@Injectable()
export class IdentityApiService implements IdentityApi {
  constructor(private readonly tx: TransactionRunner) {}

  async memberOfProject(projectId: string, userId: string): Promise<{ role: ProjectRole } | undefined> {
    const [row]: SqlRow[] = await this.tx.run((em) =>
      em.query(`SELECT role FROM project_members WHERE project_id = $1 AND user_id = $2 AND deleted_at IS NULL`, [projectId, userId]),
    );
    return row ? { role: row.role } : undefined;
  }

  async memberProfile(projectId: string, userId: string): Promise<{ role: ProjectRole; name: string; email: string } | undefined> {
    // users are visible to a tenant through their memberships (the users policy), so the join stays in the tenant
    const [row]: SqlRow[] = await this.tx.run((em) =>
      em.query(
        `SELECT m.role, u.name, u.email FROM project_members m JOIN users u ON u.id = m.user_id
          WHERE m.project_id = $1 AND m.user_id = $2 AND m.deleted_at IS NULL`,
        [projectId, userId],
      ),
    );
    return row ? { role: row.role, name: row.name, email: row.email } : undefined;
  }

  async projectSettings(projectId: string): Promise<{ sessionTimeoutMinutes: number; active: boolean } | undefined> {
    const [row]: SqlRow[] = await this.tx.run((em) =>
      em.query(`SELECT session_timeout_minutes, active FROM projects WHERE id = $1 AND deleted_at IS NULL`, [projectId]),
    );
    return row ? { sessionTimeoutMinutes: row.session_timeout_minutes, active: row.active } : undefined;
  }
}
