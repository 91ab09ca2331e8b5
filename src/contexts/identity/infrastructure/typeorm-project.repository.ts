import { Injectable } from '@nestjs/common';
import { ExpectedVersion } from '#kernel';
import { AggregateStore } from '#persistence/aggregate-store';
import { TransactionRunner } from '#persistence/transaction-runner';
import { Project } from '../domain/project';
import { ProjectRepository } from '../domain/identity.repositories';
import { IdentityErrors } from '../identity.errors';
import { ProjectEntity } from './project.entity';

@Injectable()
export class TypeormProjectRepository implements ProjectRepository {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly store: AggregateStore,
  ) {}

  async findById(id: string, options: { withDeleted?: boolean } = {}): Promise<Project | null> {
    const row = await this.tx.manager.findOne(ProjectEntity, { where: { id }, withDeleted: options.withDeleted });
    return row ? Project.restore({ ...row, description: row.description ?? null, deletedAt: row.deletedAt ?? null }) : null;
  }

  /** Locks the tenant's active projects, so two concurrent deactivations cannot both see the other one active. */
  async countOtherActive(exceptId: string): Promise<number> {
    const rows = await this.tx.manager.find(ProjectEntity, {
      where: { active: true },
      select: { id: true },
      lock: { mode: 'pessimistic_write' },
    });
    return rows.filter((r) => r.id !== exceptId).length;
  }

  async save(project: Project, expected?: ExpectedVersion): Promise<void> {
    const { version: _v, ...row } = project.snapshot;
    await this.store.save(project, ProjectEntity, row, 'project', {
      expected,
      unique: { uq_projects_tenant_name: IdentityErrors.projectDuplicateName },
    });
  }
}
