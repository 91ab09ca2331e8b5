import { Inject } from '@nestjs/common';
import { Consumer, OutboxConsumer } from '#outbox/outbox-consumer';
import { OutboxMessage } from '#outbox/outbox-message';
import { asContactsMessage } from '../../contacts/contacts.events';
import { CONTACT_PIPELINE_REPOSITORY, ContactPipelineRepository } from '../domain/pipelines.repositories';

/**
 * A deleted contact leaves every board (its place and history are kept, and it cannot be moved); restored, it is
 * back where it was. Events of one contact arrive in order, so the last of them wins.
 */
@Consumer()
export class ContactLifecycleConsumer implements OutboxConsumer {
  readonly name = 'pipelines.contact_lifecycle';
  readonly eventTypes = ['contact.deleted', 'contact.restored'];

  constructor(@Inject(CONTACT_PIPELINE_REPOSITORY) private readonly places: ContactPipelineRepository) {}

  async handle(messages: readonly OutboxMessage[]): Promise<void> {
    for (const message of messages) {
      const event = asContactsMessage(message);
      if (event?.type === 'contact.deleted' || event?.type === 'contact.restored')
        await this.places.setContactDeleted(event.aggregateId, event.type === 'contact.deleted');
    }
  }
}
