import { AggregateRoot } from '#kernel';
import { CHANNELS_EVENT_VERSIONS, ChannelType, InboundEventEvents } from '../channels.events';

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

  static receive(state: InboundEventState): InboundEvent {
    const inbound = new InboundEvent(state);
    inbound.emit('channel.inbound_received', {
      channelId: state.channelId,
      provider: state.provider,
      event: state.event,
      body: state.body,
    });
    return inbound;
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
