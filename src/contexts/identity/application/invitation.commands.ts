import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { APP_CONFIG, AppConfig } from '#config/app-config';
import { ExpectedVersion, assertExpectedVersion, newId } from '#kernel';
import { TransactionRunner } from '#persistence/transaction-runner';
import { Principal, ProjectRole } from '#tenancy';
import {
  PROJECT_INVITATION_REPOSITORY,
  PROJECT_MEMBER_REPOSITORY,
  PROJECT_REPOSITORY,
  ProjectInvitationRepository,
  ProjectMemberRepository,
  ProjectRepository,
} from '../domain/identity.repositories';
import { ProjectInvitation, normalizeEmail } from '../domain/project-invitation';
import { ProjectMember } from '../domain/project-member';
import { IdentityErrors } from '../identity.errors';
import { CREDENTIAL_DIRECTORY, CredentialDirectory } from './credential-directory';
import { InvitationView, findInvitationView } from './invitation.queries';

export class InviteMemberCommand extends Command<InvitationView> {
  constructor(
    readonly principal: Principal,
    readonly email: string,
    readonly role: ProjectRole,
  ) {
    super();
  }
}

/**
 * Invites an email address to the caller's project. Nothing is looked up outside the tenant, so the answer is the
 * same whether or not the address has an account (and never names its owner); its owner decides.
 */
@CommandHandler(InviteMemberCommand)
export class InviteMemberHandler implements ICommandHandler<InviteMemberCommand> {
  constructor(
    @Inject(PROJECT_INVITATION_REPOSITORY) private readonly invitations: ProjectInvitationRepository,
    @Inject(PROJECT_MEMBER_REPOSITORY) private readonly members: ProjectMemberRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionRunner,
  ) {}

  async execute({ principal, email, role }: InviteMemberCommand): Promise<InvitationView> {
    const address = normalizeEmail(email);
    // Only this project's members are compared: they are in the members list already.
    if (await this.members.isMemberByEmail(principal.projectId, address)) throw IdentityErrors.memberDuplicate();
    const previous = await this.invitations.findPending(principal.projectId, address);
    if (previous && !previous.isExpired()) throw IdentityErrors.invitationDuplicate();
    if (previous) {
      previous.expire();
      await this.invitations.save(previous);
    }
    const invitation = ProjectInvitation.create(
      { id: newId(), tenantId: principal.tenantId, projectId: principal.projectId, email: address, role, invitedBy: principal.userId },
      this.config.identity.invitationTtlHours,
    );
    await this.invitations.save(invitation);
    return findInvitationView(this.tx, principal.projectId, invitation.id);
  }
}

export class RevokeInvitationCommand extends Command<void> {
  constructor(
    readonly principal: Principal,
    readonly id: string,
    readonly expected?: ExpectedVersion,
  ) {
    super();
  }
}

/** An admin withdraws a pending invitation of their project. */
@CommandHandler(RevokeInvitationCommand)
export class RevokeInvitationHandler implements ICommandHandler<RevokeInvitationCommand> {
  constructor(@Inject(PROJECT_INVITATION_REPOSITORY) private readonly invitations: ProjectInvitationRepository) {}

  async execute({ principal, id, expected }: RevokeInvitationCommand): Promise<void> {
    const invitation = await this.invitations.findById(id);
    if (!invitation || invitation.snapshot.projectId !== principal.projectId) throw IdentityErrors.invitationNotFound(id);
    assertExpectedVersion('invitation', invitation.version, expected);
    invitation.revoke(principal.userId);
    await this.invitations.save(invitation, expected);
  }
}

export interface JoinedProject {
  projectId: string;
  tenantId: string;
  projectName: string;
  role: ProjectRole;
}

export class RespondToInvitationCommand extends Command<JoinedProject | null> {
  constructor(
    readonly userId: string,
    readonly id: string,
    readonly answer: 'accept' | 'decline',
  ) {
    super();
  }
}

/**
 * The invitee answers, in the inviting tenant's transaction: accepting makes them a member with the offered role.
 * An invitation addressed to anybody else answers 404, exactly like a missing one.
 */
@CommandHandler(RespondToInvitationCommand)
export class RespondToInvitationHandler implements ICommandHandler<RespondToInvitationCommand> {
  constructor(
    @Inject(CREDENTIAL_DIRECTORY) private readonly lookups: CredentialDirectory,
    private readonly tx: TransactionRunner,
    @Inject(PROJECT_INVITATION_REPOSITORY) private readonly invitations: ProjectInvitationRepository,
    @Inject(PROJECT_MEMBER_REPOSITORY) private readonly members: ProjectMemberRepository,
    @Inject(PROJECT_REPOSITORY) private readonly projects: ProjectRepository,
  ) {}

  async execute({ userId, id, answer }: RespondToInvitationCommand): Promise<JoinedProject | null> {
    const tenantId = await this.lookups.invitationTenant(userId, id);
    if (!tenantId) throw IdentityErrors.invitationNotFound(id);
    return this.tx.runAsTenant(
      tenantId,
      async (em) => {
        const invitation = await this.invitations.findById(id);
        // RLS shows the session's own user: the invitee, whose email must be the invited one.
        const [user]: { id: string; email: string }[] = await em.query(`SELECT id, email FROM users WHERE id = $1 AND deleted_at IS NULL`, [
          userId,
        ]);
        if (!invitation || !user) throw IdentityErrors.invitationNotFound(id);
        const { projectId, role, invitedBy } = invitation.snapshot;
        const project = await this.projects.findById(projectId);
        if (!project) throw IdentityErrors.invitationNotFound(id);
        if (answer === 'decline') {
          invitation.decline(user);
          await this.invitations.save(invitation);
          return null;
        }
        const member = ProjectMember.add({ id: newId(), tenantId, projectId, userId, role, invitedBy });
        invitation.accept(user, member.id);
        await this.invitations.save(invitation);
        await this.members.save(member);
        return { projectId, tenantId, projectName: project.snapshot.name, role };
      },
      // The invitee is the session's user: RLS shows them their own row, and the tenant's rows.
      { userId },
    );
  }
}
