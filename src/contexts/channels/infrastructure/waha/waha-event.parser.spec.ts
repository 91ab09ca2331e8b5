import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ChannelEvent } from '../../domain/channel-event';
import { parseWahaEvent } from './waha-event.parser';

/** The shared fixtures live beside the repository (`../shared`), in CI as in the worktrees. */
function fixturesDir(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return path.resolve(dir, '../shared/fixtures/waha');
}

const fixture = (name: string): unknown => JSON.parse(readFileSync(path.join(fixturesDir(), name), 'utf8'));

const FIXTURES: Record<string, { session: string; eventId?: string; engine?: string; event: ChannelEvent }> = {
  'message-text.json': {
    session: 'ask-dermato-imersao',
    eventId: 'evt_01k5vejyxtvtrn6vkwh10317pc',
    engine: 'GOWS',
    event: {
      kind: 'message',
      externalId: '3A3CE2C5C341306326CF',
      waMessageId: '3A3CE2C5C341306326CF',
      chatExternalId: '554400000004@c.us',
      isGroup: false,
      isStatusBroadcast: false,
      sender: { id: '554400000004@c.us', phone: '+554400000004', lid: '10000000000004@lid', pushName: 'Cliente Teste C' },
      counterpart: { id: '554400000004@c.us', phone: '+554400000004', lid: '10000000000004@lid', pushName: 'Cliente Teste C' },
      fromMe: false,
      direction: 'inbound',
      source: 'app',
      type: 'text',
      text: 'No momento não vou poder',
      hasMedia: false,
      sentAt: new Date(1758636637 * 1000),
    },
  },
  'message-fromme.json': {
    session: 'default',
    engine: 'WEBJS',
    event: {
      kind: 'message',
      externalId: 'true_11111111111@c.us_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      waMessageId: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      chatExternalId: '11111111111@c.us',
      isGroup: false,
      isStatusBroadcast: false,
      sender: {},
      counterpart: { id: '11111111111@c.us', phone: '+11111111111' },
      fromMe: true,
      direction: 'outbound',
      source: 'app',
      type: 'text',
      text: 'Hi there!',
      hasMedia: false,
      sentAt: new Date(1667561485 * 1000),
    },
  },
  'message-image-docs.json': {
    session: 'default',
    event: {
      kind: 'message',
      externalId: 'true_11111111111@c.us_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      waMessageId: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      chatExternalId: '11111111111@c.us',
      isGroup: false,
      isStatusBroadcast: false,
      sender: {},
      counterpart: { id: '11111111111@c.us', phone: '+11111111111' },
      fromMe: true,
      direction: 'outbound',
      type: 'image',
      text: 'Check this out (caption for the media)!',
      hasMedia: true,
      media: {
        url: 'http://localhost:3000/api/files/true_11111111111@c.us_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.jpg',
        mimetype: 'image/jpeg',
      },
      sentAt: new Date(1667561485 * 1000),
    },
  },
  'message-document.json': {
    session: 'default',
    event: {
      kind: 'message',
      externalId: 'true_11111111111@c.us_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      waMessageId: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      chatExternalId: '11111111111@c.us',
      isGroup: false,
      isStatusBroadcast: false,
      sender: {},
      counterpart: { id: '11111111111@c.us', phone: '+11111111111' },
      fromMe: true,
      direction: 'outbound',
      type: 'document',
      text: null,
      hasMedia: true,
      media: {
        url: 'http://localhost:3000/api/files/true_11111111111@c.us_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.pdf',
        mimetype: 'application/pdf',
        filename: 'some-file.pdf',
      },
      sentAt: new Date(1667561485 * 1000),
    },
  },
  'message-reply.json': {
    session: 'default',
    event: {
      kind: 'message',
      externalId: 'true_11111111111@c.us_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      waMessageId: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      chatExternalId: '11111111111@c.us',
      isGroup: false,
      isStatusBroadcast: false,
      sender: {},
      counterpart: { id: '11111111111@c.us', phone: '+11111111111' },
      fromMe: true,
      direction: 'outbound',
      type: 'text',
      text: 'Yes!',
      hasMedia: false,
      replyToExternalId: 'false_22222222@c.us_AAAAAAAAAAAAAAAAAAA',
      replyToWaMessageId: 'AAAAAAAAAAAAAAAAAAA',
      sentAt: new Date(1667561485 * 1000),
    },
  },
  'message-ack.json': {
    session: 'default',
    engine: 'WEBJS',
    event: {
      kind: 'ack',
      externalId: 'true_11111111111@c.us_4CC5EDD64BC22EBA6D639F2AF571346C',
      waMessageId: '4CC5EDD64BC22EBA6D639F2AF571346C',
      chatExternalId: '11111111111@c.us',
      fromMe: true,
      status: 'read',
    },
  },
  'message-reaction.json': {
    session: 'default',
    engine: 'WEBJS',
    event: {
      kind: 'reaction',
      externalId: 'true_79111111@c.us_11111111111111111111111111111111',
      waMessageId: '11111111111111111111111111111111',
      chatExternalId: '79111111@c.us',
      emoji: '🙏',
      // 79111111 is too short for a Russian number, so no phone is derived from it
      from: { id: '79111111@c.us' },
      fromMe: false,
      at: new Date(1710481111853),
    },
  },
  'session-status.json': {
    session: 'default',
    engine: 'WEBJS',
    event: { kind: 'session_status', session: 'default', status: 'active', providerStatus: 'WORKING' },
  },
};

describe('parseWahaEvent on the shared fixtures', () => {
  it('has an expectation for every fixture file (a new fixture must be added here)', () => {
    const files = readdirSync(fixturesDir()).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(Object.keys(FIXTURES).sort());
  });

  it.each(Object.keys(FIXTURES))('%s', (file) => {
    const { event, ...envelope } = FIXTURES[file];
    expect(parseWahaEvent(fixture(file))).toEqual({ ok: true, ...envelope, event });
  });

  it('reads message.any exactly like message', () => {
    const body = fixture('message-text.json') as Record<string, unknown>;
    expect(parseWahaEvent({ ...body, event: 'message.any' })).toEqual(parseWahaEvent(body));
  });
});

describe('parseWahaEvent on bodies it cannot use', () => {
  const message = (payload: unknown) => ({ event: 'message', session: 'default', id: 'evt_1', payload });

  it.each([
    ['a string', 'hello', 'the body is not a JSON object'],
    ['null', null, 'the body is not a JSON object'],
    ['an array', [], 'the body is not a JSON object'],
    ['no event', { session: 'default', payload: {} }, 'event is missing'],
    ['no session', { event: 'message', payload: {} }, 'session is missing'],
    ['a payload that is not an object', message('x'), 'payload is missing or not an object'],
    ['a message without id', message({ from: '5511987654321@c.us', fromMe: false, timestamp: 1 }), 'payload.id is missing'],
    [
      'a message without chat',
      message({ id: 'ABC', fromMe: false, timestamp: 1 }),
      'no chat id in payload.from, payload.to or the message id',
    ],
    [
      'a message without fromMe',
      message({ id: 'ABC', from: '5511987654321@c.us', timestamp: 1 }),
      'payload.fromMe is missing and the id does not say it',
    ],
    ['a message without time', message({ id: 'false_5511987654321@c.us_ABC', body: 'x' }), 'payload.timestamp is missing or not a number'],
    ['an ack with an unknown value', { event: 'message.ack', session: 's', payload: { id: 'false_1@c.us_A', ack: 7 } }, 'unknown ack 7'],
    [
      'a reaction without target',
      { event: 'message.reaction', session: 's', payload: { reaction: { text: '👍' } } },
      'payload.reaction.messageId is missing',
    ],
    [
      'an edit without text',
      { event: 'message.edited', session: 's', payload: { id: 'false_1@c.us_A', editedMessageId: 'B' } },
      'payload.body (the new text) is missing',
    ],
    [
      'a revoke without ids',
      { event: 'message.revoked', session: 's', payload: { before: null } },
      'payload.revokedMessageId is missing and before/after carry no id',
    ],
    [
      'an unknown session status',
      { event: 'session.status', session: 's', payload: { status: 'EXPLODED' } },
      'unknown session status "EXPLODED"',
    ],
  ])('%s gives a reason, not an exception', (_name, body, reason) => {
    expect(parseWahaEvent(body)).toMatchObject({ ok: false, reason });
  });

  it('keeps what it could read of the envelope next to the reason', () => {
    expect(parseWahaEvent(message({ from: 'x' }))).toEqual({
      ok: false,
      session: 'default',
      eventId: 'evt_1',
      wahaEvent: 'message',
      reason: 'payload.id is missing',
    });
  });

  it('answers events it does not handle as unknown', () => {
    for (const event of ['label.upsert', 'call.received', 'group.v2.join', 'presence.update', 'poll.vote', 'engine.event']) {
      expect(parseWahaEvent({ event, session: 'default', payload: { anything: true } })).toEqual({
        ok: true,
        session: 'default',
        event: { kind: 'unknown', event },
      });
    }
  });

  it('reads any shape of field without an internal error', () => {
    const junk: unknown[] = [null, 0, -1, 1e20, '', ' ', 'x_y_z', [], [null], {}, { _serialized: 5 }, { low: 'a' }, true, NaN];
    const events = [
      'message',
      'message.any',
      'message.ack',
      'message.ack.group',
      'message.reaction',
      'message.revoked',
      'message.edited',
      'session.status',
    ];
    const fields = [
      'id',
      'from',
      'to',
      'fromMe',
      'timestamp',
      'participant',
      'body',
      'media',
      'location',
      'vCards',
      'replyTo',
      '_data',
      'reaction',
      'ack',
      'after',
      'before',
      'status',
    ];
    for (const event of events)
      for (const value of junk) {
        const payload = Object.fromEntries(fields.map((f) => [f, value]));
        const nested = {
          ...payload,
          _data: { key: value, message: { audioMessage: value, extendedTextMessage: { contextInfo: value } }, Info: value },
        };
        for (const p of [payload, nested]) {
          const result = parseWahaEvent({ event, session: 's', payload: p, me: value });
          // parseWahaEvent catches a mapper's exception as "unreadable payload"; none should get that far
          expect(result.ok ? 'parsed' : result.reason).not.toMatch(/^unreadable payload/);
        }
      }
  });
});
