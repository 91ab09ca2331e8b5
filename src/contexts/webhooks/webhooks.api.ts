/*
 * What other contexts may call synchronously in the webhooks context (everything else they learn from
 * webhooks.events.ts). Calls join the caller's transaction when there is one (else open one), act in the tenant
 * of the caller's context under RLS, and name their project: a caller acting on an event has no principal.
 */

export interface WebhooksApi {
  /**
   * Queues one signed delivery of `event` to the subscription's URL (ignoring its event filter), delivered and
   * retried like any other delivery. Idempotent on (subscriptionId, event.id). Throws a 4xx problem error when
   * the subscription does not exist in the project.
   */
  deliverTo(input: {
    projectId: string;
    subscriptionId: string;
    event: { id: string; type: string; occurredAt: string; data: unknown };
  }): Promise<{ deliveryId: string }>;
}

/** Nest token of the WebhooksApi provider, exported by WebhooksModule. */
export const WEBHOOKS_API = Symbol('WebhooksApi');
