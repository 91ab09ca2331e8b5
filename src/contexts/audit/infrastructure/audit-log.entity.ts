import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One recorded change of a tenant row, written only by the audit triggers (`audit_statement()`). */
@Entity('audit_log')
export class AuditLogEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('uuid', { name: 'project_id', nullable: true }) projectId: string | null;
  @Column('text', { name: 'table_name' }) tableName: string;
  @Column('text', { name: 'row_id' }) rowId: string;
  @Column('text') action: string;
  @Column('jsonb') changes: Record<string, { old?: unknown; new?: unknown }>;
  @Column('uuid', { name: 'actor_id', nullable: true }) actorId: string | null;
  @Column('text', { name: 'request_id', nullable: true }) requestId: string | null;
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt: Date;
}
