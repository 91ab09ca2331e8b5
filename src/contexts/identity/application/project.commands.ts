import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ExpectedVersion, assertExpectedVersion, newId } from '#kernel';
import { TransactionRunner } from '#persistence/transaction-runner';
import { Principal } from '#tenancy';
import { PROJECT_MEMBER_REPOSITORY, PROJECT_REPOSITORY, ProjectMemberRepository, ProjectRepository } from '../domain/identity.repositories';
import { Project, ProjectChanges } from '../domain/project';
import { ProjectMember } from '../domain/project-member';
import { IdentityErrors } from '../identity.errors';
import { CredentialCache } from './credential-cache';
import { ProjectView, toProjectView } from './project.queries';

export class CreateProjectCommand extends Command<ProjectView> {
  constructor(
    readonly principal: Principal,
    readonly name: string,
    readonly description: string | null,
    readonly changes: ProjectChanges,
  ) {
    super();
  }
}

/** A new project in the caller's tenant, billed like the caller's project; the creator becomes its admin. */
@CommandHandler(CreateProjectCommand)
export class CreateProjectHandler implements ICommandHandler<CreateProjectCommand> {
  constructor(
    @Inject(PROJECT_REPOSITORY) private readonly projects: ProjectRepository,
    @Inject(PROJECT_MEMBER_REPOSITORY) private readonly members: ProjectMemberRepository,
  ) {}

  async execute({ principal, name, description, changes }: CreateProjectCommand): Promise<ProjectView> {
    const current = await this.projects.findById(principal.projectId);
    if (!current) throw IdentityErrors.projectNotFound(principal.projectId);
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
    return toProjectView(project.snapshot);
  }
}

export type ProjectChange = { kind: 'update'; changes: ProjectChanges } | { kind: 'delete' } | { kind: 'restore' };

export class ChangeProjectCommand extends Command<ProjectView> {
  constructor(
    readonly principal: Principal,
    readonly id: string,
    readonly change: ProjectChange,
    readonly expected?: ExpectedVersion,
  ) {
    super();
  }
}

/** Update, delete or restore a project: only its admins may; to anyone else it does not exist (404). */
@CommandHandler(ChangeProjectCommand)
export class ChangeProjectHandler implements ICommandHandler<ChangeProjectCommand> {
  constructor(
    @Inject(PROJECT_REPOSITORY) private readonly projects: ProjectRepository,
    @Inject(PROJECT_MEMBER_REPOSITORY) private readonly members: ProjectMemberRepository,
    private readonly tx: TransactionRunner,
    private readonly credentials: CredentialCache,
  ) {}

  async execute({ principal, id, change, expected }: ChangeProjectCommand): Promise<ProjectView> {
    const project = await this.projects.findById(id, { withDeleted: change.kind === 'restore' });
    const membership = project && (await this.members.findByUser(id, principal.userId));
    if (!project || !membership || membership.isRemoved || membership.role !== 'admin') throw IdentityErrors.projectNotFound(id);
    if (change.kind === 'restore' ? !project.isDeleted : project.isDeleted) throw IdentityErrors.projectNotFound(id);
    assertExpectedVersion('project', project.version, expected);
    if (change.kind === 'update') {
      const deactivating = change.changes.active === false && project.isActive;
      project.update(change.changes, deactivating ? { otherActiveProjects: await this.projects.countOtherActive(id) } : {});
    } else if (change.kind === 'delete') project.delete({ projectId: principal.projectId });
    else project.undelete();
    await this.projects.save(project, expected);
    // Its API keys stop (or start) working with it: forget what this process remembers of keys.
    this.tx.afterCommit(() => this.credentials.clear());
    return toProjectView(project.snapshot);
  }
}
