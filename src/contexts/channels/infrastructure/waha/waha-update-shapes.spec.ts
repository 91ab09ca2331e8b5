import { ChannelEvent } from '../../domain/channel-event';
import { parseWahaEvent } from './waha-event.parser';

/**
 * Payloads written after WAHA's documentation (waha-docs: how-to/events, receive-messages, openapi.json 2026.7.1)
 * and its engine sources (session.gows.core.ts, session.noweb.core.ts, session.webjs.core.ts): the `_data` of each
 * engine has its own shape, and the parser must read all of them.
 */

function eventOf(event: string, payload: unknown, engine = 'NOWEB', extra: Record<string, unknown> = {}): ChannelEvent {
  const result = parseWahaEvent({ event, session: 'default', engine, payload, ...extra });
  if (!result.ok) throw new Error(`expected a parsed event, got: ${result.reason}`);
  return result.event;
}

const T = 1700000000;
const MARIA = '5511987654321@c.us';

describe('acks, reactions, edits and revokes', () => {
  it('maps every ack number, and ackName when ack is missing', () => {
    const statuses = [-1, 0, 1, 2, 3, 4].map((ack) => eventOf('message.ack', { id: `true_${MARIA}_A1`, from: MARIA, fromMe: true, ack }));
    expect(statuses.map((e) => e.kind === 'ack' && e.status)).toEqual(['failed', 'pending', 'sent', 'delivered', 'read', 'played']);
    expect(eventOf('message.ack', { id: `true_${MARIA}_A1`, ackName: 'ERROR' })).toMatchObject({ status: 'failed' });
  });

  it('reads a per-member group ack (message.ack.group)', () => {
    const event = eventOf(
      'message.ack.group',
      {
        id: 'true_11111111111@g.us_4CC5EDD64BC22EBA_9999@lid',
        from: '11111111111@g.us',
        participant: '9999@lid',
        fromMe: true,
        ack: 3,
        ackName: 'READ',
      },
      'GOWS',
    );
    expect(event).toEqual({
      kind: 'ack',
      externalId: 'true_11111111111@g.us_4CC5EDD64BC22EBA_9999@lid',
      waMessageId: '4CC5EDD64BC22EBA',
      chatExternalId: '11111111111@g.us',
      participant: '9999@lid',
      fromMe: true,
      status: 'read',
    });
  });

  it('reads a removed reaction as an empty emoji', () => {
    const event = eventOf(
      'message.reaction',
      {
        id: `false_${MARIA}_RX`,
        from: MARIA,
        fromMe: false,
        participant: null,
        timestamp: T,
        reaction: { text: '', messageId: `true_${MARIA}_TARGET` },
      },
      'GOWS',
    );
    expect(event).toMatchObject({
      kind: 'reaction',
      externalId: `true_${MARIA}_TARGET`,
      waMessageId: 'TARGET',
      emoji: '',
      from: { id: MARIA },
    });
  });

  it('reads an edit: the edited message id rebuilt from the edit id, and the new body', () => {
    const event = eventOf(
      'message.edited',
      { id: `false_${MARIA}_EDITACTION`, timestamp: T, from: MARIA, fromMe: false, body: 'New body', editedMessageId: 'ORIGINAL' },
      'GOWS',
    );
    expect(event).toEqual({
      kind: 'edited',
      externalId: `false_${MARIA}_ORIGINAL`,
      waMessageId: 'ORIGINAL',
      chatExternalId: MARIA,
      newText: 'New body',
      at: new Date(T * 1000),
    });
  });

  it('reads a revoke in a direct chat (full id rebuilt) and in a group (bare id only, an admin may have revoked)', () => {
    const direct = eventOf('message.revoked', {
      after: { id: `false_${MARIA}_REVOKEACTION`, from: MARIA, timestamp: T },
      revokedMessageId: 'ORIGINAL',
      before: null,
    });
    expect(direct).toEqual({
      kind: 'revoked',
      externalId: `false_${MARIA}_ORIGINAL`,
      waMessageId: 'ORIGINAL',
      chatExternalId: MARIA,
      at: new Date(T * 1000),
    });
    const group = eventOf('message.revoked', { after: { id: `false_120363@g.us_REV_${MARIA}` }, revokedMessageId: 'GORIG', before: null });
    expect(group).toEqual({ kind: 'revoked', waMessageId: 'GORIG', chatExternalId: '120363@g.us' });
  });

  it('reads an older WEBJS revoke whose after carries the revoked message itself', () => {
    const event = eventOf(
      'message.revoked',
      { after: { id: `false_${MARIA}_WEBJSREV`, from: MARIA, timestamp: T, body: '' }, before: null },
      'WEBJS',
    );
    expect(event).toMatchObject({ kind: 'revoked', externalId: `false_${MARIA}_WEBJSREV`, waMessageId: 'WEBJSREV' });
  });

  it('maps session statuses to channel statuses', () => {
    const statuses = ['STARTING', 'SCAN_QR_CODE', 'WORKING', 'STOPPED', 'FAILED'].map((status) =>
      eventOf('session.status', { name: 'default', status }),
    );
    expect(statuses.map((e) => e.kind === 'session_status' && e.status)).toEqual([
      'connecting',
      'qr_required',
      'active',
      'inactive',
      'error',
    ]);
  });
});
