import { ChannelParticipant, GeoLocation, InboundMessage, MediaRef, MessageType } from '../../domain/channel-event';
import { bool, field, firstStr, JsonObject, num, obj, path, str } from './json-reader';
import {
  isGroupJid,
  isUserJid,
  normalizeJid,
  parseSerializedId,
  participantFrom,
  readMessageId,
  STATUS_BROADCAST,
  waMessageIdOf,
} from './waha-ids';
import { isProtocolContent, rawAttribution, rawContent, rawMessageType, rawReplyToId, rawVcards } from './waha-raw-message';

export type Mapped<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Envelope fields a message mapping needs: the session's own account and the event's time (ms). */
export interface EnvelopeContext {
  me?: JsonObject;
  eventTimestampMs?: number;
}

/** A WAHA `message` / `message.any` payload (any engine) as an engine-independent message. */
export function mapWahaMessage(payload: JsonObject, envelope: EnvelopeContext): Mapped<InboundMessage> | { ok: 'skip'; reason: string } {
  const data = obj(payload._data);
  const content = rawContent(data);
  if (isProtocolContent(content)) return { ok: 'skip', reason: 'a reaction or protocol message carried in a message event' };

  const externalId = readMessageId(payload.id) ?? readMessageId(data?.key) ?? rawGowsId(data);
  if (!externalId) return { ok: false, reason: 'payload.id is missing' };
  const serialized = parseSerializedId(externalId);
  const fromMe = bool(payload.fromMe) ?? serialized?.fromMe ?? bool(path(data, 'key', 'fromMe')) ?? bool(path(data, 'Info', 'IsFromMe'));
  if (fromMe === undefined) return { ok: false, reason: 'payload.fromMe is missing and the id does not say it' };
  const chatExternalId = chatOf(payload, data, fromMe, serialized?.chatId);
  if (!chatExternalId) return { ok: false, reason: 'no chat id in payload.from, payload.to or the message id' };
  const sentAt = sentAtOf(payload, data, envelope.eventTimestampMs);
  if (!sentAt) return { ok: false, reason: 'payload.timestamp is missing or not a number' };

  const isStatusBroadcast = chatExternalId === STATUS_BROADCAST;
  const isGroup = isGroupJid(chatExternalId);
  // a chat with one person; groups, Status, broadcast lists and channels have no single counterpart
  const direct = isUserJid(chatExternalId);
  const pushName = fromMe ? undefined : firstStr(path(data, 'Info', 'PushName'), data?.pushName, data?.notifyName);
  const author = fromMe ? ownAccount(envelope.me) : authorOf(payload, data, serialized?.participant, direct, chatExternalId, pushName);
  const source = str(payload.source);

  return {
    ok: true,
    value: {
      kind: 'message',
      externalId,
      waMessageId: waMessageIdOf(externalId),
      chatExternalId,
      isGroup,
      isStatusBroadcast,
      sender: author,
      ...(direct ? { counterpart: fromMe ? participantFrom(chatExternalId, directAlt(data, true)) : author } : {}),
      fromMe,
      direction: fromMe ? 'outbound' : 'inbound',
      ...(source === 'api' || source === 'app' ? { source } : {}),
      ...contentOf(payload, data, content),
      sentAt,
    },
  };
}

type Content = Pick<
  InboundMessage,
  'type' | 'text' | 'hasMedia' | 'media' | 'location' | 'contacts' | 'replyToExternalId' | 'replyToWaMessageId' | 'attribution'
>;

/** What the message says, read from WAHA's fields first and the engine's raw message second. */
function contentOf(payload: JsonObject, data: JsonObject | undefined, content: JsonObject | undefined): Content {
  const { type, text } = typeAndText(payload, data, content);
  const media = mediaOf(payload);
  const location = locationOf(payload, data, content);
  const contacts = contactsOf(payload, data, content);
  const replyTo = firstStr(readMessageId(path(payload, 'replyTo', 'id')), rawReplyToId(data, content));
  const attribution = rawAttribution(data, content);
  return {
    type,
    text,
    hasMedia: bool(payload.hasMedia) ?? media !== undefined,
    ...(media ? { media } : {}),
    ...(location ? { location } : {}),
    ...(contacts.length > 0 ? { contacts } : {}),
    ...(replyTo ? { replyToExternalId: replyTo, replyToWaMessageId: waMessageIdOf(replyTo) } : {}),
    ...(attribution ? { attribution } : {}),
  };
}

function rawGowsId(data: JsonObject | undefined): string | undefined {
  return str(path(data, 'Info', 'ID'));
}

/**
 * The chat: the id's own chat part is the same in every engine; then the raw data; last `from`/`to`, whose meaning
 * differs (WEBJS puts the sender in `from` and the chat in `to` for our own messages; NOWEB and GOWS always put
 * the chat in `from`).
 */
function chatOf(payload: JsonObject, data: JsonObject | undefined, fromMe: boolean, fromId?: string): string | undefined {
  return (
    fromId ??
    normalizeJid(path(data, 'Info', 'Chat')) ??
    normalizeJid(path(data, 'key', 'remoteJid')) ??
    normalizeJid(path(data, 'id', 'remote')) ??
    normalizeJid(path(data, 'id', 'remote', '_serialized')) ??
    (fromMe ? (normalizeJid(payload.to) ?? normalizeJid(payload.from)) : normalizeJid(payload.from))
  );
}

/** The author of someone else's message: the member in a group or Status, else the chat's other person. */
function authorOf(
  payload: JsonObject,
  data: JsonObject | undefined,
  idParticipant: string | undefined,
  direct: boolean,
  chat: string,
  pushName: string | undefined,
): ChannelParticipant {
  if (direct) return participantFrom(chat, directAlt(data, false), pushName);
  const member = firstStr(
    normalizeJid(payload.participant),
    normalizeJid(payload.author),
    idParticipant,
    normalizeJid(path(data, 'key', 'participant')),
    normalizeJid(path(data, 'Info', 'Sender')),
    normalizeJid(data?.author),
  );
  const alt = firstStr(path(data, 'key', 'participantAlt'), path(data, 'Info', 'SenderAlt'));
  return participantFrom(member, alt, pushName);
}

/** The other form (LID or phone) of a direct chat's counterpart, when the engine sends it. */
function directAlt(data: JsonObject | undefined, fromMe: boolean): string | undefined {
  const gowsAlt = path(data, 'Info', fromMe ? 'RecipientAlt' : 'SenderAlt');
  return firstStr(path(data, 'key', 'remoteJidAlt'), path(data, 'key', 'senderPn'), path(data, 'key', 'senderLid'), gowsAlt);
}

function ownAccount(me: JsonObject | undefined): ChannelParticipant {
  return participantFrom(me?.id, me?.lid, str(me?.pushName));
}

/** Timestamps are Unix seconds (fractional allowed); a value in milliseconds is recognised by its size. */
function sentAtOf(payload: JsonObject, data: JsonObject | undefined, fallbackMs?: number): Date | undefined {
  const seconds = num(payload.timestamp) ?? num(data?.messageTimestamp) ?? num(data?.t);
  if (seconds !== undefined && seconds > 0) return new Date(seconds > 1e11 ? seconds : seconds * 1000);
  const iso = str(path(data, 'Info', 'Timestamp'));
  const parsed = iso ? Date.parse(iso) : NaN;
  if (!Number.isNaN(parsed) && parsed > 0) return new Date(parsed);
  return fallbackMs !== undefined && fallbackMs > 0 ? new Date(fallbackMs) : undefined;
}

function typeAndText(
  payload: JsonObject,
  data: JsonObject | undefined,
  content: JsonObject | undefined,
): { type: MessageType; text: string | null } {
  const rawText = firstStr(
    payload.body,
    field(content, 'conversation'),
    path(content, 'extendedTextMessage', 'text'),
    ...['imageMessage', 'videoMessage', 'documentMessage'].map((k) => path(content, k, 'caption')),
  );
  const type = rawMessageType(data, content) ?? typeFromPayload(payload, rawText);
  return { type, text: rawText === undefined || isNotText(type, rawText) ? null : rawText };
}

/** WEBJS puts the vCard itself in a contact card's body, and a base64 thumbnail in a location's. */
function isNotText(type: MessageType, text: string): boolean {
  if (type === 'contact_card') return text.startsWith('BEGIN:VCARD');
  return (type === 'location' || type === 'sticker') && /^[A-Za-z0-9+/=]{200,}$/.test(text);
}

function typeFromPayload(payload: JsonObject, text: string | undefined): MessageType {
  if (obj(payload.location)) return 'location';
  if (Array.isArray(payload.vCards) && payload.vCards.length > 0) return 'contact_card';
  const mimetype = str(path(payload, 'media', 'mimetype'))?.toLowerCase();
  if (mimetype?.startsWith('image/')) return 'image';
  if (mimetype?.startsWith('video/')) return 'video';
  if (mimetype?.startsWith('audio/')) return 'audio';
  if (mimetype) return 'document';
  return text !== undefined ? 'text' : 'unknown';
}

function mediaOf(payload: JsonObject): MediaRef | undefined {
  const media = obj(payload.media);
  const url = str(media?.url);
  if (!url) return undefined;
  const filename = str(media?.filename);
  return { url, mimetype: str(media?.mimetype) ?? 'application/octet-stream', ...(filename ? { filename } : {}) };
}

function locationOf(payload: JsonObject, data: JsonObject | undefined, content: JsonObject | undefined): GeoLocation | undefined {
  const given = obj(payload.location);
  const raw = obj(field(content, 'locationMessage')) ?? obj(field(content, 'liveLocationMessage'));
  const latitude = num(given?.latitude) ?? num(field(raw, 'degreesLatitude')) ?? num(data?.lat);
  const longitude = num(given?.longitude) ?? num(field(raw, 'degreesLongitude')) ?? num(data?.lng);
  if (latitude === undefined || longitude === undefined || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return undefined;
  const name = firstStr(given?.name, field(raw, 'name'), given?.description);
  const address = firstStr(given?.address, field(raw, 'address'));
  return { latitude, longitude, ...(name ? { name } : {}), ...(address ? { address } : {}) };
}

function contactsOf(payload: JsonObject, data: JsonObject | undefined, content: JsonObject | undefined): string[] {
  const given = Array.isArray(payload.vCards) ? payload.vCards.filter((v): v is string => typeof v === 'string' && v !== '') : [];
  return given.length > 0 ? given : rawVcards(data, content);
}
