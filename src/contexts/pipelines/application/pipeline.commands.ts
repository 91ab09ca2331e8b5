import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ExpectedVersion, assertExpectedVersion, newId } from '#kernel';
import { Pipeline, PipelineFields, StatusChanges } from '../domain/pipeline';
import { PIPELINE_REPOSITORY, PipelineRepository } from '../domain/pipelines.repositories';
import { PipelineStatusType } from '../pipelines.events';
import { PipelinesErrors } from '../pipelines.errors';

export interface PipelinesScope {
  readonly tenantId: string;
  readonly projectId: string;
}

export interface StatusInput {
  name: string;
  type: PipelineStatusType;
  color?: string | null;
  allowedNext?: string[] | null;
}

export class CreatePipelineCommand extends Command<{ id: string }> {
  constructor(
    readonly scope: PipelinesScope,
    readonly fields: PipelineFields,
    readonly statuses: readonly StatusInput[],
  ) {
    super();
  }
}

/** A pipeline with its first statuses, in the order given. */
@CommandHandler(CreatePipelineCommand)
export class CreatePipelineHandler implements ICommandHandler<CreatePipelineCommand> {
  constructor(@Inject(PIPELINE_REPOSITORY) private readonly pipelines: PipelineRepository) {}

  async execute({ scope, fields, statuses }: CreatePipelineCommand): Promise<{ id: string }> {
    const pipeline = Pipeline.create(
      { id: newId(), tenantId: scope.tenantId, projectId: scope.projectId, ...fields },
      statuses.map((s) => ({ ...s, id: newId() })),
    );
    await this.pipelines.save(pipeline);
    return { id: pipeline.id };
  }
}

export type PipelineChange =
  | { kind: 'update'; fields: Partial<PipelineFields> }
  | { kind: 'delete' }
  | { kind: 'restore' }
  | { kind: 'add_status'; status: StatusInput; position?: number }
  | { kind: 'change_status'; statusId: string; changes: StatusChanges }
  | { kind: 'reorder'; statusIds: string[] }
  | { kind: 'remove_status'; statusId: string };

export class ChangePipelineCommand extends Command<{ id: string; statusId?: string }> {
  constructor(
    readonly scope: PipelinesScope,
    readonly id: string,
    readonly change: PipelineChange,
    readonly expected?: ExpectedVersion,
  ) {
    super();
  }
}

/** Every change of a pipeline and its statuses: one compare-and-swap of the pipeline. */
@CommandHandler(ChangePipelineCommand)
export class ChangePipelineHandler implements ICommandHandler<ChangePipelineCommand> {
  constructor(@Inject(PIPELINE_REPOSITORY) private readonly pipelines: PipelineRepository) {}

  async execute({ scope, id, change, expected }: ChangePipelineCommand): Promise<{ id: string; statusId?: string }> {
    const pipeline = await this.pipelines.findById(scope.projectId, id, { withDeleted: change.kind === 'restore' });
    if (!pipeline || (change.kind === 'restore' && !pipeline.isDeleted)) throw PipelinesErrors.notFound('pipeline', id);
    assertExpectedVersion('pipeline', pipeline.version, expected);
    let statusId: string | undefined;
    switch (change.kind) {
      case 'update':
        pipeline.update(change.fields);
        break;
      case 'delete':
        pipeline.delete();
        break;
      case 'restore':
        pipeline.undelete();
        break;
      case 'add_status':
        statusId = newId();
        pipeline.addStatus({ ...change.status, id: statusId }, change.position);
        break;
      case 'change_status':
        pipeline.changeStatus(change.statusId, change.changes);
        break;
      case 'reorder':
        pipeline.reorder(change.statusIds);
        break;
      case 'remove_status':
        pipeline.removeStatus(change.statusId, await this.pipelines.contactsInStatus(id, change.statusId));
        break;
    }
    await this.pipelines.save(pipeline, expected);
    return { id, statusId };
  }
}
