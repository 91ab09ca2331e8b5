import { AggregateRoot } from '#kernel';
import { WebhooksErrors } from '../webhooks.errors';
import { WEBHOOKS_EVENT_VERSIONS, WebhookSubscriptionFields, WebhookSubscriptionStatus, WebhooksEvents } from '../webhooks.events';
import { validEventPatterns } from './event-filter';

export interface WebhookSubscriptionState {
  id: string;
  tenantId: string;
  projectId: string;
  /** Checked by the application (scheme, credentials, address) before it gets here. */
  url: string;
  events: string[];
  description: string | null;
  status: WebhookSubscriptionStatus;
  disabledReason: string | null;
  /** Sealed by the application: the domain never sees a secret in clear. */
  secretEncrypted: string;
  previousSecretEncrypted: string | null;
  previousSecretExpiresAt: Date | null;
  version: number;
  deletedAt: Date | null;
}

export type WebhookSubscriptionChanges = Partial<WebhookSubscriptionFields>;

/** Where a project's events are sent, signed with the subscription's secret. */
export class WebhookSubscription extends AggregateRoot<WebhooksEvents> {
  private constructor(private state: WebhookSubscriptionState) {
    super(state.id, state.version);
  }

  static create(
    fields: Pick<WebhookSubscriptionState, 'id' | 'tenantId' | 'projectId' | 'url' | 'events' | 'description' | 'secretEncrypted'>,
  ): WebhookSubscription {
    const subscription = new WebhookSubscription({
      ...fields,
      events: validEventPatterns(fields.events),
      description: normalDescription(fields.description),
      status: 'active',
      disabledReason: null,
      previousSecretEncrypted: null,
      previousSecretExpiresAt: null,
      version: 0,
      deletedAt: null,
    });
    subscription.emit('webhook_subscription.created', subscription.fields());
    return subscription;
  }

  static restore(state: WebhookSubscriptionState): WebhookSubscription {
    return new WebhookSubscription(state);
  }

  get snapshot(): Readonly<WebhookSubscriptionState> {
    return { ...this.state, version: this.version };
  }

  update(changes: WebhookSubscriptionChanges): void {
    this.assertLive();
    const before = this.fields();
    this.state = {
      ...this.state,
      ...(changes.url !== undefined ? { url: changes.url } : {}),
      ...(changes.events !== undefined ? { events: validEventPatterns(changes.events) } : {}),
      ...(changes.description !== undefined ? { description: normalDescription(changes.description) } : {}),
    };
    const after = this.fields();
    const changed: WebhookSubscriptionChanges = {};
    for (const key of Object.keys(after) as (keyof WebhookSubscriptionFields)[]) {
      if (JSON.stringify(after[key]) !== JSON.stringify(before[key])) (changed as Record<string, unknown>)[key] = after[key];
    }
    if (Object.keys(changed).length > 0) this.emit('webhook_subscription.updated', { changes: changed });
  }

  delete(): void {
    if (this.state.deletedAt) throw WebhooksErrors.alreadyDeleted();
    this.state = { ...this.state, deletedAt: new Date() };
    this.emit('webhook_subscription.deleted', {});
  }

  pause(): void {
    this.assertLive();
    if (this.state.status !== 'active') throw WebhooksErrors.notPausable(this.state.status);
    this.state = { ...this.state, status: 'paused' };
    this.emit('webhook_subscription.paused', {});
  }

  /** Paused or disabled: active again; deliveries held meanwhile go out. */
  resume(): void {
    this.assertLive();
    const from = this.state.status;
    if (from === 'active') throw WebhooksErrors.notResumable();
    this.state = { ...this.state, status: 'active', disabledReason: null };
    this.emit('webhook_subscription.resumed', { from });
  }

  /** Deliveries kept failing: stop sending until the owner resumes it. Nothing to do once it is not active. */
  disable(reason: string): void {
    if (this.state.deletedAt || this.state.status !== 'active') return;
    this.state = { ...this.state, status: 'disabled', disabledReason: reason };
    this.emit('webhook_subscription.disabled', { reason });
  }

  /** `secretEncrypted` signs from now on; the current one also signs until `previousValidUntil` (none: at once stops). */
  rotateSecret(secretEncrypted: string, previousValidUntil: Date | null): void {
    this.assertLive();
    this.state = {
      ...this.state,
      secretEncrypted,
      previousSecretEncrypted: previousValidUntil ? this.state.secretEncrypted : null,
      previousSecretExpiresAt: previousValidUntil,
    };
    this.emit('webhook_subscription.secret_rotated', { previousSecretExpiresAt: previousValidUntil?.toISOString() ?? null });
  }

  private assertLive(): void {
    if (this.state.deletedAt) throw WebhooksErrors.deleted();
  }

  private fields(): WebhookSubscriptionFields {
    return { url: this.state.url, events: [...this.state.events], description: this.state.description };
  }

  protected readonly aggregateType = 'webhook_subscription';

  protected eventVersionOf(type: keyof WebhooksEvents): number {
    return WEBHOOKS_EVENT_VERSIONS[type];
  }

  protected get scope() {
    return { tenantId: this.state.tenantId, projectId: this.state.projectId };
  }
}

function normalDescription(description: string | null | undefined): string | null {
  const trimmed = description?.trim();
  return trimmed ? trimmed : null;
}
