import { Injectable } from '@nestjs/common';
import { IsNull, MoreThan } from 'typeorm';
import { TransactionRunner } from '#persistence/transaction-runner';
import { ChannelReadModel, ChannelRecord } from '../application/channels.ports';
import { ChannelsApi, ChannelSummary, OutboundContent, SendResult } from '../channels.api';
import { ChannelEntity } from './channel.entities';
import { WahaMessageSender } from './waha-message.sender';

const record = (r: ChannelEntity): ChannelRecord => ({
  id: r.id,
  name: r.name,
  type: r.type,
  status: r.status,
  enabled: r.enabled,
  config: { baseUrl: r.config.baseUrl, session: r.config.session },
  hasApiKey: r.apiKeyEncrypted !== null,
  hasWebhookSecret: r.webhookSecretEncrypted !== null,
  sessionTimeoutMinutes: r.sessionTimeoutMinutes,
  debounceMs: r.debounceMs,
  pipelineId: r.pipelineId,
  version: r.version,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

@Injectable()
export class TypeormChannelReadModel implements ChannelReadModel {
  constructor(private readonly tx: TransactionRunner) {}

  async list(projectId: string, take: number, after?: string): Promise<ChannelRecord[]> {
    const rows = await this.tx.manager.find(ChannelEntity, {
      where: { projectId, deletedAt: IsNull(), ...(after ? { id: MoreThan(after) } : {}) },
      order: { id: 'ASC' },
      take,
    });
    return rows.map(record);
  }

  async get(projectId: string, id: string): Promise<ChannelRecord | null> {
    const row = await this.tx.manager.findOne(ChannelEntity, { where: { id, projectId } });
    return row ? record(row) : null;
  }
}

/** The published port: a live channel, never its secrets. */
@Injectable()
export class ChannelsApiService implements ChannelsApi {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly sender: WahaMessageSender,
  ) {}

  send(channelId: string, content: OutboundContent): Promise<SendResult> {
    return this.sender.send(channelId, content);
  }

  getChannel(input: { projectId: string; channelId: string }): Promise<ChannelSummary | undefined> {
    return this.tx.run(async (manager) => {
      const r = await manager.findOne(ChannelEntity, { where: { id: input.channelId, projectId: input.projectId } });
      if (!r) return undefined;
      return {
        channelId: r.id,
        projectId: r.projectId,
        name: r.name,
        type: r.type,
        status: r.status,
        config: { baseUrl: r.config.baseUrl, session: r.config.session },
        sessionTimeoutMinutes: r.sessionTimeoutMinutes,
        debounceMs: r.debounceMs,
        pipelineId: r.pipelineId,
      };
    });
  }
}
