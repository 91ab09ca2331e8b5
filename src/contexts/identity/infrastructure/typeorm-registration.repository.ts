import { Injectable } from '@nestjs/common';
import { AggregateStore } from '#persistence/aggregate-store';
import { TransactionRunner } from '#persistence/transaction-runner';
import { Tenant } from '../domain/tenant';
import { User } from '../domain/user';
import { RegistrationRepository } from '../domain/identity.repositories';
import { IdentityErrors } from '../identity.errors';
import { BillingAccountEntity } from './billing-account.entity';
import { TenantEntity } from './tenant.entity';
import { UserEntity } from './user.entity';

@Injectable()
export class TypeormRegistrationRepository implements RegistrationRepository {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly store: AggregateStore,
  ) {}

  async saveUser(user: User): Promise<void> {
    const { version: _v, ...row } = user.snapshot;
    await this.store.save(user, UserEntity, { ...row, settings: {} }, 'user', {
      unique: { uq_users_email: IdentityErrors.duplicateEmail },
    });
  }

  /** The tenant row, then its billing account (which references it), then the tenant's events. */
  async saveTenant(tenant: Tenant): Promise<void> {
    const { id, name, ownerUserId, billingAccountId, billingEmail } = tenant.snapshot;
    const isNew = tenant.isNew;
    await this.store.save(tenant, TenantEntity, { id, name }, 'tenant');
    if (!isNew) return;
    await this.tx.manager.insert(BillingAccountEntity, {
      id: billingAccountId,
      tenantId: id,
      ownerUserId,
      name,
      billingEmail,
      paymentStatus: 'pending',
      paymentMethods: [],
      suspended: false,
      version: 1,
    });
  }
}
