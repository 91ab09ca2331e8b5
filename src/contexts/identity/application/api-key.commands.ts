import { CommandHandler, ICommandHandler, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NotFoundError, domainEvent, newId } from '#kernel';
import { OutboxWriter } from '#outbox/outbox-writer';
import { TransactionRunner } from '#persistence/transaction-runner';
import { Principal } from '#tenancy';
import { issueApiKey } from '../domain/api-key';
import { CredentialCache } from './credential-cache';
import { ApiKeyEntity } from '../infrastructure/api-key.entity';

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  userId: string;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
}

export const toApiKeyView = (k: ApiKeyEntity): ApiKeyView => ({
  id: k.id,
  name: k.name,
  prefix: k.keyPrefix,
  userId: k.userId,
  expiresAt: k.expiresAt,
  lastUsedAt: k.lastUsedAt,
  createdAt: k.createdAt,
});

/** Admins see every key of the project; everyone else their own. */
const visibleTo = (p: Principal) => (p.role === 'admin' ? { projectId: p.projectId } : { projectId: p.projectId, userId: p.userId });

export class ListApiKeysQuery {
  constructor(readonly principal: Principal) {}
}

@QueryHandler(ListApiKeysQuery)
export class ListApiKeysHandler implements IQueryHandler<ListApiKeysQuery, ApiKeyView[]> {
  constructor(private readonly tx: TransactionRunner) {}

  async execute({ principal }: ListApiKeysQuery): Promise<ApiKeyView[]> {
    const keys = await this.tx.manager.find(ApiKeyEntity, { where: visibleTo(principal), order: { id: 'ASC' } });
    return keys.map(toApiKeyView);
  }
}

export class CreateApiKeyCommand {
  constructor(
    readonly principal: Principal,
    readonly name: string,
    readonly expiresAt: Date | null,
  ) {}
}

/** A key for the caller in the caller's project; the secret is returned once and never stored. */
@CommandHandler(CreateApiKeyCommand)
export class CreateApiKeyHandler implements ICommandHandler<CreateApiKeyCommand, ApiKeyView & { key: string }> {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly outbox: OutboxWriter,
  ) {}

  async execute({ principal, name, expiresAt }: CreateApiKeyCommand): Promise<ApiKeyView & { key: string }> {
    const key = issueApiKey();
    const row = this.tx.manager.create(ApiKeyEntity, {
      id: newId(),
      tenantId: principal.tenantId,
      projectId: principal.projectId,
      userId: principal.userId,
      name: name.trim(),
      keyPrefix: key.prefix,
      keyHash: key.hash,
      expiresAt,
      lastUsedAt: null,
    });
    const saved = await this.tx.manager.save(row);
    await this.outbox.append([
      domainEvent({
        type: 'api_key.created',
        aggregateType: 'api_key',
        aggregateId: saved.id,
        aggregateVersion: 1,
        tenantId: principal.tenantId,
        projectId: principal.projectId,
        payload: { name: saved.name, userId: saved.userId },
      }),
    ]);
    return { ...toApiKeyView(saved), key: key.secret };
  }
}

export class RevokeApiKeyCommand {
  constructor(
    readonly principal: Principal,
    readonly id: string,
  ) {}
}

@CommandHandler(RevokeApiKeyCommand)
export class RevokeApiKeyHandler implements ICommandHandler<RevokeApiKeyCommand, void> {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly outbox: OutboxWriter,
    private readonly credentials: CredentialCache,
  ) {}

  async execute({ principal, id }: RevokeApiKeyCommand): Promise<void> {
    const result = await this.tx.manager.delete(ApiKeyEntity, { id, ...visibleTo(principal) });
    if (!result.affected) throw new NotFoundError('api_key', id);
    this.tx.afterCommit(() => this.credentials.clear());
    await this.outbox.append([
      domainEvent({
        type: 'api_key.revoked',
        aggregateType: 'api_key',
        aggregateId: id,
        aggregateVersion: 2,
        tenantId: principal.tenantId,
        projectId: principal.projectId,
        payload: { revokedBy: principal.userId },
      }),
    ]);
  }
}
