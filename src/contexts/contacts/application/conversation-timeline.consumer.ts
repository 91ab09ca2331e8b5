import { Inject } from '@nestjs/common';
import { Consumer, OutboxConsumer } from '#outbox/outbox-consumer';
import { OutboxMessage } from '#outbox/outbox-message';
import type { ConversationsMessage } from '../../conversations/conversations.events';
import { CONTACT_READ_MODEL, ContactReadModel, NewTimelineEntry } from './contacts.read-models';

type TimelineEvent = Extract<
  ConversationsMessage,
  { type: 'message.received' | 'message.recorded' | 'session.started' | 'session.ended' | 'session.assigned' }
>;

const TITLES: Record<TimelineEvent['type'], string> = {
  'message.received': 'Message received',
  'message.recorded': 'Message sent',
  'session.started': 'Conversation started',
  'session.ended': 'Conversation ended',
  'session.assigned': 'Conversation assigned',
};

/** Puts a contact's messages and conversation sessions on its timeline, from the conversations context's events. */
@Consumer()
export class ConversationTimelineConsumer implements OutboxConsumer {
  readonly name = 'contacts.conversation_timeline';
  readonly eventTypes = Object.keys(TITLES);

  constructor(@Inject(CONTACT_READ_MODEL) private readonly contacts: ContactReadModel) {}

  async handle(messages: readonly OutboxMessage[]): Promise<void> {
    const rows = messages.flatMap((message) => {
      const entry = this.entry(message as unknown as TimelineEvent);
      return entry ? [entry] : [];
    });
    await this.contacts.appendTimeline(rows);
  }

  /** The timeline entry, or none for a message of a sender without a contact (an unknown number, a LID). */
  private entry(e: TimelineEvent): NewTimelineEntry | undefined {
    if (!(e.type in TITLES) || !e.data.contactId) return undefined;
    const message = e.type === 'message.received' || e.type === 'message.recorded';
    return {
      tenantId: e.tenantId,
      projectId: e.projectId,
      contactId: e.data.contactId,
      eventId: e.eventId,
      eventType: e.type,
      category: message ? 'messages' : 'conversations',
      title: message && e.data.text ? `${TITLES[e.type]}: ${e.data.text.slice(0, 80)}` : TITLES[e.type],
      payload: { [message ? 'messageId' : 'sessionId']: e.aggregateId, ...e.data },
      source: 'channel',
      triggeredBy: e.metadata.actorId ?? null,
      occurredAt: new Date(e.occurredAt),
    };
  }
}
