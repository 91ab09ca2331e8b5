import { parseSecretKey } from '../kernel/secret-box';
import { devSecret } from './dev-secret';

/** Validated process configuration. Every setting comes from the environment; `loadConfig` explains what is wrong. */
export interface AppConfig {
  readonly env: 'development' | 'test' | 'production';
  readonly port: number;
  /** What this process runs: the HTTP API, the outbox relay, or both. */
  readonly role: 'all' | 'api' | 'relay';
  /** Owner connection (runs migrations, provisions roles). Unset: an embedded PostgreSQL is started. */
  readonly databaseUrl?: string;
  readonly appDbPassword: string;
  /** Password of the crm_relay role (the outbox relay's claims and pruning); defaults to APP_DB_PASSWORD. */
  readonly relayDbPassword: string;
  /** Password of the crm_auth role (credential look-ups); defaults to APP_DB_PASSWORD. */
  readonly authDbPassword: string;
  readonly jwtSecret: string;
  readonly jwtTtlSeconds: number;
  /** 32 bytes (64 hex characters or base64): seals channel secrets at rest and derives webhook tokens. */
  readonly channelSecretsKey: string;
  /** Where clients and providers reach this API (`https://crm.example.com`): makes webhook URLs absolute. */
  readonly publicUrl?: string;
  readonly rateLimitPerMinute: number;
  /** Deliveries per webhook URL (its token is the credential) and minute: a gateway's traffic, not a person's. */
  readonly webhookRateLimitPerMinute: number;
  /** Requests with a missing or bad credential, per client address and minute (before authentication). */
  readonly rateLimitUnauthenticatedPerMinute: number;
  /** Rate-limit counters shared between processes in this Redis; unset: in memory, per process. */
  readonly redisUrl?: string;
  /** Browser origins allowed by CORS (none: no CORS headers). */
  readonly corsOrigins: readonly string[];
  /** GET /metrics: on, and guarded by a bearer token and/or served on a port of its own. */
  readonly metrics: { readonly enabled: boolean; readonly token?: string; readonly port?: number };
  /** Git-ignored folder for generated development secrets (`.data`). */
  readonly dataDir: string;
  /** How long a process may reuse an API-key look-up; a key revoked elsewhere stops working within this time. */
  readonly authCacheTtlMs: number;
  readonly dbPoolSize: number;
  /** The largest contact import upload (POST /contacts/import answers 413 beyond). */
  readonly contactImportMaxBytes: number;
  /** A request body must have arrived within this time (408 beyond; 0: no limit); streamed imports are exempt. */
  readonly httpRequestTimeoutMs: number;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  readonly relay: RelayConfig;
  /** Publishing every outbox event to external brokers, for consumers outside this application. */
  readonly broker: BrokerConfig;
  /** Durable timers: how often the relay looks for due ones (a timer fires at most this late, plus delivery). */
  readonly timers: { readonly pollIntervalMs: number };
  /** How many automations may trigger each other in a row (through the events their actions raise) before the chain stops. */
  readonly automations: { readonly maxDepth: number };
  readonly webhooks: WebhooksConfig;
  readonly identity: IdentityConfig;
  readonly embedded: { readonly dataDir: string; readonly port: number };
}

export interface RelayConfig {
  readonly batchSize: number;
  /** Batches in flight at once per relay process. */
  readonly concurrency: number;
  readonly pollIntervalMs: number;
  readonly maxAttempts: number;
  readonly leaseSeconds: number;
  readonly baseBackoffMs: number;
  /** Processed events (and their consumer records) are kept this long, then pruned. */
  readonly retentionHours: number;
  /** Idempotency-Keys answer replays for this long. */
  readonly idempotencyKeyHours: number;
}

/** Each broker is off unless its URL is set. */
export interface BrokerConfig {
  /** RabbitMQ: a durable topic exchange, routing key = event type. */
  readonly rabbitmq?: { readonly url: string; readonly exchange: string };
  /** NATS JetStream: a stream (ensured at connect) over `<subjectPrefix>.<tenantId>.<eventType>`. */
  readonly nats?: {
    readonly servers: readonly string[];
    readonly stream: string;
    readonly subjectPrefix: string;
    /** The server drops a second message with the same `Nats-Msg-Id` (the event id) within this window. */
    readonly duplicateWindowSeconds: number;
    /** Messages older than this leave the stream (0: kept until removed by hand). */
    readonly maxAgeHours: number;
  };
  /** A publish the broker has not confirmed within this time fails, and the outbox retries it. */
  readonly publishTimeoutMs: number;
}

/** Outbound webhooks: delivery, retries, safety and secret rotation. */
export interface WebhooksConfig {
  /** Deliver to loopback, private, link-local and metadata addresses too: local development and tests only. */
  readonly allowPrivateUrls: boolean;
  /** Each delivery attempt's limit, connection to last byte. */
  readonly timeoutMs: number;
  /** How often each relay looks for due deliveries (new ones are also sent at once by the relay that made them). */
  readonly pollIntervalMs: number;
  /** Delivery workers per relay process; each claims and sends `batchSize` deliveries at a time. */
  readonly concurrency: number;
  readonly batchSize: number;
  /** A claimed delivery whose relay died is due again after this long. */
  readonly leaseSeconds: number;
  /** Attempts per delivery before it is marked failed; backoff doubles from `retryBaseMs` up to `retryMaxMs`, with jitter. */
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** A subscription whose deliveries have failed without a success for this long is disabled. */
  readonly disableAfterHours: number;
  /** After a rotation the previous secret still signs (a second signature) for this long. */
  readonly rotationGraceMinutes: number;
  /** Finished deliveries (succeeded, or failed for good) are kept this long after their last attempt, then pruned. */
  readonly retentionHours: number;
}

/** Sign-in, sign-up, token and membership limits of the identity context. */
export interface IdentityConfig {
  /** Failed sign-ins per account and minute before 429 (a success clears them). */
  readonly loginMaxFailuresPerMinute: number;
  /** Sign-in attempts per client address and minute before 429. */
  readonly loginMaxPerAddressPerMinute: number;
  /** Sign-ups per client address and hour before 429. */
  readonly registerPerHour: number;
  /** Active (unexpired) API keys a user may hold in one project. */
  readonly apiKeysPerUserPerProject: number;
  /** scrypt cost as log2(N): 17 (OWASP's minimum) or more; lower only under NODE_ENV=test. */
  readonly scryptLogN: number;
  /** `iss` and `aud` of user tokens: tokens without them, or with others, are refused. */
  readonly jwtIssuer: string;
  readonly jwtAudience: string;
  readonly invitationTtlHours: number;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, values: readonly T[], fallback: T): T => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!values.includes(raw as T)) problems.push(`${name} must be one of ${values.join(', ')} (got "${raw}")`);
    return values.includes(raw as T) ? (raw as T) : fallback;
  };

  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (raw !== 'true' && raw !== 'false') problems.push(`${name} must be true or false (got "${raw}")`);
    return raw === 'true';
  };

  const nodeEnv = oneOf('NODE_ENV', ['development', 'test', 'production'] as const, 'development');
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl) {
    try {
      const url = new URL(databaseUrl);
      if (!url.protocol.startsWith('postgres')) problems.push(`DATABASE_URL must be a postgres:// URL (got "${url.protocol}")`);
    } catch {
      problems.push('DATABASE_URL is not a valid URL (expected postgres://user:password@host:port/database)');
    }
  }
  const dataDir = env.DATA_DIR || '.data';
  // Outside production a missing secret is generated once and kept under the data folder: none lives in the code.
  const jwtSecret = env.JWT_SECRET || (nodeEnv === 'production' ? '' : devSecret('jwt-secret', dataDir));
  if (jwtSecret.length < 32) problems.push('JWT_SECRET must be set to at least 32 characters in production');
  const channelSecretsKey = env.CHANNEL_SECRETS_KEY || (nodeEnv === 'production' ? '' : devSecret('channel-secrets-key', dataDir));
  if (!channelSecretsKey) problems.push('CHANNEL_SECRETS_KEY must be set in production (32 bytes as 64 hex characters or base64)');
  else {
    try {
      parseSecretKey(channelSecretsKey);
    } catch {
      problems.push('CHANNEL_SECRETS_KEY must be 32 bytes, written as 64 hex characters or as base64');
    }
  }
  const publicUrl = env.PUBLIC_URL ? env.PUBLIC_URL.trim().replace(/\/+$/, '') : undefined;
  if (publicUrl && !/^https?:\/\/[^/]+(\/.*)?$/.test(publicUrl))
    problems.push(`PUBLIC_URL must be an http(s) URL such as https://crm.example.com (got "${publicUrl}")`);
  const appDbPassword = env.APP_DB_PASSWORD || (nodeEnv === 'production' ? '' : 'crm_app');
  if (!appDbPassword) problems.push('APP_DB_PASSWORD must be set in production (password of the crm_app role)');
  if (nodeEnv === 'production' && !databaseUrl) problems.push('DATABASE_URL must be set in production');
  const redisUrl = env.REDIS_URL || undefined;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) problems.push(`REDIS_URL must be a redis:// or rediss:// URL (got "${redisUrl}")`);
  const metricsToken = env.METRICS_TOKEN || undefined;
  if (metricsToken && metricsToken.length < 16) problems.push('METRICS_TOKEN must be at least 16 characters');
  const metricsPort = env.METRICS_PORT ? int('METRICS_PORT', 0, 1, 65535) : undefined;
  const rabbitmqUrl = env.RABBITMQ_URL || undefined;
  if (rabbitmqUrl && !/^amqps?:\/\/[^/]+/.test(rabbitmqUrl))
    problems.push('RABBITMQ_URL must be an amqp:// or amqps:// URL such as amqp://user:password@rabbitmq:5672');
  const rabbitmqExchange = env.RABBITMQ_EXCHANGE || 'crm.events';
  if (!/^[\w.:-]{1,255}$/.test(rabbitmqExchange))
    problems.push(`RABBITMQ_EXCHANGE must be 1-255 letters, digits, '.', '_', ':' or '-' (got "${rabbitmqExchange}")`);
  const natsServers = (env.NATS_URL ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const server of natsServers) {
    if (!/^(nats|tls):\/\/[^/\s]+$/.test(server))
      problems.push(`NATS_URL must list nats:// or tls:// URLs, comma-separated, such as nats://nats:4222 (got "${server}")`);
  }
  const natsStream = env.NATS_STREAM || 'CRM_EVENTS';
  if (!/^[\w-]{1,64}$/.test(natsStream)) problems.push(`NATS_STREAM must be 1-64 letters, digits, '_' or '-' (got "${natsStream}")`);
  const natsSubjectPrefix = env.NATS_SUBJECT_PREFIX || 'crm';
  if (!/^[\w-]+(\.[\w-]+)*$/.test(natsSubjectPrefix))
    problems.push(`NATS_SUBJECT_PREFIX must be dot-separated tokens of letters, digits, '_' or '-' (got "${natsSubjectPrefix}")`);
  for (const origin of (env.CORS_ORIGINS ?? '').split(',').map((o) => o.trim())) {
    if (origin && origin !== '*' && !/^https?:\/\/[^/]+$/.test(origin))
      problems.push(`CORS_ORIGINS must list origins like https://app.example.com, comma-separated (got "${origin}")`);
  }

  const config: AppConfig = {
    env: nodeEnv,
    port: int('PORT', 3000, 0, 65535),
    role: oneOf('ROLE', ['all', 'api', 'relay'] as const, 'all'),
    databaseUrl,
    appDbPassword,
    relayDbPassword: env.RELAY_DB_PASSWORD || appDbPassword,
    authDbPassword: env.AUTH_DB_PASSWORD || appDbPassword,
    jwtSecret,
    jwtTtlSeconds: int('JWT_TTL_SECONDS', 900, 60, 86400),
    channelSecretsKey,
    publicUrl,
    rateLimitPerMinute: int('RATE_LIMIT_PER_MINUTE', 1200, 1, 10_000_000),
    webhookRateLimitPerMinute: int('WEBHOOK_RATE_LIMIT_PER_MINUTE', 60_000, 1, 10_000_000),
    rateLimitUnauthenticatedPerMinute: int('RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE', 60, 1, 10_000_000),
    redisUrl,
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    metrics: {
      // Development and tests: on. Production: only when guarded by a token or kept on a port of its own.
      enabled: nodeEnv !== 'production' || Boolean(metricsToken) || metricsPort !== undefined,
      token: metricsToken,
      port: metricsPort,
    },
    dataDir,
    authCacheTtlMs: int('AUTH_CACHE_TTL_MS', 2000, 0, 60_000),
    dbPoolSize: int('DB_POOL_SIZE', 20, 1, 500),
    contactImportMaxBytes: int('CONTACT_IMPORT_MAX_BYTES', 1024 ** 3, 1, 1024 ** 4),
    httpRequestTimeoutMs: int('HTTP_REQUEST_TIMEOUT_MS', 300_000, 0, 3_600_000),
    logLevel: oneOf('LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
    relay: {
      batchSize: int('RELAY_BATCH_SIZE', 500, 1, 10_000),
      concurrency: int('RELAY_CONCURRENCY', 2, 1, 32),
      pollIntervalMs: int('RELAY_POLL_INTERVAL_MS', 2000, 50, 600_000),
      maxAttempts: int('RELAY_MAX_ATTEMPTS', 8, 1, 100),
      leaseSeconds: int('RELAY_LEASE_SECONDS', 60, 1, 3600),
      baseBackoffMs: int('RELAY_BASE_BACKOFF_MS', 500, 1, 3_600_000),
      retentionHours: int('OUTBOX_RETENTION_HOURS', 168, 1, 87_600),
      idempotencyKeyHours: int('IDEMPOTENCY_KEY_HOURS', 24, 1, 8_760),
    },
    broker: {
      rabbitmq: rabbitmqUrl ? { url: rabbitmqUrl, exchange: rabbitmqExchange } : undefined,
      nats:
        natsServers.length > 0
          ? {
              servers: natsServers,
              stream: natsStream,
              subjectPrefix: natsSubjectPrefix,
              duplicateWindowSeconds: int('NATS_DUPLICATE_WINDOW_SECONDS', 120, 1, 86_400),
              maxAgeHours: int('NATS_MAX_AGE_HOURS', 168, 0, 87_600),
            }
          : undefined,
      publishTimeoutMs: int('BROKER_PUBLISH_TIMEOUT_MS', 5000, 100, 120_000),
    },
    timers: { pollIntervalMs: int('TIMER_POLL_INTERVAL_MS', 1000, 10, 600_000) },
    automations: { maxDepth: int('AUTOMATION_MAX_DEPTH', 5, 1, 50) },
    webhooks: {
      allowPrivateUrls: bool('WEBHOOK_ALLOW_PRIVATE_URLS', false),
      timeoutMs: int('WEBHOOK_TIMEOUT_MS', 15_000, 100, 120_000),
      pollIntervalMs: int('WEBHOOK_POLL_INTERVAL_MS', 1000, 10, 600_000),
      concurrency: int('WEBHOOK_CONCURRENCY', 8, 1, 256),
      batchSize: int('WEBHOOK_BATCH_SIZE', 100, 1, 1000),
      leaseSeconds: int('WEBHOOK_LEASE_SECONDS', 300, 1, 3600),
      // 5 s doubling to 6 h: about 35 h over 18 attempts (the Standard Webhooks example schedule spans three days).
      maxAttempts: int('WEBHOOK_MAX_ATTEMPTS', 18, 1, 100),
      retryBaseMs: int('WEBHOOK_RETRY_BASE_MS', 5000, 1, 3_600_000),
      retryMaxMs: int('WEBHOOK_RETRY_MAX_MS', 6 * 3_600_000, 1, 7 * 24 * 3_600_000),
      disableAfterHours: int('WEBHOOK_DISABLE_AFTER_HOURS', 120, 1, 8_760),
      rotationGraceMinutes: int('WEBHOOK_SECRET_ROTATION_GRACE_MINUTES', 24 * 60, 0, 30 * 24 * 60),
      retentionHours: int('WEBHOOK_DELIVERY_RETENTION_HOURS', 720, 1, 87_600),
    },
    identity: {
      loginMaxFailuresPerMinute: int('LOGIN_MAX_FAILURES_PER_MINUTE', 5, 1, 1_000_000),
      loginMaxPerAddressPerMinute: int('LOGIN_MAX_PER_ADDRESS_PER_MINUTE', 30, 1, 1_000_000),
      registerPerHour: int('REGISTER_PER_HOUR', 10, 1, 1_000_000),
      apiKeysPerUserPerProject: int('API_KEYS_PER_USER_PER_PROJECT', 20, 1, 10_000),
      scryptLogN: int('PASSWORD_SCRYPT_LOG_N', 17, nodeEnv === 'test' ? 10 : 17, 20),
      jwtIssuer: env.JWT_ISSUER || 'crm-backend',
      jwtAudience: env.JWT_AUDIENCE || 'crm-api',
      invitationTtlHours: int('INVITATION_TTL_HOURS', 168, 1, 8_760),
    },
    embedded: {
      dataDir: env.EMBEDDED_PG_DIR || '.data/pg',
      port: int('EMBEDDED_PG_PORT', 54329, 1024, 65535),
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
