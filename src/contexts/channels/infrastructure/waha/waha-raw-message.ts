import { AdAttribution, MessageType } from '../../domain/channel-event';
import { field, firstStr, JsonObject, obj, path, str } from './json-reader';

/**
 * Readers for the engine's raw message under `payload._data`, which WAHA passes through unchanged:
 * - NOWEB (Baileys): `{ key: { remoteJid, fromMe, id, participant, remoteJidAlt, participantAlt }, message: {...},
 *   messageTimestamp, pushName }`, proto fields in Baileys' camelCase (`sourceId`, `stanzaId`, `ptt`);
 * - GOWS (whatsmeow): `{ Info: { Chat, Sender, SenderAlt, IsFromMe, IsGroup, ID, PushName, Timestamp, MediaType },
 *   Message: {...} }`, proto fields in Go's spelling (`sourceID`, `stanzaID`, `PTT`);
 * - WEBJS (whatsapp-web.js): a flat model `{ id: { fromMe, remote, id, _serialized }, type: 'chat'|'ptt'|...,
 *   notifyName, author, t, lat, lng, vcardList, quotedStanzaID, ctwaContext }`.
 */

/** Protobuf wrappers that hold the real content one level down. */
const WRAPPERS = [
  'ephemeralMessage',
  'viewOnceMessage',
  'viewOnceMessageV2',
  'viewOnceMessageV2Extension',
  'documentWithCaptionMessage',
  'deviceSentMessage',
];

const CONTENT_TYPES: Record<string, MessageType> = {
  conversation: 'text',
  extendedTextMessage: 'text',
  imageMessage: 'image',
  videoMessage: 'video',
  ptvMessage: 'video',
  audioMessage: 'audio',
  documentMessage: 'document',
  stickerMessage: 'sticker',
  locationMessage: 'location',
  liveLocationMessage: 'location',
  contactMessage: 'contact_card',
  contactsArrayMessage: 'contact_card',
};

const WEBJS_TYPES: Record<string, MessageType> = {
  chat: 'text',
  image: 'image',
  video: 'video',
  audio: 'audio',
  ptt: 'voice',
  document: 'document',
  sticker: 'sticker',
  location: 'location',
  vcard: 'contact_card',
  multi_vcard: 'contact_card',
};

/** The NOWEB or GOWS protobuf message with its wrappers removed; undefined for WEBJS. */
export function rawContent(data: JsonObject | undefined): JsonObject | undefined {
  let content = obj(field(data, 'message'));
  for (let depth = 0; content && depth < 5; depth++) {
    const wrapper = WRAPPERS.map((w) => obj(path(content, w, 'message'))).find(Boolean);
    if (!wrapper) break;
    content = wrapper;
  }
  return content;
}

/** The first content field of the protobuf message that names a kind of message. */
export function rawContentKey(content: JsonObject | undefined): string | undefined {
  if (!content) return undefined;
  return Object.keys(content).find((key) => content[key] !== null && content[key] !== undefined && key in CONTENT_TYPES);
}

/** Reactions, edits, revokes and other protocol messages are not conversation content (they have their own events). */
export function isProtocolContent(content: JsonObject | undefined): boolean {
  const keys = ['reactionMessage', 'protocolMessage', 'editedMessage', 'pollUpdateMessage', 'encEventResponseMessage'];
  return keys.some((k) => field(content, k) != null);
}

export function rawMessageType(data: JsonObject | undefined, content: JsonObject | undefined): MessageType | undefined {
  const key = rawContentKey(content);
  if (key === 'audioMessage') return path(content, key, 'ptt') === true ? 'voice' : 'audio';
  if (key) return CONTENT_TYPES[key];
  const webjsType = str(data?.type);
  return webjsType ? WEBJS_TYPES[webjsType] : undefined;
}

/** The `contextInfo` of the message's content (replies, mentions, ad referrals live there). */
export function rawContextInfo(content: JsonObject | undefined): JsonObject | undefined {
  const key = rawContentKey(content);
  return key ? obj(path(content, key, 'contextInfo')) : undefined;
}

/** The quoted message id of a reply, from the engine's raw data. */
export function rawReplyToId(data: JsonObject | undefined, content: JsonObject | undefined): string | undefined {
  return firstStr(field(rawContextInfo(content), 'stanzaId'), data?.quotedStanzaID);
}

/**
 * Click-to-WhatsApp ad referral: NOWEB/GOWS carry it in `contextInfo.externalAdReply` (`sourceId`, `sourceUrl`,
 * `ctwaClid`, `sourceType: 'ad'`) next to `contextInfo.conversionSource`; WEBJS in `_data.ctwaContext`.
 */
export function rawAttribution(data: JsonObject | undefined, content: JsonObject | undefined): AdAttribution | undefined {
  const context = rawContextInfo(content);
  const ad = obj(field(context, 'externalAdReply')) ?? obj(data?.ctwaContext);
  if (!ad) return undefined;
  const adId = firstStr(field(ad, 'sourceId'));
  const ctwaClid = firstStr(field(ad, 'ctwaClid'));
  const isAd = adId !== undefined || ctwaClid !== undefined || str(field(ad, 'sourceType'))?.toLowerCase() === 'ad';
  if (!isAd) return undefined;
  const sourceUrl = firstStr(field(ad, 'sourceUrl'));
  const conversionSource = firstStr(field(context, 'conversionSource'), field(ad, 'conversionSource'));
  return {
    source: 'meta_ads',
    ...(adId ? { adId } : {}),
    ...(ctwaClid ? { ctwaClid } : {}),
    ...(sourceUrl ? { sourceUrl } : {}),
    ...(conversionSource ? { conversionSource } : {}),
  };
}

/** vCards from the raw message, when the payload's own `vCards` list is missing. */
export function rawVcards(data: JsonObject | undefined, content: JsonObject | undefined): string[] {
  const single = str(path(content, 'contactMessage', 'vcard'));
  const list = path(content, 'contactsArrayMessage', 'contacts') ?? data?.vcardList;
  const many = Array.isArray(list) ? list.map((c) => str(field(c, 'vcard'))) : [];
  return [single, ...many].filter((v): v is string => v !== undefined);
}
