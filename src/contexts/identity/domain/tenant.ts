import { IdentityAggregate } from './identity-aggregate';

export interface TenantState {
  id: string;
  name: string;
  ownerUserId: string;
  /** The tenant's billing account: made with it at sign-up, part of this aggregate. */
  billingAccountId: string;
  billingEmail: string;
  version: number;
}

/** An organisation account: the unit of isolation. Signs up with its owner, its billing account and first project. */
export class Tenant extends IdentityAggregate {
  private constructor(private readonly state: TenantState) {
    super(state.id, state.version);
  }

  static register(fields: Omit<TenantState, 'version'>, firstProjectId: string): Tenant {
    const tenant = new Tenant({ ...fields, name: fields.name.trim(), version: 0 });
    tenant.firstProjectId = firstProjectId;
    tenant.raise('tenant.registered', {
      name: tenant.state.name,
      ownerUserId: fields.ownerUserId,
      billingAccountId: fields.billingAccountId,
    });
    return tenant;
  }

  get snapshot(): Readonly<TenantState> {
    return { ...this.state, version: this.version };
  }

  private firstProjectId: string | null = null;

  protected readonly aggregateType = 'tenant';

  protected get scope() {
    return { tenantId: this.id, projectId: this.firstProjectId };
  }
}
