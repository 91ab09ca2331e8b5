import { Column, Entity } from 'typeorm';
import { AggregateRowEntity } from '#persistence/base-entities';

/** Immutable once issued but for last use; revoking deletes the row (a secret is destroyed, not soft-deleted). */
@Entity('user_api_keys')
export class ApiKeyEntity extends AggregateRowEntity {
  @Column('uuid', { name: 'project_id' }) projectId: string;
  @Column('uuid', { name: 'user_id' }) userId: string;
  @Column('text') name: string;
  @Column('text', { name: 'key_prefix' }) keyPrefix: string;
  @Column('text', { name: 'key_hash' }) keyHash: string;
  @Column('timestamptz', { name: 'expires_at', nullable: true }) expiresAt: Date | null;
  @Column('timestamptz', { name: 'last_used_at', nullable: true }) lastUsedAt: Date | null;
}
