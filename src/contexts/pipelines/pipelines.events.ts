import type { EventOf } from '#kernel';
import type { OutboxMessage } from '#outbox/outbox-message';

/*
 * The events the pipelines context publishes: the contract its consumers (the contact timeline, automations,
 * webhooks) rely on. A change to a payload that a consumer could notice needs a new schema version.
 */

export type PipelineStatusType = 'open' | 'active' | 'closed';

/** A status of a pipeline as events carry it. */
export interface PipelineStatusPayload {
  id: string;
  name: string;
  type: PipelineStatusType;
  color: string | null;
  /** 0-based place on the board. */
  position: number;
  /** The statuses a contact in this one may move to; null: any. */
  allowedNext: string[] | null;
}

/** `pipeline.created` (v1). */
export interface PipelineCreated {
  name: string;
  description: string | null;
  color: string | null;
  sessionTimeoutMinutes: number | null;
  statuses: PipelineStatusPayload[];
}

/** `pipeline.updated` (v1): the changed fields with their new values. */
export interface PipelineUpdated {
  changes: Partial<Omit<PipelineCreated, 'statuses'>>;
}

/** `pipeline.deleted` (v1) and `pipeline.restored` (v1). */
export type PipelineDeleted = Record<string, never>;
export type PipelineRestored = Record<string, never>;

/** `pipeline.status_added` (v1). */
export interface PipelineStatusAdded {
  status: PipelineStatusPayload;
}

/** `pipeline.status_changed` (v1): the changed fields of one status. */
export interface PipelineStatusChanged {
  statusId: string;
  changes: Partial<Omit<PipelineStatusPayload, 'id' | 'position'>>;
}

/** `pipeline.statuses_reordered` (v1): the live statuses in their new order. */
export interface PipelineStatusesReordered {
  statusIds: string[];
}

/** `pipeline.status_removed` (v1): soft-deleted; it is dropped from every other status's `allowedNext`. */
export interface PipelineStatusRemoved {
  statusId: string;
}

/** A status as a contact's move names it. */
export interface StatusRef {
  statusId: string;
  name: string;
}

/** `contact.entered_pipeline` (v1): the contact's first status in the pipeline. */
export interface ContactEnteredPipeline {
  contactId: string;
  pipelineId: string;
  to: StatusRef;
}

/** `contact.pipeline_status_changed` (v1): `durationMs` is how long the contact was in `from`. */
export interface ContactPipelineStatusChanged {
  contactId: string;
  pipelineId: string;
  from: StatusRef;
  to: StatusRef;
  durationMs: number;
}

/** Event type -> payload of the `pipeline` aggregate (the pipeline and its statuses). */
export type PipelineEvents = {
  'pipeline.created': PipelineCreated;
  'pipeline.updated': PipelineUpdated;
  'pipeline.deleted': PipelineDeleted;
  'pipeline.restored': PipelineRestored;
  'pipeline.status_added': PipelineStatusAdded;
  'pipeline.status_changed': PipelineStatusChanged;
  'pipeline.statuses_reordered': PipelineStatusesReordered;
  'pipeline.status_removed': PipelineStatusRemoved;
};

/** Event type -> payload of the `contact_pipeline` aggregate (one contact's place in one pipeline). */
export type ContactPipelineEvents = {
  'contact.entered_pipeline': ContactEnteredPipeline;
  'contact.pipeline_status_changed': ContactPipelineStatusChanged;
};

export type PipelinesEvents = PipelineEvents & ContactPipelineEvents;
export type PipelinesEventType = keyof PipelinesEvents;

/** Schema version of each published event type. */
export const PIPELINES_EVENT_VERSIONS: { readonly [K in PipelinesEventType]: number } = {
  'pipeline.created': 1,
  'pipeline.updated': 1,
  'pipeline.deleted': 1,
  'pipeline.restored': 1,
  'pipeline.status_added': 1,
  'pipeline.status_changed': 1,
  'pipeline.statuses_reordered': 1,
  'pipeline.status_removed': 1,
  'contact.entered_pipeline': 1,
  'contact.pipeline_status_changed': 1,
};

export type PipelinesDomainEvent = EventOf<PipelinesEvents>;

/** A published event as a consumer receives it from the outbox: its `data` typed by its `type`. */
export type PipelinesMessage = {
  [K in PipelinesEventType]: Omit<OutboxMessage, 'type' | 'data'> & { readonly type: K; readonly data: PipelinesEvents[K] };
}[PipelinesEventType];

/** The message as a pipelines event, or undefined when its type is not one the context publishes. */
export function asPipelinesMessage(message: OutboxMessage): PipelinesMessage | undefined {
  return Object.hasOwn(PIPELINES_EVENT_VERSIONS, message.type) ? (message as unknown as PipelinesMessage) : undefined;
}
