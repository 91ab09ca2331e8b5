import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Inject } from '@nestjs/common';
import { DomainError, domainEvent, newId } from '#kernel';
import { OutboxWriter } from '#outbox/outbox-writer';
import { TransactionRunner } from '#persistence/transaction-runner';
import { translateUniqueViolation } from '#persistence/aggregate-store';
import { issueApiKey } from '../domain/api-key';
import { PROJECT_MEMBER_REPOSITORY, PROJECT_REPOSITORY, ProjectMemberRepository, ProjectRepository } from '../domain/identity.repositories';
import { Project } from '../domain/project';
import { ProjectMember } from '../domain/project-member';
import { ApiKeyEntity } from '../infrastructure/api-key.entity';
import { BillingAccountEntity } from '../infrastructure/billing-account.entity';
import { TenantEntity } from '../infrastructure/tenant.entity';
import { UserEntity } from '../infrastructure/user.entity';
import { PasswordHasher } from './password-hasher';

export class RegisterCommand {
  constructor(
    readonly email: string,
    readonly password: string,
    readonly name: string,
    readonly tenantName: string,
  ) {}
}

export interface Registration {
  user: { id: string; email: string; name: string };
  tenant: { id: string; name: string };
  project: { id: string; name: string };
  apiKey: { id: string; name: string; prefix: string; key: string };
}

/** Sign-up: a user, a new tenant with its billing account and first project, the user as admin, and an API key. */
@CommandHandler(RegisterCommand)
export class RegisterHandler implements ICommandHandler<RegisterCommand, Registration> {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly outbox: OutboxWriter,
    private readonly passwords: PasswordHasher,
    @Inject(PROJECT_REPOSITORY) private readonly projects: ProjectRepository,
    @Inject(PROJECT_MEMBER_REPOSITORY) private readonly members: ProjectMemberRepository,
  ) {}

  async execute(cmd: RegisterCommand): Promise<Registration> {
    const passwordHash = await this.passwords.hash(cmd.password);
    const tenantId = newId();
    const userId = newId();
    const billingAccountId = newId();
    const email = cmd.email.trim().toLowerCase();
    return this.tx.runAsTenant(
      tenantId,
      async (em) => {
        try {
          await em.insert(UserEntity, {
            id: userId,
            email,
            name: cmd.name.trim(),
            passwordHash,
            status: 'active',
            settings: {},
            version: 1,
          });
        } catch (error) {
          throw translateUniqueViolation(error, {
            uq_users_email: () => new DomainError('conflict', 'user.duplicate_email', 'An account with this email already exists'),
          });
        }
        await em.insert(TenantEntity, { id: tenantId, name: cmd.tenantName.trim(), version: 1 });
        await em.insert(BillingAccountEntity, {
          id: billingAccountId,
          tenantId,
          ownerUserId: userId,
          name: cmd.tenantName.trim(),
          billingEmail: email,
          paymentStatus: 'pending',
          paymentMethods: [],
          suspended: false,
          version: 1,
        });
        const project = Project.create({ id: newId(), tenantId, billingAccountId, createdBy: userId, name: 'Default', description: null });
        await this.projects.save(project);
        await this.members.save(
          ProjectMember.add({ id: newId(), tenantId, projectId: project.id, userId, role: 'admin', invitedBy: null }),
        );
        const key = issueApiKey();
        const apiKeyId = newId();
        await em.insert(ApiKeyEntity, {
          id: apiKeyId,
          tenantId,
          projectId: project.id,
          userId,
          name: 'Default key',
          keyPrefix: key.prefix,
          keyHash: key.hash,
        });
        await this.outbox.append([
          domainEvent({
            type: 'tenant.registered',
            aggregateType: 'tenant',
            aggregateId: tenantId,
            aggregateVersion: 1,
            tenantId,
            projectId: project.id,
            payload: { name: cmd.tenantName.trim(), ownerUserId: userId },
          }),
        ]);
        return {
          user: { id: userId, email, name: cmd.name.trim() },
          tenant: { id: tenantId, name: cmd.tenantName.trim() },
          project: { id: project.id, name: project.snapshot.name },
          apiKey: { id: apiKeyId, name: 'Default key', prefix: key.prefix, key: key.secret },
        };
      },
      // The new user is the session's user, which the users policy requires for the insert.
      { userId },
    );
  }
}
