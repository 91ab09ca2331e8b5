import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ExpectedVersion, assertExpectedVersion } from '#kernel';
import { TransactionRunner } from '#persistence/transaction-runner';
import { Principal, ProjectRole } from '#tenancy';
import { PROJECT_MEMBER_REPOSITORY, ProjectMemberRepository } from '../domain/identity.repositories';
import { IdentityErrors } from '../identity.errors';
import { CredentialCache } from './credential-cache';
import { MemberView, findMemberView } from './member.queries';

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
