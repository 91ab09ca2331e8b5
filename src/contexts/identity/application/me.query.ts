import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { TransactionRunner } from '#persistence/transaction-runner';
import { UserEntity } from '../infrastructure/user.entity';
import { CredentialLookups, Membership } from '../infrastructure/credential-lookups';
import { IdentityErrors } from '../identity.errors';

export interface MeView {
  id: string;
  email: string;
  name: string;
  status: 'active' | 'suspended';
  createdAt: Date;
  projects: Membership[];
}

export class MeQuery extends Query<MeView> {
  constructor(readonly userId: string) {
    super();
  }
}

/** The signed-in user and every project they belong to, in any tenant. */
@QueryHandler(MeQuery)
export class MeHandler implements IQueryHandler<MeQuery> {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly lookups: CredentialLookups,
  ) {}

  async execute({ userId }: MeQuery): Promise<MeView> {
    // The request's transaction carries app.current_user_id: RLS shows this user its own row.
    const user = await this.tx.manager.findOne(UserEntity, { where: { id: userId } });
    if (!user) throw IdentityErrors.userNotFound(userId);
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      status: user.status as MeView['status'],
      createdAt: user.createdAt,
      projects: await this.lookups.memberships(userId),
    };
  }
}
