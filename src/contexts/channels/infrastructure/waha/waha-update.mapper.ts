import { MessageAck, MessageEdited, MessageReaction, MessageRevoked, MessageStatus } from '../../domain/channel-event';
import { bool, firstStr, JsonObject, num, obj, str } from './json-reader';
import { EnvelopeContext, Mapped } from './waha-message.mapper';
import { normalizeJid, parseSerializedId, participantFrom, readMessageId, serializeMessageId, waMessageIdOf } from './waha-ids';

/** WAHA's `ack` numbers and `ackName`s (WAMessageAck: ERROR -1, PENDING 0, SERVER 1, DEVICE 2, READ 3, PLAYED 4). */
const ACK_BY_NUMBER: Record<string, MessageStatus> = {
  '-1': 'failed',
  '0': 'pending',
  '1': 'sent',
  '2': 'delivered',
  '3': 'read',
  '4': 'played',
};
const ACK_BY_NAME: Record<string, MessageStatus> = {
  ERROR: 'failed',
  PENDING: 'pending',
  SERVER: 'sent',
  DEVICE: 'delivered',
  READ: 'read',
  PLAYED: 'played',
};

/** `message.ack` and `message.ack.group`: in groups `participant` is the member whose device answered. */
export function mapWahaAck(payload: JsonObject): Mapped<MessageAck> {
  const externalId = readMessageId(payload.id);
  if (!externalId) return { ok: false, reason: 'payload.id is missing' };
  const ack = num(payload.ack);
  const status = (ack !== undefined ? ACK_BY_NUMBER[String(ack)] : undefined) ?? ACK_BY_NAME[str(payload.ackName)?.toUpperCase() ?? ''];
  if (!status) return { ok: false, reason: `unknown ack ${JSON.stringify(payload.ack ?? payload.ackName ?? null)}` };
  const serialized = parseSerializedId(externalId);
  const chat = serialized?.chatId ?? normalizeJid(payload.from);
  const participant = normalizeJid(payload.participant) ?? (serialized?.participant ? normalizeJid(serialized.participant) : undefined);
  const fromMe = bool(payload.fromMe) ?? serialized?.fromMe;
  return {
    ok: true,
    value: {
      kind: 'ack',
      externalId,
      waMessageId: waMessageIdOf(externalId),
      ...(chat ? { chatExternalId: chat } : {}),
      ...(participant ? { participant } : {}),
      ...(fromMe !== undefined ? { fromMe } : {}),
      status,
    },
  };
}

/** `message.reaction`: `reaction.messageId` is the reacted-to message, `reaction.text` '' removes the reaction. */
export function mapWahaReaction(payload: JsonObject, envelope: EnvelopeContext): Mapped<MessageReaction> {
  const reaction = obj(payload.reaction);
  if (!reaction) return { ok: false, reason: 'payload.reaction is missing' };
  const target = readMessageId(reaction.messageId);
  if (!target) return { ok: false, reason: 'payload.reaction.messageId is missing' };
  if (typeof reaction.text !== 'string') return { ok: false, reason: 'payload.reaction.text is missing' };
  const fromMe = bool(payload.fromMe) ?? parseSerializedId(readMessageId(payload.id) ?? '')?.fromMe ?? false;
  const chat = parseSerializedId(target)?.chatId ?? normalizeJid(payload.from);
  const at = toDate(num(payload.timestamp)) ?? toDate(envelope.eventTimestampMs);
  if (!at) return { ok: false, reason: 'payload.timestamp is missing' };
  return {
    ok: true,
    value: {
      kind: 'reaction',
      externalId: target,
      waMessageId: waMessageIdOf(target),
      ...(chat ? { chatExternalId: chat } : {}),
      emoji: reaction.text,
      from: fromMe
        ? participantFrom(envelope.me?.id, envelope.me?.lid, str(envelope.me?.pushName))
        : participantFrom(firstStr(payload.participant, payload.from)),
      fromMe,
      at,
    },
  };
}

/**
 * `message.revoked`: `revokedMessageId` is the bare id of the deleted message; `after.id` is the id of the revoke
 * itself (the same id in WEBJS). Older WEBJS builds send only `before`/`after`, with the revoked message's full id.
 */
export function mapWahaRevoked(payload: JsonObject): Mapped<MessageRevoked> {
  const after = obj(payload.after);
  const before = obj(payload.before);
  const actionId = readMessageId(after?.id);
  const fullId = readMessageId(before?.id) ?? (payload.revokedMessageId === undefined ? actionId : undefined);
  const bare = firstStr(payload.revokedMessageId) ?? (fullId ? waMessageIdOf(fullId) : undefined);
  if (!bare) return { ok: false, reason: 'payload.revokedMessageId is missing and before/after carry no id' };
  const action = parseSerializedId(actionId ?? fullId ?? '');
  const chat = action?.chatId ?? normalizeJid(after?.from) ?? normalizeJid(before?.from);
  // In a direct chat only the author can revoke for everyone; in a group an admin can, so the author is unknown
  const composed = action && !action.participant ? serializeMessageId({ ...action, id: bare }) : undefined;
  const externalId = fullId && waMessageIdOf(fullId) === bare ? fullId : composed;
  const at = toDate(num(after?.timestamp));
  return {
    ok: true,
    value: {
      kind: 'revoked',
      ...(externalId ? { externalId } : {}),
      waMessageId: bare,
      ...(chat ? { chatExternalId: chat } : {}),
      ...(at ? { at } : {}),
    },
  };
}

/**
 * `message.edited`: a message-shaped payload whose `id` is the edit itself, `editedMessageId` the bare id of the
 * edited message and `body` its new text. Only the author edits, so the edited message's full id has the edit's
 * fromMe, chat and participant.
 */
export function mapWahaEdited(payload: JsonObject): Mapped<MessageEdited> {
  const actionId = readMessageId(payload.id);
  const action = parseSerializedId(actionId ?? '');
  // WEBJS reports the edit under the edited message's own id
  const bare = firstStr(payload.editedMessageId) ?? action?.id;
  if (!bare) return { ok: false, reason: 'payload.editedMessageId is missing' };
  if (typeof payload.body !== 'string') return { ok: false, reason: 'payload.body (the new text) is missing' };
  const chat = action?.chatId ?? normalizeJid(payload.from);
  const at = toDate(num(payload.timestamp));
  return {
    ok: true,
    value: {
      kind: 'edited',
      ...(action ? { externalId: serializeMessageId({ ...action, id: bare }) } : {}),
      waMessageId: bare,
      ...(chat ? { chatExternalId: chat } : {}),
      newText: payload.body,
      ...(at ? { at } : {}),
    },
  };
}

/** Seconds (fractional allowed) or milliseconds, told apart by size. */
function toDate(value: number | undefined): Date | undefined {
  if (value === undefined || value <= 0) return undefined;
  return new Date(value > 1e11 ? value : value * 1000);
}
