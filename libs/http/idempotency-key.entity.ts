import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A claimed Idempotency-Key and the response it replays (the interceptor reads and writes it with SQL). */
@Entity('idempotency_keys')
export class IdempotencyKeyEntity {
  @PrimaryColumn('uuid', { name: 'tenant_id' }) tenantId: string;
  @PrimaryColumn('uuid', { name: 'project_id' }) projectId: string;
  @PrimaryColumn('uuid', { name: 'credential_id' }) credentialId: string;
  @PrimaryColumn('text', { name: 'idempotency_key' }) idempotencyKey: string;
  @Column('text', { name: 'request_hash' }) requestHash: string;
  @Column('integer', { name: 'response_status', nullable: true }) responseStatus: number | null;
  @Column('text', { name: 'response_etag', nullable: true }) responseEtag: string | null;
  @Column('jsonb', { name: 'response_body', nullable: true }) responseBody: unknown;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
}
