import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ExpectedVersion, assertExpectedVersion, newId } from '#kernel';
import { TransactionRunner } from '#persistence/transaction-runner';
import { Principal, ProjectRole } from '#tenancy';
import { PROJECT_MEMBER_REPOSITORY, ProjectMemberRepository } from '../domain/identity.repositories';
import { ProjectMember } from '../domain/project-member';
import { IdentityErrors } from '../identity.errors';
import { CredentialLookups } from '../infrastructure/credential-lookups';
import { CredentialCache } from './credential-cache';
import { MemberView, findMemberView } from './member.queries';

export class AddMemberCommand extends Command<MemberView> {
  constructor(
    readonly principal: Principal,
    readonly email: string,
    readonly role: ProjectRole,
  ) {
    super();
  }
}

/** Adds an existing user, found by email, to the caller's project. */
@CommandHandler(AddMemberCommand)
export class AddMemberHandler implements ICommandHandler<AddMemberCommand> {
  constructor(
    private readonly lookups: CredentialLookups,
    private readonly tx: TransactionRunner,
    @Inject(PROJECT_MEMBER_REPOSITORY) private readonly members: ProjectMemberRepository,
  ) {}

  async execute({ principal, email, role }: AddMemberCommand): Promise<MemberView> {
    // Users outside the tenant are hidden by RLS; this look-up answers only whether the email is registered.
    const userId = await this.lookups.userIdByEmail(email.trim());
    if (!userId) throw IdentityErrors.userNotFound();
    const member = ProjectMember.add({
      id: newId(),
      tenantId: principal.tenantId,
      projectId: principal.projectId,
      userId,
      role,
      invitedBy: principal.userId,
    });
    await this.members.save(member);
    return findMemberView(this.tx, principal.projectId, member.id);
  }
}

export type MemberChange = { kind: 'role'; role: ProjectRole } | { kind: 'remove' };

export class ChangeMemberCommand extends Command<MemberView | null> {
  constructor(
    readonly principal: Principal,
    readonly id: string,
    readonly change: MemberChange,
    readonly expected?: ExpectedVersion,
  ) {
    super();
  }
}

/** Changes a member's role or removes them; the last admin stays. Answers the member, or null once removed. */
@CommandHandler(ChangeMemberCommand)
export class ChangeMemberHandler implements ICommandHandler<ChangeMemberCommand> {
  constructor(
    @Inject(PROJECT_MEMBER_REPOSITORY) private readonly members: ProjectMemberRepository,
    private readonly credentials: CredentialCache,
    private readonly tx: TransactionRunner,
  ) {}

  async execute({ principal, id, change, expected }: ChangeMemberCommand): Promise<MemberView | null> {
    const member = await this.members.findById(principal.projectId, id);
    if (!member || member.isRemoved) throw IdentityErrors.memberNotFound(id);
    assertExpectedVersion('project_member', member.version, expected);
    const otherAdmins = await this.members.countAdmins(principal.projectId, id);
    if (change.kind === 'role') member.changeRole(change.role, otherAdmins);
    else member.remove(otherAdmins);
    await this.members.save(member, expected);
    // API keys act with their user's role: drop what this process remembers of them.
    this.tx.afterCommit(() => this.credentials.clear());
    return change.kind === 'remove' ? null : findMemberView(this.tx, principal.projectId, id);
  }
}
