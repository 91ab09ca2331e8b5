import { Injectable } from '@nestjs/common';
import { ExpectedVersion, VersionConflictError } from '#kernel';
import { AggregateStore } from '#persistence/aggregate-store';
import { TransactionRunner } from '#persistence/transaction-runner';
import { ContactPipeline } from '../domain/contact-pipeline';
import { ContactPipelineRepository } from '../domain/pipelines.repositories';
import { ContactPipelineEntity, ContactPipelineEntryEntity } from './pipeline.entities';

@Injectable()
export class TypeormContactPipelineRepository implements ContactPipelineRepository {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly store: AggregateStore,
  ) {}

  async lock(pipelineId: string, contactId: string): Promise<void> {
    // A transaction-scoped advisory lock: released at commit or rollback, never held across the pool.
    await this.tx.manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`contact_pipelines:${pipelineId}:${contactId}`]);
  }

  async find(pipelineId: string, contactId: string): Promise<ContactPipeline | null> {
    const row = await this.tx.manager.findOne(ContactPipelineEntity, { where: { pipelineId, contactId } });
    return row
      ? ContactPipeline.restore({
          id: row.id,
          tenantId: row.tenantId,
          projectId: row.projectId,
          pipelineId: row.pipelineId,
          contactId: row.contactId,
          statusId: row.statusId,
          entryId: row.entryId,
          enteredAt: row.enteredAt,
          version: row.version,
        })
      : null;
  }

  async setContactDeleted(contactId: string, deleted: boolean): Promise<void> {
    await this.tx.manager.update(ContactPipelineEntity, { contactId, contactDeleted: !deleted }, { contactDeleted: deleted });
  }

  async save(membership: ContactPipeline, expected?: ExpectedVersion): Promise<void> {
    const history = [...membership.historyChanges];
    const { version: _v, ...row } = membership.snapshot;
    await this.store.save(membership, ContactPipelineEntity, row, 'contact_pipeline', {
      expected,
      // Entries are serialized by `lock`; should one still race another, the loser is a plain version conflict.
      unique: { uq_contact_pipelines_contact: () => new VersionConflictError('contact_pipeline', 0) },
    });
    for (const change of history) {
      if (change.kind === 'close') {
        await this.tx.manager.update(
          ContactPipelineEntryEntity,
          { id: change.entryId },
          { exitedAt: change.exitedAt, durationMs: String(change.durationMs) },
        );
      } else {
        await this.tx.manager.insert(ContactPipelineEntryEntity, {
          id: change.entryId,
          tenantId: row.tenantId,
          projectId: row.projectId,
          pipelineId: row.pipelineId,
          contactId: row.contactId,
          statusId: change.statusId,
          enteredAt: change.enteredAt,
        });
      }
    }
  }
}
