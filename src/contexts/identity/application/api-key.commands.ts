import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler, IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { APP_CONFIG, AppConfig } from '#config/app-config';
import { newId } from '#kernel';
import { TransactionRunner } from '#persistence/transaction-runner';
import { Principal } from '#tenancy';
import { ApiKey } from '../domain/api-key';
import { API_KEY_REPOSITORY, ApiKeyRepository } from '../domain/identity.repositories';
import { IdentityErrors } from '../identity.errors';
import { SqlRow } from '#persistence/sql-row';
import { CredentialCache } from './credential-cache';

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  userId: string;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
}

export type CreatedApiKeyView = ApiKeyView & { key: string };

const SELECT = `SELECT id, name, key_prefix, user_id, expires_at, last_used_at, created_at FROM user_api_keys`;

const toApiKeyView = (k: SqlRow): ApiKeyView => ({
  id: k.id,
  name: k.name,
  prefix: k.key_prefix,
  userId: k.user_id,
  expiresAt: k.expires_at,
  lastUsedAt: k.last_used_at,
  createdAt: k.created_at,
});

/** Admins see (and revoke) every key of the project; everyone else their own. */
const mayManage = (p: Principal, key: { projectId: string; userId: string }) =>
  key.projectId === p.projectId && (p.role === 'admin' || key.userId === p.userId);

export class ListApiKeysQuery extends Query<ApiKeyView[]> {
  constructor(readonly principal: Principal) {
    super();
  }
}

@QueryHandler(ListApiKeysQuery)
export class ListApiKeysHandler implements IQueryHandler<ListApiKeysQuery> {
  constructor(private readonly tx: TransactionRunner) {}

  async execute({ principal: p }: ListApiKeysQuery): Promise<ApiKeyView[]> {
    const keys: SqlRow[] = await this.tx.manager.query(
      `${SELECT} WHERE project_id = $1 AND ($2::uuid IS NULL OR user_id = $2) ORDER BY id`,
      [p.projectId, p.role === 'admin' ? null : p.userId],
    );
    return keys.map(toApiKeyView);
  }
}

export class CreateApiKeyCommand extends Command<CreatedApiKeyView> {
  constructor(
    readonly principal: Principal,
    readonly name: string,
    readonly expiresAt: Date | null,
  ) {
    super();
  }
}

/** A key for the caller in the caller's project; the secret is returned once and never stored. */
@CommandHandler(CreateApiKeyCommand)
export class CreateApiKeyHandler implements ICommandHandler<CreateApiKeyCommand> {
  constructor(
    @Inject(API_KEY_REPOSITORY) private readonly keys: ApiKeyRepository,
    private readonly tx: TransactionRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ principal, name, expiresAt }: CreateApiKeyCommand): Promise<CreatedApiKeyView> {
    const max = this.config.identity.apiKeysPerUserPerProject;
    if ((await this.keys.countActive(principal.projectId, principal.userId)) >= max) throw IdentityErrors.apiKeyLimit(max);
    const { key, secret } = ApiKey.issue({
      id: newId(),
      tenantId: principal.tenantId,
      projectId: principal.projectId,
      userId: principal.userId,
      name,
      expiresAt,
    });
    await this.keys.save(key);
    const [row]: SqlRow[] = await this.tx.manager.query(`${SELECT} WHERE id = $1`, [key.id]);
    return { ...toApiKeyView(row), key: secret };
  }
}

export class RevokeApiKeyCommand extends Command<void> {
  constructor(
    readonly principal: Principal,
    readonly id: string,
  ) {
    super();
  }
}

@CommandHandler(RevokeApiKeyCommand)
export class RevokeApiKeyHandler implements ICommandHandler<RevokeApiKeyCommand> {
  constructor(
    @Inject(API_KEY_REPOSITORY) private readonly keys: ApiKeyRepository,
    private readonly tx: TransactionRunner,
    private readonly credentials: CredentialCache,
  ) {}

  async execute({ principal, id }: RevokeApiKeyCommand): Promise<void> {
    const key = await this.keys.findById(id);
    if (!key || !mayManage(principal, key.snapshot)) throw IdentityErrors.apiKeyNotFound(id);
    key.revoke(principal.userId);
    await this.keys.save(key);
    this.tx.afterCommit(() => this.credentials.clear());
  }
}
