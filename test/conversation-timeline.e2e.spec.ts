import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { eventually, registerTenant, startTestApp, Tenant, TestApp } from './support/test-app';

/** A contact's messages and conversation sessions reach its timeline through the outbox. */
describe('contact timeline: messages and sessions', () => {
  let t: TestApp;
  let a: Tenant;

  beforeAll(async () => {
    t = await startTestApp();
    a = await registerTenant(t.http, 'conv-timeline');
  });
  afterAll(() => t?.close());

  it('shows the received message and the started session on the contact that wrote it', async () => {
    const fixture = readFileSync(resolve(__dirname, '../../shared/fixtures/waha/message-text.json'), 'utf8');
    const body = JSON.parse(fixture.replaceAll('554400000004', '5511987654322'));
    const channel = await t.http
      .post('/api/v1/channels')
      .set(a.auth)
      .send({ name: 'WhatsApp', type: 'waha', config: { baseUrl: 'http://127.0.0.1:9', session: body.session } })
      .expect(201);
    const token = (channel.body.webhookUrl as string).split('/').pop();
    await t.http.post(`/api/v1/webhooks/waha/${token}`).set('Content-Type', 'application/json').send(JSON.stringify(body)).expect(202);

    const contact = await eventually(async () => {
      const res = await t.http.get('/api/v1/contacts').query({ q: '5511987654322' }).set(a.auth).expect(200);
      return res.body.data[0] as { id: string } | undefined;
    });
    const entries = await eventually(async () => {
      const res = await t.http.get(`/api/v1/contacts/${contact.id}/timeline`).set(a.auth).expect(200);
      const data = res.body.data as { type: string; category: string; source: string; title: string }[];
      return data.some((e) => e.type === 'message.received') && data.some((e) => e.type === 'session.started') ? data : undefined;
    });
    expect(entries.find((e) => e.type === 'message.received')).toMatchObject({
      category: 'messages',
      source: 'channel',
      title: 'Message received: No momento não vou poder',
    });
    expect(entries.find((e) => e.type === 'session.started')).toMatchObject({ category: 'conversations', source: 'channel' });
    expect(entries.map((e) => e.type)).toContain('contact.created');
  });
});
