import { Injectable } from '@nestjs/common';
import { DomainError, ExpectedVersion } from '#kernel';
import { AggregateStore } from '#persistence/aggregate-store';
import { TransactionRunner } from '#persistence/transaction-runner';
import type { ProjectRole } from '#tenancy';
import { ProjectMember } from '../domain/project-member';
import { ProjectMemberRepository } from '../domain/identity.repositories';
import { ProjectMemberEntity } from './project-member.entity';

@Injectable()
export class TypeormProjectMemberRepository implements ProjectMemberRepository {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly store: AggregateStore,
  ) {}

  async findById(projectId: string, id: string): Promise<ProjectMember | null> {
    const row = await this.tx.manager.findOne(ProjectMemberEntity, { where: { id, projectId } });
    return row ? ProjectMember.restore({ ...row, role: row.role as ProjectRole, deletedAt: row.deletedAt ?? null }) : null;
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
      unique: {
        uq_project_members_project_user: () =>
          new DomainError('conflict', 'project_member.duplicate', 'This user is already a member of the project'),
      },
    });
  }
}
