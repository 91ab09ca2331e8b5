import { IdentityAggregate } from './identity-aggregate';

export interface UserState {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  status: 'active' | 'suspended';
  version: number;
}

/**
 * A global identity (no tenant of its own): it joins projects of any tenant as a member. Its events are scoped
 * to the tenant it signed up with.
 */
export class User extends IdentityAggregate {
  private constructor(
    private readonly state: UserState,
    private readonly homeTenantId: string,
  ) {
    super(state.id, state.version);
  }

  static register(fields: Omit<UserState, 'version' | 'status'>, tenantId: string): User {
    const user = new User(
      { ...fields, email: fields.email.trim().toLowerCase(), name: fields.name.trim(), status: 'active', version: 0 },
      tenantId,
    );
    user.raise('user.registered', { email: user.state.email, name: user.state.name });
    return user;
  }

  get snapshot(): Readonly<UserState> {
    return { ...this.state, version: this.version };
  }

  protected readonly aggregateType = 'user';

  protected get scope() {
    return { tenantId: this.homeTenantId, projectId: null };
  }
}
