import { Client } from 'pg';
import { parseDatabaseUrl, toClientConfig } from '#persistence/connection-options';
import { registerTenant, startTestApp, Tenant, TestApp } from './support/test-app';
import { deliverWaha, saidBy, wahaChannel, WahaBody } from './support/waha';

/** A click-to-WhatsApp ad as NOWEB puts it in the message's context info. */
const ad = (adId: string) => ({
  conversionSource: 'FB_Ads',
  externalAdReply: { sourceType: 'ad', sourceId: adId, sourceUrl: `https://fb.me/${adId}`, ctwaClid: `clid-${adId}` },
});

/**
 * A NOWEB message from `from` (a `@lid` or a phone's `@s.whatsapp.net`), with the other form of the same account
 * in `remoteJidAlt` when given, and an ad's context info when given.
 */
function noweb(input: { from: string; alt?: string; id: string; seconds?: number; pushName?: string; adId?: string }): WahaBody {
  const text = `hello ${input.id}`;
  return {
    event: 'message',
    session: 'default',
    engine: 'NOWEB',
    payload: {
      id: `false_${input.from}_${input.id}`,
      timestamp: input.seconds ?? Math.floor(Date.now() / 1000),
      from: input.from,
      fromMe: false,
      body: text,
      _data: {
        key: { remoteJid: input.from, ...(input.alt ? { remoteJidAlt: input.alt } : {}), fromMe: false, id: input.id },
        message: input.adId ? { extendedTextMessage: { text, contextInfo: ad(input.adId) } } : { conversation: text },
        ...(input.pushName ? { pushName: input.pushName } : {}),
      },
    },
  };
}

describe('inbound contacts: WhatsApp LIDs and first-touch attribution', () => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let owner: Client;

  beforeAll(async () => {
    t = await startTestApp();
    a = await registerTenant(t.http, 'inbound-a');
    b = await registerTenant(t.http, 'inbound-b');
    owner = new Client(toClientConfig(parseDatabaseUrl(process.env.DATABASE_URL!)));
    await owner.connect();
  });
  afterAll(async () => {
    await owner?.end();
    await t?.close();
  });

  const deliver = (token: string, ...bodies: WahaBody[]) => deliverWaha(t, owner, token, ...bodies);
  const messagesOf = async (channelId: string) =>
    (await owner.query(`SELECT * FROM messages WHERE channel_id = $1 ORDER BY sent_at, id`, [channelId])).rows;
  const contact = async (id: string) => (await owner.query(`SELECT * FROM contacts WHERE id = $1`, [id])).rows[0];
  const identitiesOf = async (tenant: Tenant, value: string) =>
    (await owner.query(`SELECT contact_id, kind FROM contact_identities WHERE tenant_id = $1 AND value = $2`, [tenant.tenantId, value]))
      .rows;
  const eventTypesOf = async (aggregateId: string) =>
    (await owner.query(`SELECT event_type FROM outbox_events WHERE aggregate_id = $1 ORDER BY sequence`, [aggregateId])).rows.map(
      (r) => r.event_type,
    );

  it('gives a sender known only by a LID a contact, named by their push name, with a session and a message group', async () => {
    const channel = await wahaChannel(t, a);
    const lid = '100000000000101@lid';
    await deliver(channel.token, noweb({ from: lid, id: 'L1', pushName: 'Lia' }), noweb({ from: lid, id: 'L2', pushName: 'Lia' }));
    const messages = await messagesOf(channel.id);
    expect(messages).toHaveLength(2);
    const contactId = messages[0].contact_id;
    expect(contactId).toEqual(expect.any(String));
    expect(messages[1].contact_id).toBe(contactId);
    expect(messages[0]).toMatchObject({ session_id: expect.any(String), message_group_id: expect.any(String) });
    expect(await contact(contactId)).toMatchObject({ tenant_id: a.tenantId, name: 'Lia', phone: null });
    expect(await identitiesOf(a, lid)).toEqual([{ contact_id: contactId, kind: 'whatsapp_lid' }]);
    const chat = await owner.query(`SELECT external_id, contact_id FROM chats WHERE channel_id = $1`, [channel.id]);
    expect(chat.rows).toEqual([{ external_id: lid, contact_id: contactId }]);

    // without a push name, the LID names the contact
    const nameless = '100000000000102@lid';
    await deliver(channel.token, noweb({ from: nameless, id: 'L3' }));
    const [third] = (await messagesOf(channel.id)).filter((m) => m.contact_id !== contactId);
    expect(await contact(third.contact_id)).toMatchObject({ name: nameless, phone: null });
  });

  it('links a LID and the phone a later message brings to one contact, which the phone alone then finds', async () => {
    const channel = await wahaChannel(t, a);
    const lid = '100000000000201@lid';
    const phone = '5511955550201';
    await deliver(channel.token, noweb({ from: lid, id: 'P1', pushName: 'Pedro' }));
    await deliver(channel.token, noweb({ from: lid, alt: `${phone}@s.whatsapp.net`, id: 'P2', pushName: 'Pedro' }));
    await deliver(channel.token, saidBy(phone, 'LINKED')('3', Math.floor(Date.now() / 1000)));
    const messages = await messagesOf(channel.id);
    expect(messages).toHaveLength(3);
    const contactId = messages[0].contact_id;
    expect(messages.map((m) => m.contact_id)).toEqual([contactId, contactId, contactId]);
    expect(await contact(contactId)).toMatchObject({ name: 'Pedro', phone: `+${phone}`, version: 2 });
    expect(await eventTypesOf(contactId)).toEqual(['contact.created', 'contact.updated']);
    const byPhone = await owner.query(`SELECT count(*)::int AS n FROM contacts WHERE tenant_id = $1 AND phone = $2`, [
      a.tenantId,
      `+${phone}`,
    ]);
    expect(byPhone.rows[0].n).toBe(1);
  });

  it('gives a LID to the contact that already has its phone', async () => {
    const channel = await wahaChannel(t, a);
    const lid = '100000000000301@lid';
    const phone = '5511955550301';
    await deliver(channel.token, saidBy(phone, 'PHONEFIRST')('1', Math.floor(Date.now() / 1000)));
    await deliver(channel.token, noweb({ from: lid, alt: `${phone}@s.whatsapp.net`, id: 'Q2' }), noweb({ from: lid, id: 'Q3' }));
    const messages = await messagesOf(channel.id);
    const contactId = messages[0].contact_id;
    expect(messages.map((m) => m.contact_id)).toEqual([contactId, contactId, contactId]);
    expect(await identitiesOf(a, lid)).toEqual([{ contact_id: contactId, kind: 'whatsapp_lid' }]);
    expect(await eventTypesOf(contactId)).toEqual(['contact.created']);
  });

  it("keeps another tenant's LID contacts apart", async () => {
    const lid = '100000000000401@lid';
    const mine = await wahaChannel(t, a);
    const theirs = await wahaChannel(t, b);
    await deliver(mine.token, noweb({ from: lid, id: 'T1', pushName: 'Mine' }));
    await deliver(theirs.token, noweb({ from: lid, id: 'T1', pushName: 'Theirs' }));
    const [aIdentity] = await identitiesOf(a, lid);
    const [bIdentity] = await identitiesOf(b, lid);
    expect(aIdentity.contact_id).not.toBe(bIdentity.contact_id);
    expect(await contact(bIdentity.contact_id)).toMatchObject({ tenant_id: b.tenantId, name: 'Theirs' });
    await t.http.get(`/api/v1/contacts/${aIdentity.contact_id}`).set(b.auth).expect(404);
  });

  it("sets the contact's first-touch attribution from the first ad that brought it, once, and shows it", async () => {
    const channel = await wahaChannel(t, a);
    const phone = '5511955550501@s.whatsapp.net';
    const t0 = Math.floor(Date.now() / 1000) - 60;
    await deliver(channel.token, noweb({ from: phone, id: 'A0', seconds: t0, pushName: 'Ana' }));
    const [plain] = await messagesOf(channel.id);
    const contactId = plain.contact_id;
    expect((await t.http.get(`/api/v1/contacts/${contactId}`).set(a.auth).expect(200)).body.firstTouch).toBeNull();

    await deliver(channel.token, noweb({ from: phone, id: 'A1', seconds: t0 + 10, adId: '120210000000001' }));
    await deliver(channel.token, noweb({ from: phone, id: 'A2', seconds: t0 + 20, adId: '120210000000002' }));
    const messages = await messagesOf(channel.id);
    expect(messages.map((m) => m.attribution?.adId ?? null)).toEqual([null, '120210000000001', '120210000000002']);
    const expected = {
      source: 'meta_ads',
      adId: '120210000000001',
      ctwaClid: 'clid-120210000000001',
      sourceUrl: 'https://fb.me/120210000000001',
      conversionSource: 'FB_Ads',
      at: new Date((t0 + 10) * 1000).toISOString(),
    };
    const seen = await t.http.get(`/api/v1/contacts/${contactId}`).set(a.auth).expect(200);
    expect(seen.body.firstTouch).toEqual(expected);
    expect((await contact(contactId)).first_touch).toEqual(expected);
    expect(await eventTypesOf(contactId)).toEqual(['contact.created', 'contact.first_touch_recorded']);
  });
});
