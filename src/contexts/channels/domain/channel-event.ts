/**
 * What a messaging channel tells the conversations context, whatever gateway or engine delivered it. WhatsApp
 * message references come in two forms and consumers should match on both: `externalId`, the id as the gateway
 * serialises it (`false_5511999999999@c.us_3EB0...[_participant]`, used for dedupe), and `waMessageId`, the bare
 * WhatsApp message id (`3EB0...`), the only form some events carry (edits, revokes, quoted messages).
 */

export type MessageType = 'text' | 'image' | 'video' | 'audio' | 'voice' | 'document' | 'sticker' | 'location' | 'contact_card' | 'unknown';

export type MessageDirection = 'inbound' | 'outbound';

/** Where a message was written: `api` when it was sent through the gateway's API (an echo of our own send). */
export type MessageSource = 'api' | 'app';

/** A WhatsApp account: its chat id (`...@c.us`, `...@lid`), E.164 phone and hidden LID when known. */
export interface ChannelParticipant {
  id?: string;
  phone?: string;
  lid?: string;
  pushName?: string;
}

export interface MediaRef {
  url: string;
  mimetype: string;
  filename?: string;
}

export interface GeoLocation {
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
}

/** A click-to-WhatsApp ad lead, read from the message's context info. */
export interface AdAttribution {
  source: 'meta_ads';
  adId?: string;
  ctwaClid?: string;
  sourceUrl?: string;
  conversionSource?: string;
}

export interface InboundMessage {
  kind: 'message';
  externalId: string;
  waMessageId: string;
  chatExternalId: string;
  isGroup: boolean;
  isStatusBroadcast: boolean;
  /** Who wrote it: the group participant, the 1:1 counterpart, or (fromMe) the session's own account when known. */
  sender: ChannelParticipant;
  /** The other person of a direct chat, whichever way the message went; absent for groups and Status posts. */
  counterpart?: ChannelParticipant;
  fromMe: boolean;
  direction: MessageDirection;
  source?: MessageSource;
  type: MessageType;
  /** The body, or the caption of a media message; null when there is none. */
  text: string | null;
  hasMedia: boolean;
  media?: MediaRef;
  location?: GeoLocation;
  contacts?: string[];
  replyToExternalId?: string;
  replyToWaMessageId?: string;
  attribution?: AdAttribution;
  sentAt: Date;
}

export type MessageStatus = 'failed' | 'pending' | 'sent' | 'delivered' | 'read' | 'played';

export interface MessageAck {
  kind: 'ack';
  externalId: string;
  waMessageId: string;
  chatExternalId?: string;
  /** In groups: the member whose device acknowledged; the message's own status is then per member. */
  participant?: string;
  fromMe?: boolean;
  status: MessageStatus;
}

export interface MessageReaction {
  kind: 'reaction';
  /** The reacted-to message. */
  externalId: string;
  waMessageId: string;
  chatExternalId?: string;
  /** The emoji; '' means the reaction was removed. */
  emoji: string;
  from: ChannelParticipant;
  fromMe: boolean;
  at: Date;
}

export interface MessageRevoked {
  kind: 'revoked';
  /** The revoked message, when the gateway says it in full (it often gives only the bare id). */
  externalId?: string;
  waMessageId: string;
  chatExternalId?: string;
  at?: Date;
}

export interface MessageEdited {
  kind: 'edited';
  /** The edited message; only its author can edit, so its full id is rebuilt from the edit's own id. */
  externalId?: string;
  waMessageId: string;
  chatExternalId?: string;
  newText: string;
  at?: Date;
}

export type ChannelStatus = 'connecting' | 'qr_required' | 'active' | 'inactive' | 'error';

export interface SessionStatus {
  kind: 'session_status';
  session: string;
  status: ChannelStatus;
  /** The gateway's own status word, kept for display and debugging. */
  providerStatus: string;
}

/** An event the conversations context does not handle (labels, calls, presence, polls...); acknowledged, not stored. */
export interface UnknownEvent {
  kind: 'unknown';
  event: string;
  reason?: string;
}

export type ChannelEvent = InboundMessage | MessageAck | MessageReaction | MessageRevoked | MessageEdited | SessionStatus | UnknownEvent;

const RANK: Record<Exclude<MessageStatus, 'failed'>, number> = { pending: 0, sent: 1, delivered: 2, read: 3, played: 4 };

/**
 * The status after an incoming report: acks arrive out of order and more than once, so a status never moves back.
 * `failed` can only replace pending or sent (a delivered message did not fail); a later delivered, read or played
 * report still replaces `failed`, because it proves the message arrived.
 */
export function advanceStatus(current: MessageStatus, incoming: MessageStatus): MessageStatus {
  if (incoming === 'failed') return current === 'pending' || current === 'sent' ? 'failed' : current;
  if (current === 'failed') return RANK[incoming] >= RANK.delivered ? incoming : current;
  return RANK[incoming] > RANK[current] ? incoming : current;
}
