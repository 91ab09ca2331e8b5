import { Injectable } from '@nestjs/common';
import { ExpectedVersion } from '#kernel';
import { AggregateStore } from '#persistence/aggregate-store';
import { TransactionRunner } from '#persistence/transaction-runner';
import type { ProjectRole } from '#tenancy';
import { InvitationStatus, ProjectInvitation } from '../domain/project-invitation';
import { ProjectInvitationRepository } from '../domain/identity.repositories';
import { IdentityErrors } from '../identity.errors';
import { ProjectInvitationEntity } from './project-invitation.entity';

@Injectable()
export class TypeormProjectInvitationRepository implements ProjectInvitationRepository {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly store: AggregateStore,
  ) {}

  async findById(id: string): Promise<ProjectInvitation | null> {
    return toInvitation(await this.tx.manager.findOne(ProjectInvitationEntity, { where: { id } }));
  }

  async findPending(projectId: string, email: string): Promise<ProjectInvitation | null> {
    return toInvitation(await this.tx.manager.findOne(ProjectInvitationEntity, { where: { projectId, email, status: 'pending' } }));
  }

  async save(invitation: ProjectInvitation, expected?: ExpectedVersion): Promise<void> {
    const { version: _v, ...row } = invitation.snapshot;
    await this.store.save(invitation, ProjectInvitationEntity, row, 'invitation', {
      expected,
      unique: { uq_project_invitations_pending: IdentityErrors.invitationDuplicate },
    });
  }
}

function toInvitation(row: ProjectInvitationEntity | null): ProjectInvitation | null {
  return row && ProjectInvitation.restore({ ...row, role: row.role as ProjectRole, status: row.status as InvitationStatus });
}
