import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { ChannelParticipant } from '../../domain/channel-event';
import { obj, str } from './json-reader';

export const STATUS_BROADCAST = 'status@broadcast';

/**
 * A chat or user id in the form WAHA accepts when sending: engines' raw data use `@s.whatsapp.net` and device
 * suffixes (`5511...:3@s.whatsapp.net`), WAHA's API uses `5511...@c.us`. Groups, LIDs, Status and channels keep
 * their suffix. Undefined for anything that is not an id.
 */
export function normalizeJid(value: unknown): string | undefined {
  const jid = str(value)?.trim();
  const at = jid?.lastIndexOf('@') ?? -1;
  if (!jid || at <= 0) return undefined;
  const user = jid.slice(0, at);
  const server = jid.slice(at + 1).toLowerCase();
  const bare = user.split(':')[0];
  if (server === 's.whatsapp.net' || server === 'c.us') return `${bare}@c.us`;
  if (server === 'lid') return `${bare}@lid`;
  return `${user}@${server}`;
}

export const isGroupJid = (jid: string | undefined): boolean => jid?.endsWith('@g.us') ?? false;
export const isLidJid = (jid: string | undefined): boolean => jid?.endsWith('@lid') ?? false;
/** A person's chat (phone number or hidden LID), as opposed to groups, Status, broadcast lists and channels. */
export const isUserJid = (jid: string | undefined): boolean => (jid?.endsWith('@c.us') ?? false) || isLidJid(jid);

/** The E.164 phone behind a user id; WhatsApp numbers are international digits, checked only for a plausible length. */
export function phoneFromJid(jid: string | undefined): string | undefined {
  if (!jid?.endsWith('@c.us')) return undefined;
  const digits = jid.slice(0, -'@c.us'.length);
  if (!/^\d{6,15}$/.test(digits)) return undefined;
  const phone = parsePhoneNumberFromString(`+${digits}`);
  return phone?.isPossible() ? phone.number : undefined;
}

/** A participant from its id plus, when the engine gives it, the other form of the same account (LID or phone). */
export function participantFrom(jidValue: unknown, altValue?: unknown, pushName?: string): ChannelParticipant {
  const participant: ChannelParticipant = {};
  for (const jid of [normalizeJid(jidValue), normalizeJid(altValue)]) {
    if (!jid) continue;
    participant.id ??= jid;
    if (isLidJid(jid)) participant.lid ??= jid;
    else participant.phone ??= phoneFromJid(jid);
  }
  if (participant.phone === undefined) delete participant.phone;
  if (pushName) participant.pushName = pushName;
  return participant;
}

export interface SerializedMessageId {
  fromMe: boolean;
  chatId: string;
  id: string;
  participant?: string;
}

const SERIALIZED = /^(true|false)_([^_]+@[^_]+)_([^_]+)(?:_([^_]+@[^_]+))?$/;

/** Splits WAHA's `{fromMe}_{chatId}_{messageId}[_{participant}]`; undefined for a bare id. */
export function parseSerializedId(value: string): SerializedMessageId | undefined {
  const match = SERIALIZED.exec(value);
  if (!match) return undefined;
  const [, fromMe, chatId, id, participant] = match;
  return { fromMe: fromMe === 'true', chatId: normalizeJid(chatId) ?? chatId, id, ...(participant ? { participant } : {}) };
}

/** The bare WhatsApp message id inside a serialized or bare id. */
export function waMessageIdOf(externalId: string): string {
  return parseSerializedId(externalId)?.id ?? externalId;
}

export function serializeMessageId(key: { fromMe: boolean; chatId: string; id: string; participant?: string }): string {
  const base = `${key.fromMe}_${key.chatId}_${key.id}`;
  return key.participant ? `${base}_${key.participant}` : base;
}

/**
 * A message id whatever its shape: a string (WAHA's own form), an object with `_serialized` (whatsapp-web.js ids
 * leaking through WEBJS), or a `{ fromMe, remote, id }` / Baileys `{ fromMe, remoteJid, id, participant }` key.
 */
export function readMessageId(value: unknown): string | undefined {
  const asString = str(value);
  if (asString) return asString.trim();
  const o = obj(value);
  if (!o) return undefined;
  const serialized = str(o._serialized);
  if (serialized) return serialized;
  const id = str(o.id) ?? str(o.ID);
  const chatId = normalizeJid(o.remote ?? o.remoteJid ?? o.remoteJID) ?? normalizeJid(obj(o.remote)?._serialized);
  if (!id) return undefined;
  if (!chatId) return id;
  const participant = normalizeJid(o.participant);
  return serializeMessageId({ fromMe: o.fromMe === true, chatId, id, ...(participant ? { participant } : {}) });
}
