import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ExpectedVersion, NotFoundError, assertExpectedVersion, newId } from '#kernel';
import { TransactionRunner } from '#persistence/transaction-runner';
import { Principal } from '#tenancy';
import { PROJECT_MEMBER_REPOSITORY, PROJECT_REPOSITORY, ProjectMemberRepository, ProjectRepository } from '../domain/identity.repositories';
import { Project, ProjectChanges, ProjectState } from '../domain/project';
import { ProjectMember } from '../domain/project-member';
import { CredentialCache } from './credential-cache';

export class CreateProjectCommand {
  constructor(
    readonly principal: Principal,
    readonly name: string,
    readonly description: string | null,
    readonly changes: ProjectChanges,
  ) {}
}

/** A new project in the caller's tenant, billed like the caller's project; the creator becomes its admin. */
@CommandHandler(CreateProjectCommand)
export class CreateProjectHandler implements ICommandHandler<CreateProjectCommand, Readonly<ProjectState>> {
  constructor(
    @Inject(PROJECT_REPOSITORY) private readonly projects: ProjectRepository,
    @Inject(PROJECT_MEMBER_REPOSITORY) private readonly members: ProjectMemberRepository,
  ) {}

  async execute({ principal, name, description, changes }: CreateProjectCommand): Promise<Readonly<ProjectState>> {
    const current = await this.projects.findById(principal.projectId);
    if (!current) throw new NotFoundError('project', principal.projectId);
    const project = Project.create({
      ...changes,
      id: newId(),
      tenantId: principal.tenantId,
      billingAccountId: current.snapshot.billingAccountId,
      createdBy: principal.userId,
      name,
      description,
    });
    await this.projects.save(project);
    await this.members.save(
      ProjectMember.add({
        id: newId(),
        tenantId: principal.tenantId,
        projectId: project.id,
        userId: principal.userId,
        role: 'admin',
        invitedBy: principal.userId,
      }),
    );
    return project.snapshot;
  }
}

export class ChangeProjectCommand {
  constructor(
    readonly id: string,
    readonly change: { kind: 'update'; changes: ProjectChanges } | { kind: 'delete' } | { kind: 'restore' },
    readonly expected?: ExpectedVersion,
  ) {}
}

@CommandHandler(ChangeProjectCommand)
export class ChangeProjectHandler implements ICommandHandler<ChangeProjectCommand, Readonly<ProjectState>> {
  constructor(
    @Inject(PROJECT_REPOSITORY) private readonly projects: ProjectRepository,
    private readonly tx: TransactionRunner,
    private readonly credentials: CredentialCache,
  ) {}

  async execute({ id, change, expected }: ChangeProjectCommand): Promise<Readonly<ProjectState>> {
    const project = await this.projects.findById(id, { withDeleted: change.kind === 'restore' });
    if (!project || (change.kind === 'restore' && !project.isDeleted)) throw new NotFoundError('project', id);
    assertExpectedVersion('project', project.version, expected);
    if (change.kind === 'update') project.update(change.changes);
    else if (change.kind === 'delete') project.delete();
    else project.undelete();
    await this.projects.save(project, expected);
    // Its API keys stop (or start) working with it: forget what this process remembers of keys.
    this.tx.afterCommit(() => this.credentials.clear());
    return project.snapshot;
  }
}
