import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ExpectedVersion, NotFoundError, assertExpectedVersion, newId } from '#kernel';
import { TransactionRunner } from '#persistence/transaction-runner';
import { Principal, ProjectRole } from '#tenancy';
import { PROJECT_MEMBER_REPOSITORY, ProjectMemberRepository } from '../domain/identity.repositories';
import { ProjectMember, ProjectMemberState } from '../domain/project-member';
import { CredentialLookups } from '../infrastructure/credential-lookups';
import { CredentialCache } from './credential-cache';

export class AddMemberCommand {
  constructor(
    readonly principal: Principal,
    readonly email: string,
    readonly role: ProjectRole,
  ) {}
}

/** Adds an existing user, found by email, to the caller's project. */
@CommandHandler(AddMemberCommand)
export class AddMemberHandler implements ICommandHandler<AddMemberCommand, Readonly<ProjectMemberState>> {
  constructor(
    private readonly lookups: CredentialLookups,
    @Inject(PROJECT_MEMBER_REPOSITORY) private readonly members: ProjectMemberRepository,
  ) {}

  async execute({ principal, email, role }: AddMemberCommand): Promise<Readonly<ProjectMemberState>> {
    // Users outside the tenant are hidden by RLS; this look-up answers only whether the email is registered.
    const userId = await this.lookups.userIdByEmail(email.trim());
    if (!userId) throw new NotFoundError('user');
    const member = ProjectMember.add({
      id: newId(),
      tenantId: principal.tenantId,
      projectId: principal.projectId,
      userId,
      role,
      invitedBy: principal.userId,
    });
    await this.members.save(member);
    return member.snapshot;
  }
}

export class ChangeMemberCommand {
  constructor(
    readonly principal: Principal,
    readonly id: string,
    readonly change: { kind: 'role'; role: ProjectRole } | { kind: 'remove' },
    readonly expected?: ExpectedVersion,
  ) {}
}

@CommandHandler(ChangeMemberCommand)
export class ChangeMemberHandler implements ICommandHandler<ChangeMemberCommand, Readonly<ProjectMemberState>> {
  constructor(
    @Inject(PROJECT_MEMBER_REPOSITORY) private readonly members: ProjectMemberRepository,
    private readonly credentials: CredentialCache,
    private readonly tx: TransactionRunner,
  ) {}

  async execute({ principal, id, change, expected }: ChangeMemberCommand): Promise<Readonly<ProjectMemberState>> {
    const member = await this.members.findById(principal.projectId, id);
    if (!member) throw new NotFoundError('project_member', id);
    assertExpectedVersion('project_member', member.version, expected);
    const otherAdmins = await this.members.countAdmins(principal.projectId, id);
    if (change.kind === 'role') member.changeRole(change.role, otherAdmins);
    else member.remove(otherAdmins);
    await this.members.save(member, expected);
    // API keys act with their user's role: drop what this process remembers of them.
    this.tx.afterCommit(() => this.credentials.clear());
    return member.snapshot;
  }
}
