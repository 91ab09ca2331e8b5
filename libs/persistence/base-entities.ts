import { Column, CreateDateColumn, DeleteDateColumn, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/** The columns every tenant row has: its id and its tenant (RLS keys on `tenant_id`). */
export abstract class TenantRowEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
}

/** A mutable aggregate's row: compare-and-swap `version` and its timestamps. */
export abstract class AggregateRowEntity extends TenantRowEntity {
  @VersionColumn() version: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** An aggregate whose rows are soft-deleted and can be restored. */
export abstract class SoftDeletableRowEntity extends AggregateRowEntity {
  @DeleteDateColumn({ name: 'deleted_at', type: 'timestamptz' }) deletedAt: Date | null;
}
