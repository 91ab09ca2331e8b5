import { Injectable } from '@nestjs/common';
import { DomainError, ExpectedVersion } from '#kernel';
import { AggregateStore } from '#persistence/aggregate-store';
import { TransactionRunner } from '#persistence/transaction-runner';
import { Project } from '../domain/project';
import { ProjectRepository } from '../domain/identity.repositories';
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

  async save(project: Project, expected?: ExpectedVersion): Promise<void> {
    const { version: _v, ...row } = project.snapshot;
    await this.store.save(project, ProjectEntity, row, 'project', {
      expected,
      unique: {
        uq_projects_tenant_name: () => new DomainError('conflict', 'project.duplicate_name', 'A project with this name already exists'),
      },
    });
  }
}
