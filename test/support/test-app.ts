import { INestApplication, Provider } from '@nestjs/common';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { AppConfig, loadConfig } from '#config/app-config';
import { JsonLogger } from '#logging/json-logger';
import { OutboxRelay } from '#outbox/outbox-relay';
import { appTarget, parseDatabaseUrl } from '#persistence/connection-options';
import { createApp } from '../../src/app.factory';

export interface TestApp {
  app: INestApplication;
  http: TestAgent;
  relay: OutboxRelay;
  dataSource: DataSource;
  config: AppConfig;
  close(): Promise<void>;
}

/**
 * The real application on the suite's database, connected as the application role, served over real HTTP
 * (supertest on the Nest server). The relay is started unless `relay: false`.
 */
export async function startTestApp(
  options: { relay?: boolean; env?: Record<string, string>; providers?: Provider[] } = {},
): Promise<TestApp> {
  const config = loadConfig({
    ...process.env,
    // Rate-limit counters stay in each app's memory unless a test asks for Redis (CI may set REDIS_URL).
    REDIS_URL: '',
    LOG_LEVEL: 'error',
    RATE_LIMIT_PER_MINUTE: '100000',
    // The suites sign up and in hundreds of times from one address; the limits have tests of their own.
    LOGIN_MAX_FAILURES_PER_MINUTE: '100000',
    LOGIN_MAX_PER_ADDRESS_PER_MINUTE: '100000',
    REGISTER_PER_HOUR: '100000',
    // Production's scrypt cost (2^17) takes ~0.3 s a hash; test/identity-hardening.e2e.spec.ts proves it and its upgrade.
    PASSWORD_SCRYPT_LOG_N: '12',
    RELAY_POLL_INTERVAL_MS: '200',
    // Every suite's relay may claim any suite's webhook deliveries (one database): the same rules for all. The
    // receivers are local; test/webhooks.e2e.spec.ts proves the refusal with this off.
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    WEBHOOK_RETRY_BASE_MS: '200',
    WEBHOOK_POLL_INTERVAL_MS: '100',
    WEBHOOK_TIMEOUT_MS: '5000',
    ...options.env,
  });
  const db = appTarget(parseDatabaseUrl(config.databaseUrl!), config.appDbPassword);
  const app = await createApp(config, db, new JsonLogger('error'), options.providers);
  await app.init();
  const relay = app.get(OutboxRelay);
  if (options.relay !== false) await relay.start();
  return {
    app,
    http: request(app.getHttpServer()),
    relay,
    dataSource: app.get(DataSource),
    config,
    close: async () => {
      await relay.stop();
      await app.close();
    },
  };
}

export interface Tenant {
  apiKey: string;
  tenantId: string;
  projectId: string;
  userId: string;
  email: string;
  password: string;
  auth: Record<string, string>;
}

let counter = 0;

/** Signs up a new tenant through the API and returns its credentials. */
export async function registerTenant(http: TestAgent, label = 'tenant'): Promise<Tenant> {
  counter += 1;
  const email = `${label}-${process.pid}-${Date.now()}-${counter}@example.com`;
  const password = 'correct horse battery';
  const res = await http.post('/api/v1/auth/register').send({ email, password, name: `${label} owner`, tenantName: `${label} ${counter}` });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    apiKey: res.body.apiKey.key,
    tenantId: res.body.tenant.id,
    projectId: res.body.project.id,
    userId: res.body.user.id,
    email,
    password,
    auth: { Authorization: `Bearer ${res.body.apiKey.key}` },
  };
}

/** Polls `check` until it returns a truthy value or the time is up. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
}
