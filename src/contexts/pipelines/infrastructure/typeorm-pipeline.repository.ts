import { Injectable } from '@nestjs/common';
import { ExpectedVersion } from '#kernel';
import { AggregateStore, translateUniqueViolation } from '#persistence/aggregate-store';
import { TransactionRunner } from '#persistence/transaction-runner';
import { Pipeline } from '../domain/pipeline';
import { PipelineRepository } from '../domain/pipelines.repositories';
import { PipelineStatusType } from '../pipelines.events';
import { PipelinesErrors } from '../pipelines.errors';
import { ContactPipelineEntity, PipelineEntity, PipelineStatusEntity } from './pipeline.entities';

@Injectable()
export class TypeormPipelineRepository implements PipelineRepository {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly store: AggregateStore,
  ) {}

  async findById(projectId: string, id: string, options: { withDeleted?: boolean; forShare?: boolean } = {}): Promise<Pipeline | null> {
    const row = await this.tx.manager.findOne(PipelineEntity, {
      where: { id, projectId },
      withDeleted: options.withDeleted,
      ...(options.forShare ? { lock: { mode: 'pessimistic_read' as const } } : {}),
    });
    if (!row) return null;
    const statuses = await this.tx.manager.find(PipelineStatusEntity, { where: { pipelineId: id }, withDeleted: true });
    return Pipeline.restore({
      id: row.id,
      tenantId: row.tenantId,
      projectId: row.projectId,
      name: row.name,
      description: row.description,
      color: row.color,
      sessionTimeoutMinutes: row.sessionTimeoutMinutes,
      version: row.version,
      deletedAt: row.deletedAt ?? null,
      statuses: statuses.map((s) => ({
        id: s.id,
        name: s.name,
        type: s.statusType as PipelineStatusType,
        color: s.color,
        position: s.position,
        allowedNext: s.allowedNext,
        deletedAt: s.deletedAt ?? null,
      })),
    });
  }

  contactsInStatus(pipelineId: string, statusId: string): Promise<number> {
    return this.tx.manager.count(ContactPipelineEntity, { where: { pipelineId, statusId, contactDeleted: false } });
  }

  async save(pipeline: Pipeline, expected?: ExpectedVersion): Promise<void> {
    const changed = pipeline.changedStatuses;
    const { version: _v, statuses: _s, ...row } = pipeline.snapshot;
    await this.store.save(pipeline, PipelineEntity, row, 'pipeline', { expected });
    if (changed.length === 0) return;
    // The status rows follow the pipeline's new version, in its transaction: only those the change touched.
    await this.tx.manager
      .createQueryBuilder()
      .insert()
      .into(PipelineStatusEntity)
      .values(
        changed.map((s) => ({
          id: s.id,
          tenantId: row.tenantId,
          pipelineId: pipeline.id,
          name: s.name,
          color: s.color,
          statusType: s.type,
          position: s.position,
          allowedNext: s.allowedNext,
          deletedAt: s.deletedAt,
        })),
      )
      .orUpdate(['name', 'color', 'status_type', 'position', 'allowed_next', 'deleted_at', 'updated_at'], ['id'])
      .execute()
      .catch((error: unknown) => {
        throw translateUniqueViolation(error, { uq_pipeline_statuses_name: () => PipelinesErrors.duplicateStatusName() });
      });
  }
}
