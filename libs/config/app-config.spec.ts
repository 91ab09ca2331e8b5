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
});
