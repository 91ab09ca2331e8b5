import { ChannelEvent, InboundMessage } from '../../domain/channel-event';
import { parseWahaEvent } from './waha-event.parser';

/**
 * Payloads written after WAHA's documentation (waha-docs: how-to/events, receive-messages, openapi.json 2026.7.1)
 * and its engine sources (session.gows.core.ts, session.noweb.core.ts, session.webjs.core.ts): the `_data` of each
 * engine has its own shape, and the parser must read all of them.
 */

function eventOf(event: string, payload: unknown, engine: string): ChannelEvent {
  const result = parseWahaEvent({ event, session: 'default', engine, payload });
  if (!result.ok) throw new Error(`expected a parsed event, got: ${result.reason}`);
  return result.event;
}

function messageOf(payload: unknown, engine = 'NOWEB'): InboundMessage {
  const event = eventOf('message', payload, engine);
  if (event.kind !== 'message') throw new Error(`expected a message, got ${event.kind}`);
  return event;
}

const T = 1700000000;
const MARIA = '5511987654321@c.us';

describe('click-to-WhatsApp ads', () => {
  const expected = {
    source: 'meta_ads',
    adId: '120212345678900123',
    ctwaClid: 'ARAkLkA8rmlFeiCktEJQ',
    sourceUrl: 'https://fb.me/2ZkqVCn1s',
    conversionSource: 'FB_Ads',
  };

  it('reads externalAdReply in NOWEB spelling', () => {
    const contextInfo = {
      conversionSource: 'FB_Ads',
      externalAdReply: {
        title: 'Promo',
        sourceType: 'ad',
        sourceId: expected.adId,
        sourceUrl: expected.sourceUrl,
        ctwaClid: expected.ctwaClid,
      },
    };
    const message = messageOf({
      id: `false_${MARIA}_AD1`,
      timestamp: T,
      from: MARIA,
      fromMe: false,
      body: 'Quero saber mais',
      _data: { message: { extendedTextMessage: { text: 'Quero saber mais', contextInfo } } },
    });
    expect(message.attribution).toEqual(expected);
  });

  it('reads externalAdReply in GOWS spelling (sourceID, sourceURL)', () => {
    const contextInfo = {
      conversionSource: 'FB_Ads',
      externalAdReply: { sourceType: 'ad', sourceID: expected.adId, sourceURL: expected.sourceUrl, ctwaClid: expected.ctwaClid },
    };
    const message = messageOf(
      {
        id: `false_${MARIA}_AD2`,
        timestamp: T,
        from: MARIA,
        fromMe: false,
        body: 'Olá',
        _data: { Info: {}, Message: { extendedTextMessage: { text: 'Olá', contextInfo } } },
      },
      'GOWS',
    );
    expect(message.attribution).toEqual(expected);
  });

  it('reads WEBJS ctwaContext, and gives no attribution to a plain link preview', () => {
    const ctwaContext = { sourceId: expected.adId, sourceUrl: expected.sourceUrl, conversionSource: 'FB_Ads', ctwaClid: expected.ctwaClid };
    expect(
      messageOf(
        { id: `false_${MARIA}_AD3`, timestamp: T, from: MARIA, fromMe: false, body: 'Oi', _data: { type: 'chat', ctwaContext } },
        'WEBJS',
      ).attribution,
    ).toEqual(expected);
    const preview = { externalAdReply: { title: 'Blog', sourceUrl: 'https://example.com/post' } };
    expect(
      messageOf({
        id: `false_${MARIA}_P1`,
        timestamp: T,
        from: MARIA,
        fromMe: false,
        body: 'link',
        _data: { message: { extendedTextMessage: { text: 'link', contextInfo: preview } } },
      }).attribution,
    ).toBeUndefined();
  });
});
