import { IdempotencyKeyEntity } from '#http/idempotency-key.entity';
import { Kernel1764000000000 } from '#migrations/1764000000000-kernel';
import { OutboxBacklog1764000003500 } from '#migrations/1764000003500-outbox-backlog';
import { OutboxClaimPlan1764000019000 } from '#migrations/1764000019000-outbox-claim-plan';
import { OutboxStream1764000008500 } from '#migrations/1764000008500-outbox-stream';
import { OutboxEventEntity, ProcessedEventEntity } from '#outbox/outbox.entities';
import { Timers1764000006000 } from '#migrations/1764000006000-timers';
import { ScheduledTimerEntity } from '#timers/timer.entity';
import { BoundedContext, migrationsOf } from '#platform/bounded-context';
import { AUDIT_CONTEXT } from './contexts/audit/audit.context';
import { AUTOMATIONS_CONTEXT } from './contexts/automations/automations.context';
import { CHANNELS_CONTEXT } from './contexts/channels/channels.context';
import { CONTACTS_CONTEXT } from './contexts/contacts/contacts.context';
import { CONVERSATIONS_CONTEXT } from './contexts/conversations/conversations.context';
import { IDENTITY_CONTEXT } from './contexts/identity/identity.context';
import { NOTES_CONTEXT } from './contexts/notes/notes.context';
import { PIPELINES_CONTEXT } from './contexts/pipelines/pipelines.context';
import { WEBHOOKS_CONTEXT } from './contexts/webhooks/webhooks.context';

/** The kernel's own tables: the outbox, consumer bookkeeping, Idempotency-Keys and durable timers. */
const KERNEL: BoundedContext = {
  name: 'kernel',
  entities: [OutboxEventEntity, ProcessedEventEntity, IdempotencyKeyEntity, ScheduledTimerEntity],
  repositories: [],
  migrations: [
    Kernel1764000000000,
    OutboxBacklog1764000003500,
    Timers1764000006000,
    OutboxStream1764000008500,
    OutboxClaimPlan1764000019000,
  ],
};

/**
 * Every bounded context of the application: the one list the app module, the migrator, `npm run db:audit` and
 * the migration test read. A new context adds its descriptor here, and only here.
 */
export const CONTEXTS: readonly BoundedContext[] = [
  KERNEL,
  IDENTITY_CONTEXT,
  CONTACTS_CONTEXT,
  AUDIT_CONTEXT,
  CHANNELS_CONTEXT,
  CONVERSATIONS_CONTEXT,
  PIPELINES_CONTEXT,
  NOTES_CONTEXT,
  AUTOMATIONS_CONTEXT,
  WEBHOOKS_CONTEXT,
];

export const MIGRATIONS = migrationsOf(CONTEXTS);
export const ENTITIES = CONTEXTS.flatMap((c) => c.entities);
/** Which adapter persists which entity, as db:audit reports it. */
export const REPOSITORIES = CONTEXTS.flatMap((c) => c.repositories.map((r) => ({ entity: r.entity, repository: r.adapter.name })));
