import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { isUuid } from '#kernel';
import { TransactionRunner } from '#persistence/transaction-runner';
import { RequestContext } from '#tenancy';
import { PipelinesApi } from '../pipelines.api';
import { MoveContactCommand } from './contact-status.commands';
import { PipelinesScope } from './pipeline.commands';
import { PIPELINE_READ_MODEL, PipelineReadModel } from './pipelines.read-models';

/** The pipelines port for other contexts: the same commands and queries as the HTTP routes, in the caller's tenant. */
@Injectable()
export class PipelinesApiService implements PipelinesApi {
  constructor(
    private readonly commands: CommandBus,
    private readonly tx: TransactionRunner,
    private readonly context: RequestContext,
    @Inject(PIPELINE_READ_MODEL) private readonly pipelines: PipelineReadModel,
  ) {}

  async moveContact(input: { projectId: string; contactId: string; pipelineId: string; statusId: string }): Promise<void> {
    const command = new MoveContactCommand(this.scope(input.projectId), input.contactId, input.pipelineId, input.statusId);
    return this.tx.run(() => this.commands.execute(command));
  }

  async currentStatus(input: {
    projectId: string;
    contactId: string;
    pipelineId: string;
  }): Promise<{ statusId: string; statusName: string } | undefined> {
    const projectId = this.scope(input.projectId).projectId;
    if (!isUuid(input.contactId) || !isUuid(input.pipelineId)) return undefined;
    return this.tx.run(async () => {
      // Only a live pipeline of the caller's project answers: a place in another project's pipeline is not its.
      if (!(await this.pipelines.get(projectId, input.pipelineId))) return undefined;
      const status = await this.pipelines.contactStatus(input.pipelineId, input.contactId);
      return status ? { statusId: status.statusId, statusName: status.statusName } : undefined;
    });
  }

  async sessionTimeoutMinutes(input: { projectId: string; pipelineId: string }): Promise<number | undefined> {
    const projectId = this.scope(input.projectId).projectId;
    if (!isUuid(input.pipelineId)) return undefined;
    const pipeline = await this.tx.run(() => this.pipelines.get(projectId, input.pipelineId));
    return pipeline?.sessionTimeoutMinutes ?? undefined;
  }

  /** The caller's tenant: RLS would hide every row without it, so a call outside any tenant is a programming error. */
  private scope(projectId: string): PipelinesScope {
    const tenantId = this.context.tenantId;
    if (!tenantId) throw new Error('PipelinesApi needs a tenant context (a request, or TransactionRunner.runAsTenant)');
    return { tenantId, projectId };
  }
}
