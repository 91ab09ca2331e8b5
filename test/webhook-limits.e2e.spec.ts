import { registerTenant, startTestApp, TestApp } from './support/test-app';

/** A gateway posts a whole channel's traffic from one address: webhooks are metered per token, not per address. */
describe('webhook rate limits', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ relay: false, env: { RATE_LIMIT_PER_MINUTE: '2', WEBHOOK_RATE_LIMIT_PER_MINUTE: '3' } });
  });
  afterAll(() => t?.close());

  it('counts deliveries per webhook token with their own budget, beyond the per-address one', async () => {
    const signup = await startTestApp({ relay: false });
    const tenant = await registerTenant(signup.http, 'webhook-limits');
    const token = async () => {
      const res = await signup.http
        .post('/api/v1/channels')
        .set(tenant.auth)
        .send({ name: 'WhatsApp', type: 'waha', config: { baseUrl: 'http://127.0.0.1:9', session: 'default' } })
        .expect(201);
      return (res.body.webhookUrl as string).split('/').pop()!;
    };
    const [first, second] = [await token(), await token()];
    await signup.close();
    const deliver = (tok: string) =>
      t.http.post(`/api/v1/webhooks/waha/${tok}`).send({ event: 'session.status', session: 'default', payload: { status: 'WORKING' } });

    for (let i = 0; i < 3; i++) {
      const res = await deliver(first);
      expect(res.status).toBe(202);
      expect(res.headers['x-ratelimit-limit']).toBe('3');
    }
    const over = await deliver(first);
    expect(over.status).toBe(429);
    expect(over.headers['retry-after']).toBeDefined();
    expect((await deliver(second)).status).toBe(202);
  });
});
