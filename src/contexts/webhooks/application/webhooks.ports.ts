import type { WebhookSubscriptionStatus } from '../webhooks.events';

/** Who acts, and in which project: a principal's tenant and project. */
export interface WebhooksScope {
  tenantId: string;
  projectId: string;
}

/** Signing secrets: made as `whsec_<base64>` (Standard Webhooks), sealed at rest bound to their subscription. */
export interface WebhookSecrets {
  generate(): string;
  seal(subscriptionId: string, secret: string): string;
  open(subscriptionId: string, sealed: string): string;
}

/** Refuses URLs webhooks must not be sent to (scheme, credentials, private addresses); returns the URL to store. */
export interface DestinationPolicy {
  assertDeliverable(url: string): Promise<string>;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'succeeded', 'failed'];

export interface SubscriptionView {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  status: WebhookSubscriptionStatus;
  disabledReason: string | null;
  failingSince: Date | null;
  previousSecretExpiresAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface DeliveryView {
  id: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  responseStatus: number | null;
  durationMs: number | null;
  error: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

export interface WebhookReadModel {
  list(projectId: string, take: number, after?: string): Promise<SubscriptionView[]>;
  get(projectId: string, id: string): Promise<SubscriptionView | null>;
  /** Newest first. */
  deliveries(projectId: string, subscriptionId: string, take: number, before?: string, status?: DeliveryStatus): Promise<DeliveryView[]>;
  delivery(projectId: string, id: string): Promise<DeliveryView | null>;
  /** The active, live subscriptions of these projects, with their event patterns (the fan-out's look-up). */
  activeSubscriptions(projectIds: readonly string[]): Promise<{ id: string; projectId: string; events: string[] }[]>;
  /** Whether the project has this live subscription (any status). */
  subscriptionExists(projectId: string, id: string): Promise<boolean>;
}

/** An event to deliver to one subscription: the body is serialised once and sent as is on every attempt. */
export interface DeliveryRequest {
  projectId: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  occurredAt: string;
  data: unknown;
}

/** The durable queue of deliveries, in the current transaction and tenant. */
export interface DeliveryQueue {
  /** Queues each (subscription, event) once; returns the delivery ids (existing ones for repeats), in order. */
  enqueue(requests: readonly DeliveryRequest[]): Promise<string[]>;
  /** Due again now, its retry schedule restarted; false when there is no such delivery. */
  replay(projectId: string, id: string): Promise<boolean>;
  /** A deleted subscription's pending deliveries are failed for good (they would never be sent). */
  abandonPending(subscriptionId: string, reason: string): Promise<void>;
  /** A subscription's failure streak ends (resume): it starts counting again from its next failure. */
  clearFailures(subscriptionId: string): Promise<void>;
}

/** Wakes this process's delivery workers once queued deliveries have committed. */
export interface DeliveryWakeUp {
  wake(): void;
}

export const WEBHOOK_SECRETS = Symbol('WebhookSecrets');
export const DESTINATION_POLICY = Symbol('DestinationPolicy');
export const WEBHOOK_READ_MODEL = Symbol('WebhookReadModel');
export const DELIVERY_QUEUE = Symbol('DeliveryQueue');
export const DELIVERY_WAKE_UP = Symbol('DeliveryWakeUp');
