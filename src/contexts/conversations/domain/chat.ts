import { AggregateRoot } from '#kernel';
import { CONVERSATIONS_EVENT_VERSIONS, ChatEvents, ChatType } from '../conversations.events';

export interface ChatState {
  id: string;
  tenantId: string;
  projectId: string;
  channelId: string;
  /** The provider's chat id (`5511...@c.us`, `...@g.us`, `...@lid`): unique per channel. */
  externalId: string;
  type: ChatType;
  /** The other person of a direct chat, when we know their phone; null for groups. */
  contactId: string | null;
  version: number;
}

/** A WhatsApp chat on one channel: created with its first message, never changed by messages since. */
export class Chat extends AggregateRoot<ChatEvents> {
  private constructor(private readonly state: ChatState) {
    super(state.id, state.version);
  }

  static open(state: Omit<ChatState, 'version'>): Chat {
    const chat = new Chat({ ...state, version: 0 });
    chat.emit('chat.created', { channelId: state.channelId, externalId: state.externalId, type: state.type, contactId: state.contactId });
    return chat;
  }

  static restore(state: ChatState): Chat {
    return new Chat(state);
  }

  get snapshot(): Readonly<ChatState> {
    return this.state;
  }

  protected readonly aggregateType = 'chat';

  protected eventVersionOf(type: keyof ChatEvents): number {
    return CONVERSATIONS_EVENT_VERSIONS[type];
  }

  protected get scope() {
    return { tenantId: this.state.tenantId, projectId: this.state.projectId };
  }
}
