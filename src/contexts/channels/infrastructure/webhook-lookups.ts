import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { APP_CONFIG, AppConfig } from '#config/app-config';
import { PgTarget, authTarget, toClientConfig } from '#persistence/connection-options';
import { endPoolOnce, watchPool } from '#persistence/pool-errors';
import { APP_DB_TARGET } from '#persistence/tokens';
import { WebhookDirectory, WebhookTarget } from '../application/channels.ports';

/**
 * The webhook token look-up, before the tenant is known: the narrow SECURITY DEFINER function
 * `auth_channel_by_webhook_token`, on a small pool of the crm_auth role (the application role cannot call it).
 */
@Injectable()
export class WebhookLookups implements WebhookDirectory, OnApplicationShutdown {
  private readonly pool: Pool;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(APP_DB_TARGET) target: PgTarget) {
    this.pool = new Pool({
      ...toClientConfig(authTarget(target, config.authDbPassword)),
      max: 4,
      application_name: 'crm-webhooks',
      connectionTimeoutMillis: 5000,
    });
    // An idle connection's error (server restart) is logged, not an uncaught exception.
    watchPool(this.pool, 'crm-webhooks', new Logger(WebhookLookups.name));
  }

  async onApplicationShutdown(): Promise<void> {
    await endPoolOnce(this.pool);
  }

  async byTokenHash(tokenHash: string): Promise<WebhookTarget | undefined> {
    const { rows } = await this.pool.query(
      `SELECT channel_id, tenant_id, project_id, type, webhook_secret_encrypted, session, status, deleted
         FROM auth_channel_by_webhook_token($1)`,
      [tokenHash],
    );
    const [r] = rows;
    return (
      r && {
        channelId: r.channel_id,
        tenantId: r.tenant_id,
        projectId: r.project_id,
        type: r.type,
        webhookSecretEncrypted: r.webhook_secret_encrypted,
        session: r.session,
        status: r.status,
        deleted: r.deleted,
      }
    );
  }
}
