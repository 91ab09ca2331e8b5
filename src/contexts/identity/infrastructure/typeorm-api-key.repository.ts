import { Injectable } from '@nestjs/common';
import { MoreThan, IsNull } from 'typeorm';
import { AggregateStore } from '#persistence/aggregate-store';
import { TransactionRunner } from '#persistence/transaction-runner';
import { ApiKey } from '../domain/api-key';
import { ApiKeyRepository } from '../domain/identity.repositories';
import { ApiKeyEntity } from './api-key.entity';
import { ProjectMemberEntity } from './project-member.entity';

@Injectable()
export class TypeormApiKeyRepository implements ApiKeyRepository {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly store: AggregateStore,
  ) {}

  async findById(id: string): Promise<ApiKey | null> {
    const row = await this.tx.manager.findOne(ApiKeyEntity, { where: { id } });
    return row && ApiKey.restore(row);
  }

  async countActive(projectId: string, userId: string): Promise<number> {
    await this.tx.manager.find(ProjectMemberEntity, {
      where: { projectId, userId },
      select: { id: true },
      lock: { mode: 'pessimistic_write' },
    });
    return this.tx.manager.count(ApiKeyEntity, {
      where: [
        { projectId, userId, expiresAt: IsNull() },
        { projectId, userId, expiresAt: MoreThan(new Date()) },
      ],
    });
  }

  async save(key: ApiKey): Promise<void> {
    if (key.isRevoked) {
      await this.store.remove(key, ApiKeyEntity, 'api_key');
      return;
    }
    const { version: _v, ...row } = key.snapshot;
    await this.store.save(key, ApiKeyEntity, row, 'api_key');
  }
}
