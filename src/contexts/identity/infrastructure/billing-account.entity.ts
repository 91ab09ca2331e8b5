import { Column, Entity } from 'typeorm';
import { SoftDeletableRowEntity } from '#persistence/base-entities';

@Entity('billing_accounts')
export class BillingAccountEntity extends SoftDeletableRowEntity {
  @Column('uuid', { name: 'owner_user_id' }) ownerUserId: string;
  @Column('text') name: string;
  @Column('text', { name: 'billing_email' }) billingEmail: string;
  @Column('text', { name: 'payment_status' }) paymentStatus: string;
  @Column('jsonb', { name: 'payment_methods' }) paymentMethods: unknown[];
  @Column('text', { name: 'stripe_customer_id', nullable: true }) stripeCustomerId: string | null;
  @Column('boolean') suspended: boolean;
  @Column('timestamptz', { name: 'suspended_at', nullable: true }) suspendedAt: Date | null;
  @Column('text', { name: 'suspension_reason', nullable: true }) suspensionReason: string | null;
}
