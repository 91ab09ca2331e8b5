import { ChannelEvent, InboundMessage } from '../../domain/channel-event';
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

function messageOf(payload: unknown, engine = 'NOWEB', extra: Record<string, unknown> = {}): InboundMessage {
  const event = eventOf('message', payload, engine, extra);
  if (event.kind !== 'message') throw new Error(`expected a message, got ${event.kind}`);
  return event;
}

const T = 1700000000;
const MARIA = '5511987654321@c.us';

describe('messages of every engine', () => {
  it('reads a WEBJS group message: the chat is the group, the sender its participant', () => {
    const message = messageOf(
      {
        id: `false_120363041234567890@g.us_3EB0ABCDEF123456_${MARIA}`,
        timestamp: T,
        from: '120363041234567890@g.us',
        fromMe: false,
        to: '5511999999999@c.us',
        participant: MARIA,
        body: 'Olá grupo',
        hasMedia: false,
        _data: { type: 'chat', notifyName: 'Maria', author: MARIA, t: T },
      },
      'WEBJS',
    );
    expect(message).toMatchObject({
      externalId: `false_120363041234567890@g.us_3EB0ABCDEF123456_${MARIA}`,
      waMessageId: '3EB0ABCDEF123456',
      chatExternalId: '120363041234567890@g.us',
      isGroup: true,
      sender: { id: MARIA, phone: '+5511987654321', pushName: 'Maria' },
      type: 'text',
      text: 'Olá grupo',
    });
    expect(message.counterpart).toBeUndefined();
  });

  it('reads a GOWS group message with a bare id: chat and participant (with its device suffix) from _data.Info', () => {
    const message = messageOf(
      {
        id: '3A9F',
        timestamp: T,
        from: '120363041234567890@g.us',
        fromMe: false,
        body: 'oi',
        _data: {
          Info: {
            Chat: '120363041234567890@g.us',
            Sender: '5511987654321:12@s.whatsapp.net',
            SenderAlt: '88888@lid',
            IsGroup: true,
            PushName: 'Maria',
          },
          Message: { conversation: 'oi' },
        },
      },
      'GOWS',
    );
    expect(message).toMatchObject({ externalId: '3A9F', chatExternalId: '120363041234567890@g.us', isGroup: true });
    expect(message.sender).toEqual({ id: MARIA, phone: '+5511987654321', lid: '88888@lid', pushName: 'Maria' });
  });

  it('reads a NOWEB message from a hidden LID, with the phone from remoteJidAlt', () => {
    const message = messageOf({
      id: 'false_123456789012345@lid_3A1B2C3D4E5F',
      timestamp: T,
      from: '123456789012345@lid',
      fromMe: false,
      body: 'oi',
      _data: {
        key: { remoteJid: '123456789012345@lid', remoteJidAlt: '5511912345678@s.whatsapp.net', fromMe: false, id: '3A1B2C3D4E5F' },
        message: { conversation: 'oi' },
        pushName: 'João',
      },
    });
    const joao = { id: '123456789012345@lid', lid: '123456789012345@lid', phone: '+5511912345678', pushName: 'João' };
    expect(message).toMatchObject({ chatExternalId: '123456789012345@lid', sender: joao, counterpart: joao });
  });

  it.each([
    ['NOWEB', { message: { audioMessage: { ptt: true, mimetype: 'audio/ogg; codecs=opus', seconds: 4 } } }, 'voice'],
    ['GOWS', { Info: {}, Message: { audioMessage: { PTT: true, mimetype: 'audio/ogg; codecs=opus' } } }, 'voice'],
    ['WEBJS', { type: 'ptt' }, 'voice'],
    ['NOWEB', { message: { audioMessage: { ptt: false, mimetype: 'audio/mpeg' } } }, 'audio'],
  ])('reads %s push-to-talk and plain audio', (engine, data, type) => {
    const message = messageOf(
      {
        id: 'false_5511987654321@c.us_AUDIO1',
        timestamp: T,
        from: MARIA,
        fromMe: false,
        body: null,
        hasMedia: true,
        media: { url: 'http://waha/api/files/AUDIO1.oga', mimetype: 'audio/ogg; codecs=opus', filename: null },
        _data: data,
      },
      engine,
    );
    expect(message).toMatchObject({
      type,
      text: null,
      hasMedia: true,
      media: { url: 'http://waha/api/files/AUDIO1.oga', mimetype: 'audio/ogg; codecs=opus' },
    });
  });

  it('reads a sticker (GOWS stickerMessage)', () => {
    const message = messageOf(
      {
        id: 'false_5511987654321@c.us_STK1',
        timestamp: T,
        from: MARIA,
        fromMe: false,
        hasMedia: true,
        media: { url: 'http://waha/api/files/STK1.webp', mimetype: 'image/webp' },
        _data: {
          Info: { Chat: '5511987654321@s.whatsapp.net' },
          Message: { stickerMessage: { URL: 'https://mmg.whatsapp.net/x', mimetype: 'image/webp' } },
        },
      },
      'GOWS',
    );
    expect(message.type).toBe('sticker');
  });

  it('reads a WEBJS location, dropping the thumbnail WhatsApp Web puts in the body', () => {
    const message = messageOf(
      {
        id: 'false_5511987654321@c.us_LOC1',
        timestamp: T,
        from: MARIA,
        fromMe: false,
        body: '/9j/' + 'A'.repeat(400),
        location: { latitude: '-23.5613', longitude: '-46.6565', description: 'Av. Paulista, 1578' },
        _data: { type: 'location', lat: -23.5613, lng: -46.6565 },
      },
      'WEBJS',
    );
    expect(message).toMatchObject({
      type: 'location',
      text: null,
      location: { latitude: -23.5613, longitude: -46.6565, name: 'Av. Paulista, 1578' },
    });
  });

  it('reads a NOWEB locationMessage when the payload has no location', () => {
    const message = messageOf({
      id: 'false_5511987654321@c.us_LOC2',
      timestamp: T,
      from: MARIA,
      fromMe: false,
      _data: {
        message: { locationMessage: { degreesLatitude: 38.7223, degreesLongitude: -9.1393, name: 'Lisboa', address: 'Praça do Comércio' } },
      },
    });
    expect(message.location).toEqual({ latitude: 38.7223, longitude: -9.1393, name: 'Lisboa', address: 'Praça do Comércio' });
  });

  it('reads contact cards from vCards, and from the raw message when vCards is empty', () => {
    const vcard = 'BEGIN:VCARD\nVERSION:3.0\nFN:Ana\nTEL;type=CELL;waid=5511900000000:+55 11 90000-0000\nEND:VCARD';
    const webjs = messageOf(
      {
        id: 'false_5511987654321@c.us_VC1',
        timestamp: T,
        from: MARIA,
        fromMe: false,
        body: vcard,
        vCards: [vcard],
        _data: { type: 'vcard' },
      },
      'WEBJS',
    );
    expect(webjs).toMatchObject({ type: 'contact_card', text: null, contacts: [vcard] });
    const noweb = messageOf({
      id: 'false_5511987654321@c.us_VC2',
      timestamp: T,
      from: MARIA,
      fromMe: false,
      vCards: [],
      _data: {
        message: {
          contactsArrayMessage: {
            contacts: [
              { displayName: 'Ana', vcard },
              { displayName: 'Bia', vcard },
            ],
          },
        },
      },
    });
    expect(noweb).toMatchObject({ type: 'contact_card', contacts: [vcard, vcard] });
  });

  it('reads a Status post: chat status@broadcast, author the participant, no counterpart', () => {
    const message = messageOf({
      id: `false_status@broadcast_3EB0STATUS_${MARIA}`,
      timestamp: T,
      from: 'status@broadcast',
      fromMe: false,
      participant: MARIA,
      body: 'Minha foto',
      hasMedia: true,
      media: { url: 'http://waha/api/files/S.jpg', mimetype: 'image/jpeg' },
      _data: {
        key: { remoteJid: 'status@broadcast', participant: '5511987654321@s.whatsapp.net', id: '3EB0STATUS' },
        message: { imageMessage: { caption: 'Minha foto' } },
        pushName: 'Maria',
      },
    });
    expect(message).toMatchObject({
      chatExternalId: 'status@broadcast',
      isStatusBroadcast: true,
      isGroup: false,
      sender: { id: MARIA, phone: '+5511987654321', pushName: 'Maria' },
      type: 'image',
      text: 'Minha foto',
    });
    expect(message.counterpart).toBeUndefined();
  });

  it('reads ids given as an object with _serialized, and a Baileys key when the id is missing', () => {
    const serialized = messageOf(
      { id: { fromMe: false, remote: MARIA, id: 'OBJ1', _serialized: `false_${MARIA}_OBJ1` }, timestamp: T, from: MARIA, body: 'a' },
      'WEBJS',
    );
    expect(serialized).toMatchObject({ externalId: `false_${MARIA}_OBJ1`, waMessageId: 'OBJ1', fromMe: false });
    const keyed = messageOf({
      timestamp: T,
      body: 'b',
      _data: { key: { remoteJid: '5511987654321@s.whatsapp.net', fromMe: false, id: 'KEY1' } },
    });
    expect(keyed).toMatchObject({ externalId: `false_${MARIA}_KEY1`, waMessageId: 'KEY1', chatExternalId: MARIA, fromMe: false });
  });

  it("reads our own message sent from the phone: the chat from the id, the sender the session's account", () => {
    const message = messageOf(
      { id: `true_${MARIA}_OWN1`, timestamp: T, from: '5511999999999@c.us', to: MARIA, fromMe: true, source: 'app', body: 'Oi Maria' },
      'WEBJS',
      { me: { id: '5511999999999@c.us', pushName: 'Loja', lid: '777@lid' } },
    );
    expect(message).toMatchObject({
      chatExternalId: MARIA,
      direction: 'outbound',
      sender: { id: '5511999999999@c.us', phone: '+5511999999999', lid: '777@lid', pushName: 'Loja' },
      counterpart: { id: MARIA, phone: '+5511987654321' },
    });
  });

  it('takes a timestamp in milliseconds for one (the inverse of the Go original bug)', () => {
    expect(messageOf({ id: `false_${MARIA}_MS1`, timestamp: 1758636637114, from: MARIA, fromMe: false, body: 'x' }).sentAt).toEqual(
      new Date(1758636637114),
    );
    expect(messageOf({ id: `false_${MARIA}_S1`, timestamp: 1710481111.853, from: MARIA, fromMe: false, body: 'x' }).sentAt).toEqual(
      new Date(1710481111853),
    );
  });

  it("falls back to the raw data's time, then to the event's time, when payload.timestamp is missing", () => {
    const gows = {
      id: `false_${MARIA}_G1`,
      from: MARIA,
      fromMe: false,
      body: 'x',
      _data: { Info: { Timestamp: '2025-09-23T14:10:37-03:00' } },
    };
    expect(messageOf(gows, 'GOWS').sentAt).toEqual(new Date('2025-09-23T17:10:37Z'));
    const bare = { id: `false_${MARIA}_E1`, from: MARIA, fromMe: false, body: 'x' };
    expect(messageOf(bare, 'WEBJS', { timestamp: 1758636637114 }).sentAt).toEqual(new Date(1758636637114));
  });

  it('gives a channel (newsletter) post no counterpart', () => {
    const message = messageOf({
      id: 'false_120363000000000001@newsletter_99',
      timestamp: T,
      from: '120363000000000001@newsletter',
      fromMe: false,
      body: 'News',
    });
    expect(message).toMatchObject({
      chatExternalId: '120363000000000001@newsletter',
      isGroup: false,
      isStatusBroadcast: false,
      sender: {},
    });
    expect(message.counterpart).toBeUndefined();
  });

  it.each([
    ['a reaction', { reactionMessage: { text: '👍' } }],
    ['an edit', { editedMessage: { message: { protocolMessage: { type: 14, editedMessage: { conversation: 'new' } } } } }],
    ['a revoke', { protocolMessage: { type: 0, key: { id: 'X' } } }],
  ])('ignores %s carried inside a message event (older NOWEB)', (_name, message) => {
    const event = eventOf('message', {
      id: `false_${MARIA}_R1`,
      timestamp: T,
      from: MARIA,
      fromMe: false,
      body: 'new',
      _data: { message },
    });
    expect(event).toMatchObject({ kind: 'unknown', event: 'message' });
  });
});
