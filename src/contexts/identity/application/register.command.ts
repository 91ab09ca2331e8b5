import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { newId } from '#kernel';
import { TransactionRunner } from '#persistence/transaction-runner';
import { ApiKey } from '../domain/api-key';
import {
  API_KEY_REPOSITORY,
  ApiKeyRepository,
  PROJECT_MEMBER_REPOSITORY,
  PROJECT_REPOSITORY,
  ProjectMemberRepository,
  ProjectRepository,
  REGISTRATION_REPOSITORY,
  RegistrationRepository,
} from '../domain/identity.repositories';
import { Project } from '../domain/project';
import { ProjectMember } from '../domain/project-member';
import { Tenant } from '../domain/tenant';
import { User } from '../domain/user';
import { assertAcceptablePassword } from '../domain/password-policy';
import { CommonPasswords } from './common-passwords';
import { PasswordHasher } from './password-hasher';
import { SignInLimits } from './sign-in-limits';

export interface Registration {
  user: { id: string; email: string; name: string };
  tenant: { id: string; name: string };
  project: { id: string; name: string };
  apiKey: { id: string; name: string; prefix: string; key: string };
}

export class RegisterCommand extends Command<Registration> {
  constructor(
    readonly email: string,
    readonly password: string,
    readonly name: string,
    readonly tenantName: string,
    /** The client's address, for the sign-up limit. */
    readonly address: string,
  ) {
    super();
  }
}

/**
 * Sign-up: a user, a new tenant with its billing account and first project, the user as its admin, and an API
 * key; each aggregate raises its own events, all in the new tenant's one transaction.
 */
@CommandHandler(RegisterCommand)
export class RegisterHandler implements ICommandHandler<RegisterCommand> {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly passwords: PasswordHasher,
    private readonly commonPasswords: CommonPasswords,
    private readonly limits: SignInLimits,
    @Inject(REGISTRATION_REPOSITORY) private readonly registrations: RegistrationRepository,
    @Inject(PROJECT_REPOSITORY) private readonly projects: ProjectRepository,
    @Inject(PROJECT_MEMBER_REPOSITORY) private readonly members: ProjectMemberRepository,
    @Inject(API_KEY_REPOSITORY) private readonly keys: ApiKeyRepository,
  ) {}

  async execute(cmd: RegisterCommand): Promise<Registration> {
    await this.limits.beforeRegister(cmd.address);
    assertAcceptablePassword(cmd.password, cmd, (p) => this.commonPasswords.has(p));
    const passwordHash = await this.passwords.hash(cmd.password);
    const tenantId = newId();
    const projectId = newId();
    const user = User.register({ id: newId(), email: cmd.email, name: cmd.name, passwordHash }, tenantId);
    const { email, name } = user.snapshot;
    const tenant = Tenant.register(
      { id: tenantId, name: cmd.tenantName, ownerUserId: user.id, billingAccountId: newId(), billingEmail: email },
      projectId,
    );
    const project = Project.create({
      id: projectId,
      tenantId,
      billingAccountId: tenant.snapshot.billingAccountId,
      createdBy: user.id,
      name: 'Default',
      description: null,
    });
    const member = ProjectMember.add({ id: newId(), tenantId, projectId, userId: user.id, role: 'admin', invitedBy: null });
    const { key, secret } = ApiKey.issue({ id: newId(), tenantId, projectId, userId: user.id, name: 'Default key', expiresAt: null });
    await this.tx.runAsTenant(
      tenantId,
      async () => {
        await this.registrations.saveUser(user);
        await this.registrations.saveTenant(tenant);
        await this.projects.save(project);
        await this.members.save(member);
        await this.keys.save(key);
      },
      // The new user is the session's user, which the users policy requires for the insert.
      { userId: user.id },
    );
    return {
      user: { id: user.id, email, name },
      tenant: { id: tenantId, name: tenant.snapshot.name },
      project: { id: projectId, name: project.snapshot.name },
      apiKey: { id: key.id, name: key.snapshot.name, prefix: key.snapshot.keyPrefix, key: secret },
    };
  }
}
