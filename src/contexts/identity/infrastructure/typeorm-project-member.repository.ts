import { Injectable } from '@nestjs/common';
import { ExpectedVersion } from '#kernel';
import { AggregateStore } from '#persistence/aggregate-store';
import { TransactionRunner } from '#persistence/transaction-runner';
import type { ProjectRole } from '#tenancy';
import { ProjectMember } from '../domain/project-member';
import { ProjectMemberRepository } from '../domain/identity.repositories';
import { IdentityErrors } from '../identity.errors';
import { ProjectMemberEntity } from './project-member.entity';

@Injectable()
export class TypeormProjectMemberRepository implements ProjectMemberRepository {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly store: AggregateStore,
  ) {}

  async findById(projectId: string, id: string): Promise<ProjectMember | null> {
    return toMember(await this.tx.manager.findOne(ProjectMemberEntity, { where: { id, projectId } }));
  }

  async findByUser(projectId: string, userId: string): Promise<ProjectMember | null> {
    return toMember(await this.tx.manager.findOne(ProjectMemberEntity, { where: { projectId, userId } }));
  }

  async isMemberByEmail(projectId: string, email: string): Promise<boolean> {
    // RLS shows only the users who are members of this tenant; the join keeps it to this project's.
    const rows: unknown[] = await this.tx.manager.query(
      `SELECT 1 FROM project_members m JOIN users u ON u.id = m.user_id
        WHERE m.project_id = $1 AND m.deleted_at IS NULL AND lower(u.email) = $2 AND u.deleted_at IS NULL`,
      [projectId, email],
    );
    return rows.length > 0;
  }

  /** Locks the project's admin rows, so two admins demoting each other at once cannot leave none. */
  async countAdmins(projectId: string, exceptMemberId: string): Promise<number> {
    const admins = await this.tx.manager.find(ProjectMemberEntity, {
      where: { projectId, role: 'admin' },
      select: { id: true },
      lock: { mode: 'pessimistic_write' },
    });
    return admins.filter((a) => a.id !== exceptMemberId).length;
  }

  async save(member: ProjectMember, expected?: ExpectedVersion): Promise<void> {
    const { version: _v, ...row } = member.snapshot;
    await this.store.save(member, ProjectMemberEntity, row, 'project_member', {
      expected,
      unique: { uq_project_members_project_user: IdentityErrors.memberDuplicate },
    });
  }
}

function toMember(row: ProjectMemberEntity | null): ProjectMember | null {
  return row ? ProjectMember.restore({ ...row, role: row.role as ProjectRole, deletedAt: row.deletedAt ?? null }) : null;
}
