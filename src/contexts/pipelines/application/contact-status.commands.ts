import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ExpectedVersion, assertExpectedVersion, newId } from '#kernel';
import { CONTACTS_API, ContactsApi } from '../../contacts/contacts.api';
import { ContactPipeline } from '../domain/contact-pipeline';
import {
  CONTACT_PIPELINE_REPOSITORY,
  ContactPipelineRepository,
  PIPELINE_REPOSITORY,
  PipelineRepository,
} from '../domain/pipelines.repositories';
import { PipelinesErrors } from '../pipelines.errors';
import { PipelinesScope } from './pipeline.commands';

export class MoveContactCommand extends Command<void> {
  constructor(
    readonly scope: PipelinesScope,
    readonly contactId: string,
    readonly pipelineId: string,
    readonly statusId: string,
    readonly expected?: ExpectedVersion,
  ) {
    super();
  }
}

/**
 * Moves a live contact to a status of a live pipeline, entering it the first time. Moves of one contact in one
 * pipeline wait for each other (a lock on its place), and the pipeline is held against changes while the move
 * checks its statuses and transitions.
 */
@CommandHandler(MoveContactCommand)
export class MoveContactHandler implements ICommandHandler<MoveContactCommand> {
  constructor(
    @Inject(PIPELINE_REPOSITORY) private readonly pipelines: PipelineRepository,
    @Inject(CONTACT_PIPELINE_REPOSITORY) private readonly places: ContactPipelineRepository,
    @Inject(CONTACTS_API) private readonly contacts: ContactsApi,
  ) {}

  async execute({ scope, contactId, pipelineId, statusId, expected }: MoveContactCommand): Promise<void> {
    if (!(await this.contacts.getContact({ projectId: scope.projectId, contactId }))) throw PipelinesErrors.notFound('contact', contactId);
    const pipeline = await this.pipelines.findById(scope.projectId, pipelineId, { withDeleted: true, forShare: true });
    if (!pipeline) throw PipelinesErrors.notFound('pipeline', pipelineId);
    await this.places.lock(pipelineId, contactId);
    const place = await this.places.find(pipelineId, contactId);
    if (!place) {
      if (expected) throw PipelinesErrors.notFound('contact_pipeline');
      const { to } = pipeline.checkMove(undefined, statusId);
      const entered = ContactPipeline.enter(
        { id: newId(), tenantId: scope.tenantId, projectId: scope.projectId, pipelineId, contactId },
        to,
      );
      await this.places.save(entered);
      return;
    }
    assertExpectedVersion('contact_pipeline', place.version, expected);
    const { from, to } = pipeline.checkMove(place.snapshot.statusId, statusId);
    place.moveTo(from!, to);
    await this.places.save(place, expected);
  }
}
