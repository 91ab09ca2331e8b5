import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { SqlRow } from '#persistence/sql-row';
import { TransactionRunner } from '#persistence/transaction-runner';
import { IdentityErrors } from '../identity.errors';
import { CREDENTIAL_DIRECTORY, CredentialDirectory, Membership } from './credential-directory';

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
    @Inject(CREDENTIAL_DIRECTORY) private readonly lookups: CredentialDirectory,
  ) {}

  async execute({ userId }: MeQuery): Promise<MeView> {
    // The request's transaction carries app.current_user_id: RLS shows this user its own row.
    const [user]: SqlRow[] = await this.tx.manager.query(
      `SELECT id, email, name, status, created_at FROM users WHERE id = $1 AND deleted_at IS NULL`,
      [userId],
    );
    if (!user) throw IdentityErrors.userNotFound(userId);
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      status: user.status,
      createdAt: user.created_at,
      projects: await this.lookups.memberships(userId),
    };
  }
}
