import { Injectable } from '@nestjs/common';
import { ExpectedVersion } from '#kernel';
import { AggregateStore } from '#persistence/aggregate-store';
import { TransactionRunner } from '#persistence/transaction-runner';
import { Channel } from '../domain/channel';
import { ChannelRepository, InboundEventRepository } from '../domain/channels.repositories';
import { InboundEvent } from '../domain/inbound-event';
import { ChannelEntity, ChannelInboundEventEntity } from './channel.entities';

@Injectable()
export class TypeormChannelRepository implements ChannelRepository {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly store: AggregateStore,
  ) {}

  async findById(projectId: string, id: string, options: { withDeleted?: boolean } = {}): Promise<Channel | null> {
    const row = await this.tx.manager.findOne(ChannelEntity, { where: { id, projectId }, withDeleted: options.withDeleted });
    return row
      ? Channel.restore({
          id: row.id,
          tenantId: row.tenantId,
          projectId: row.projectId,
          name: row.name,
          type: row.type,
          status: row.status,
          enabled: row.enabled,
          config: row.config,
          apiKeyEncrypted: row.apiKeyEncrypted,
          webhookSecretEncrypted: row.webhookSecretEncrypted,
          webhookTokenHash: row.webhookTokenHash,
          sessionTimeoutMinutes: row.sessionTimeoutMinutes,
          debounceMs: row.debounceMs,
          pipelineId: row.pipelineId,
          version: row.version,
          deletedAt: row.deletedAt ?? null,
        })
      : null;
  }

  async save(channel: Channel, expected?: ExpectedVersion): Promise<void> {
    const { version: _v, ...row } = channel.snapshot;
    await this.store.save(channel, ChannelEntity, row, 'channel', { expected });
  }
}

/** The inbox row and its `channel.inbound_received` outbox event, in the current transaction. */
@Injectable()
export class TypeormInboundEventRepository implements InboundEventRepository {
  constructor(private readonly store: AggregateStore) {}

  async save(inbound: InboundEvent): Promise<void> {
    await this.store.save(inbound, ChannelInboundEventEntity, { ...inbound.snapshot }, 'channel_inbound_event');
  }
}
