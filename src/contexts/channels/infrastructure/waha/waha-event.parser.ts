import { ChannelEvent, ChannelStatus, SessionStatus } from '../../domain/channel-event';
import { JsonObject, num, obj, str } from './json-reader';
import { EnvelopeContext, Mapped, mapWahaMessage } from './waha-message.mapper';
import { mapWahaAck, mapWahaEdited, mapWahaReaction, mapWahaRevoked } from './waha-update.mapper';

/** A parsed webhook: the event, or why the body could not be read (the caller records it and still answers 2xx). */
export type WahaParseResult =
  | { ok: true; session: string; eventId?: string; engine?: string; event: ChannelEvent }
  | { ok: false; session?: string; eventId?: string; wahaEvent?: string; reason: string };

/** WAHA session statuses as channel statuses; the passkey steps are part of logging in, like the QR code. */
const SESSION_STATUS: Record<string, ChannelStatus> = {
  STARTING: 'connecting',
  SCAN_QR_CODE: 'qr_required',
  PASSKEY_REQUIRED: 'qr_required',
  PASSKEY_CONFIRMATION_REQUIRED: 'qr_required',
  WORKING: 'active',
  STOPPED: 'inactive',
  FAILED: 'error',
};

/**
 * Reads one WAHA webhook body (WEBJS, NOWEB, GOWS or WPP engine) into an engine-independent event. Total: it never
 * throws; a body it cannot use gives `ok: false` with the reason, an event it does not handle gives kind `unknown`.
 * `message` and `message.any` give the same event (a consumer that subscribes to both dedupes by externalId).
 */
export function parseWahaEvent(body: unknown): WahaParseResult {
  try {
    return parse(body);
  } catch (error) {
    // a defect in a mapper must not turn a webhook into a 500 and a retry storm
    return { ok: false, reason: `unreadable payload: ${(error as Error).message}` };
  }
}

function parse(body: unknown): WahaParseResult {
  const envelope = obj(body);
  if (!envelope) return { ok: false, reason: 'the body is not a JSON object' };
  const eventId = str(envelope.id);
  const wahaEvent = str(envelope.event);
  const session = str(envelope.session);
  const meta = { ...(session ? { session } : {}), ...(eventId ? { eventId } : {}), ...(wahaEvent ? { wahaEvent } : {}) };
  if (!wahaEvent) return { ok: false, ...meta, reason: 'event is missing' };
  if (!session) return { ok: false, ...meta, reason: 'session is missing' };
  const payload = obj(envelope.payload);
  const context: EnvelopeContext = { me: obj(envelope.me), eventTimestampMs: num(envelope.timestamp) };
  const engine = str(envelope.engine) ?? str(obj(envelope.environment)?.engine);
  const done = (mapped: Mapped<ChannelEvent> | { ok: 'skip'; reason: string }): WahaParseResult => {
    if (mapped.ok === 'skip') return ok({ kind: 'unknown', event: wahaEvent, reason: mapped.reason });
    return mapped.ok ? ok(mapped.value) : { ok: false, ...meta, reason: mapped.reason };
  };
  const ok = (event: ChannelEvent): WahaParseResult => ({
    ok: true,
    session,
    ...(eventId ? { eventId } : {}),
    ...(engine ? { engine } : {}),
    event,
  });

  if (wahaEvent === 'session.status') return done(mapSessionStatus(session, payload));
  const mapper = mapperFor(wahaEvent, context);
  if (!mapper) return ok({ kind: 'unknown', event: wahaEvent });
  if (!payload) return { ok: false, ...meta, reason: 'payload is missing or not an object' };
  return done(mapper(payload));
}

type Mapper = (payload: JsonObject) => Mapped<ChannelEvent> | { ok: 'skip'; reason: string };

function mapperFor(wahaEvent: string, context: EnvelopeContext): Mapper | undefined {
  switch (wahaEvent) {
    case 'message':
    case 'message.any':
      return (payload) => mapWahaMessage(payload, context);
    case 'message.ack':
    case 'message.ack.group':
      return mapWahaAck;
    case 'message.reaction':
      return (payload) => mapWahaReaction(payload, context);
    case 'message.revoked':
      return mapWahaRevoked;
    case 'message.edited':
      return mapWahaEdited;
    default:
      return undefined;
  }
}

function mapSessionStatus(session: string, payload: JsonObject | undefined): Mapped<SessionStatus> {
  const providerStatus = str(payload?.status);
  if (!providerStatus) return { ok: false, reason: 'payload.status is missing' };
  const status = SESSION_STATUS[providerStatus.toUpperCase()];
  if (!status) return { ok: false, reason: `unknown session status "${providerStatus}"` };
  return { ok: true, value: { kind: 'session_status', session, status, providerStatus } };
}
