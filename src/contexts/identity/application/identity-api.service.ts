import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '#persistence/transaction-runner';
import type { ProjectRole } from '#tenancy';
import type { IdentityApi } from '../identity.api';
import { ProjectMemberEntity } from '../infrastructure/project-member.entity';
import { ProjectEntity } from '../infrastructure/project.entity';

/** IdentityApi over the caller's tenant transaction: RLS keeps every answer inside the current tenant. */
@Injectable()
export class IdentityApiService implements IdentityApi {
  constructor(private readonly tx: TransactionRunner) {}

  async memberOfProject(projectId: string, userId: string): Promise<{ role: ProjectRole } | undefined> {
    const member = await this.tx.run((em) => em.findOne(ProjectMemberEntity, { where: { projectId, userId }, select: { role: true } }));
    return member ? { role: member.role as ProjectRole } : undefined;
  }

  async projectSettings(projectId: string): Promise<{ sessionTimeoutMinutes: number; active: boolean } | undefined> {
    const project = await this.tx.run((em) =>
      em.findOne(ProjectEntity, { where: { id: projectId }, select: { sessionTimeoutMinutes: true, active: true } }),
    );
    return project ? { sessionTimeoutMinutes: project.sessionTimeoutMinutes, active: project.active } : undefined;
  }
}
