import { AggregateRoot } from '#kernel';
import { CHANNELS_EVENT_VERSIONS, ChannelEventOrigin, ChannelType, InboundEventEvents } from '../channels.events';
import { ChannelEvent } from './channel-event';

export interface InboundEventState {
  id: string;
  tenantId: string;
  projectId: string;
  channelId: string;
  provider: ChannelType;
  event: string;
  /** The raw body, exactly as received. */
  body: string;
}

/**
 * One webhook delivery in the inbox: recorded as received (version 1, never changed) with its
 * `channel.inbound_received` event in the same transaction, so nothing accepted is lost and processing happens
 * later, through the outbox, with its retries.
 */
export class InboundEvent extends AggregateRoot<InboundEventEvents> {
  private constructor(private readonly state: InboundEventState) {
    super(state.id, 0);
  }

  /**
   * `parsed` is the delivery read into a normalised event (when it is one): the message, ack, reaction, edit or
   * revoke is published with the raw delivery, in the same transaction, so consumers never parse a provider's body.
   */
  static receive(state: InboundEventState, parsed?: ChannelEvent): InboundEvent {
    const inbound = new InboundEvent(state);
    inbound.emit('channel.inbound_received', {
      channelId: state.channelId,
      provider: state.provider,
      event: state.event,
      body: state.body,
    });
    if (parsed) inbound.publish(parsed, { channelId: state.channelId, inboundEventId: state.id });
    return inbound;
  }

  private publish(event: ChannelEvent, origin: ChannelEventOrigin): void {
    switch (event.kind) {
      case 'message':
        this.emit('channel.message_received', { ...event, sentAt: event.sentAt.toISOString(), ...origin });
        return;
      case 'ack':
        this.emit('channel.message_ack', { ...event, ...origin });
        return;
      case 'reaction':
        this.emit('channel.message_reaction', { ...event, at: event.at.toISOString(), ...origin });
        return;
      case 'edited':
        this.emit('channel.message_edited', { ...event, at: event.at?.toISOString(), ...origin });
        return;
      case 'revoked':
        this.emit('channel.message_revoked', { ...event, at: event.at?.toISOString(), ...origin });
        return;
      default:
        // session reports and the events no one handles travel only as channel.inbound_received
        return;
    }
  }

  get snapshot(): Readonly<InboundEventState> {
    return this.state;
  }

  protected readonly aggregateType = 'channel_inbound_event';

  protected eventVersionOf(type: keyof InboundEventEvents): number {
    return CHANNELS_EVENT_VERSIONS[type];
  }

  protected get scope() {
    return { tenantId: this.state.tenantId, projectId: this.state.projectId };
  }
}
