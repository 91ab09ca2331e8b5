import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('has working defaults for development', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ env: 'development', port: 3000, role: 'all', databaseUrl: undefined });
    expect(config.relay).toMatchObject({ batchSize: 500, concurrency: 2, maxAttempts: 8 });
  });

  it('names every wrong setting at once', () => {
    const attempt = () => loadConfig({ PORT: 'eighty', ROLE: 'worker', DATABASE_URL: 'mysql://x', RELAY_BATCH_SIZE: '0' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/PORT must be an integer/);
      expect(problems).toMatch(/ROLE must be one of all, api, relay/);
      expect(problems).toMatch(/DATABASE_URL must be a postgres:\/\/ URL/);
      expect(problems).toMatch(/RELAY_BATCH_SIZE must be an integer between 1/);
    }
  });

  it('refuses development secrets in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://o@h/db' })).toThrow(/JWT_SECRET.*\n.*APP_DB_PASSWORD/s);
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://o@h/db',
      JWT_SECRET: 'x'.repeat(32),
      APP_DB_PASSWORD: 'p',
      CHANNEL_SECRETS_KEY: 'ab'.repeat(32),
    });
    expect(config.env).toBe('production');
  });

  it('needs a 32-byte CHANNEL_SECRETS_KEY in production', () => {
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://o@h/db', JWT_SECRET: 'x'.repeat(32), APP_DB_PASSWORD: 'p' };
    expect(() => loadConfig(production)).toThrow(/CHANNEL_SECRETS_KEY must be set/);
    expect(() => loadConfig({ ...production, CHANNEL_SECRETS_KEY: 'too short' })).toThrow(/CHANNEL_SECRETS_KEY must be 32 bytes/);
    expect(loadConfig({ ...production, CHANNEL_SECRETS_KEY: 'ab'.repeat(32) }).channelSecretsKey).toBe('ab'.repeat(32));
    expect(() => loadConfig({ ...production, CHANNEL_SECRETS_KEY: 'ab'.repeat(32), PUBLIC_URL: 'crm.example.com' })).toThrow(/PUBLIC_URL/);
  });

  it('turns each broker on by its URL and validates its names', () => {
    expect(loadConfig({}).broker).toEqual({ rabbitmq: undefined, nats: undefined, publishTimeoutMs: 5000 });
    const config = loadConfig({ RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672', NATS_URL: 'nats://a:4222, nats://b:4222' });
    expect(config.broker.rabbitmq).toEqual({ url: 'amqp://guest:guest@127.0.0.1:5672', exchange: 'crm.events' });
    expect(config.broker.nats).toEqual({
      servers: ['nats://a:4222', 'nats://b:4222'],
      stream: 'CRM_EVENTS',
      subjectPrefix: 'crm',
      duplicateWindowSeconds: 120,
      maxAgeHours: 168,
    });
    expect(() =>
      loadConfig({
        RABBITMQ_URL: 'http://rabbit',
        RABBITMQ_EXCHANGE: 'a b',
        NATS_URL: 'nats:4222',
        NATS_STREAM: 'a.b',
        NATS_SUBJECT_PREFIX: 'crm.>',
      }),
    ).toThrow(/RABBITMQ_URL.*\n.*RABBITMQ_EXCHANGE.*\n.*NATS_URL.*\n.*NATS_STREAM.*\n.*NATS_SUBJECT_PREFIX/s);
  });
});
