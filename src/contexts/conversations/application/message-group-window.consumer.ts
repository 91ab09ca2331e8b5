import { Inject } from '@nestjs/common';
import { Consumer, OutboxConsumer } from '#outbox/outbox-consumer';
import { OutboxMessage } from '#outbox/outbox-message';
import { timerEventType } from '#timers/timer-spec';
import { MESSAGE_GROUP_REPOSITORY, MessageGroupRepository } from '../domain/conversations.repositories';
import { MESSAGE_GROUP_WINDOW } from './message-grouper';

/**
 * Completes a message group when its window timer fires. A fire can race a last-moment message (which moved the
 * timer): the group completes only if it is still pending and its window has really closed; otherwise the moved
 * timer fires later.
 */
@Consumer()
export class MessageGroupWindowConsumer implements OutboxConsumer {
  readonly name = 'conversations.message_group_window';
  readonly eventTypes = [timerEventType(MESSAGE_GROUP_WINDOW)];

  constructor(@Inject(MESSAGE_GROUP_REPOSITORY) private readonly groups: MessageGroupRepository) {}

  async handle(batch: readonly OutboxMessage[]): Promise<void> {
    for (const message of batch) {
      const payload = message.data.payload as { groupId?: unknown } | undefined;
      if (typeof payload?.groupId !== 'string') continue;
      const group = await this.groups.findById(payload.groupId);
      if (!group?.isPending || new Date() < group.snapshot.expiresAt) continue;
      group.complete();
      await this.groups.save(group);
    }
  }
}
