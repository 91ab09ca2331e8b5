import { Inject, Injectable } from '@nestjs/common';
import { newId } from '#kernel';
import { TimerScheduler } from '#timers/timer-scheduler';
import { CHANNELS_API, ChannelsApi } from '../../channels/channels.api';
import { MESSAGE_GROUP_REPOSITORY, MessageGroupRepository } from '../domain/conversations.repositories';
import { MessageGroup } from '../domain/message-group';

export const MESSAGE_GROUP_WINDOW = 'message_group.window';
/** A channel that no longer exists still groups its last messages. */
const DEFAULT_DEBOUNCE_MS = 15_000;

/**
 * Puts each inbound message of a contact into their pending message group on the channel, or opens one when there
 * is none or the message comes after the window (or in another session), which completes the old one. The group's
 * window timer (durable, in the same transaction) moves to debounceMs after the latest message.
 */
@Injectable()
export class MessageGrouper {
  constructor(
    @Inject(MESSAGE_GROUP_REPOSITORY) private readonly groups: MessageGroupRepository,
    @Inject(CHANNELS_API) private readonly channels: ChannelsApi,
    private readonly timers: TimerScheduler,
  ) {}

  /** Returns the id of the message's group. */
  async add(input: {
    tenantId: string;
    projectId: string;
    contactId: string;
    chatId: string;
    channelId: string;
    sessionId: string;
    messageId: string;
    at: Date;
  }): Promise<string> {
    let group = await this.groups.findPending(input.contactId, input.channelId);
    if (group && !group.accepts(input.sessionId, input.at)) {
      group.complete(input.at);
      await this.groups.save(group);
      await this.timers.cancel(MESSAGE_GROUP_WINDOW, group.id);
      group = null;
    }
    if (group) {
      group.add(input.messageId, input.at);
    } else {
      const { messageId, at, ...fields } = input;
      group = MessageGroup.open(
        { ...fields, id: newId(), debounceMs: await this.debounceOf(input.projectId, input.channelId) },
        messageId,
        at,
      );
    }
    await this.groups.save(group);
    await this.timers.schedule({
      kind: MESSAGE_GROUP_WINDOW,
      key: group.id,
      dueAt: group.snapshot.expiresAt,
      payload: { groupId: group.id },
      projectId: input.projectId,
    });
    return group.id;
  }

  private async debounceOf(projectId: string, channelId: string): Promise<number> {
    return (await this.channels.getChannel({ projectId, channelId }))?.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  }
}
