import type { ConditionOperator } from '../automations.events';

/*
 * What an automation may be made of: the editor's catalog (GET /automations/catalog) and the one source the
 * definition's validation reads, so a client never sees an option the server refuses, or the reverse.
 */

export interface TriggerEntry {
  /** An event type, or `schedule`. */
  readonly trigger: string;
  readonly description: string;
  /** Whether the event concerns a contact (contact fields and contact actions make sense). */
  readonly hasContact: boolean;
}

export const EVENT_TRIGGERS: readonly TriggerEntry[] = [
  { trigger: 'contact.created', description: 'A contact was created (any channel: API, import, first message)', hasContact: true },
  { trigger: 'contact.updated', description: "A contact's fields changed; `event.changes` holds the new values", hasContact: true },
  { trigger: 'contact.deleted', description: 'A contact was soft-deleted', hasContact: true },
  { trigger: 'contact.restored', description: 'A deleted contact was restored', hasContact: true },
  { trigger: 'contact_list.contact_added', description: 'A contact joined a list (`event.contactId`)', hasContact: true },
  { trigger: 'contact_list.contact_removed', description: 'A contact left a list (`event.contactId`)', hasContact: true },
  { trigger: 'message.received', description: 'A contact wrote a message (`message.text`)', hasContact: true },
  { trigger: 'session.started', description: 'A conversation session with a contact started', hasContact: true },
  { trigger: 'session.ended', description: 'A conversation session ended (`event.reason`)', hasContact: true },
  {
    trigger: 'contact.entered_pipeline',
    description: 'A contact entered a pipeline (`event.pipelineId`, `event.to.name`)',
    hasContact: true,
  },
  {
    trigger: 'contact.pipeline_status_changed',
    description: 'A contact moved to another status of a pipeline (`event.from.name`, `event.to.name`, `event.durationMs`)',
    hasContact: true,
  },
  { trigger: 'note.created', description: 'A note was added to a contact (`event.text`, `event.pinned`)', hasContact: true },
];

export const SCHEDULE_TRIGGER: TriggerEntry = {
  trigger: 'schedule',
  description: 'A cron schedule: `{ "schedule": "0 9 * * 1-5", "timezone": "Europe/Berlin" }` (5 fields; UTC unless a timezone is given)',
  hasContact: false,
};

export interface OperatorEntry {
  readonly op: ConditionOperator;
  readonly description: string;
}

export const OPERATORS: readonly OperatorEntry[] = [
  { op: 'eq', description: 'Equal (strings, numbers, booleans, null; arrays element by element)' },
  { op: 'ne', description: 'Not equal' },
  { op: 'gt', description: 'Greater than (numbers, or strings such as ISO dates)' },
  { op: 'gte', description: 'Greater than or equal' },
  { op: 'lt', description: 'Less than' },
  { op: 'lte', description: 'Less than or equal' },
  { op: 'contains', description: 'A list holds the value (tags), or a text contains it (case-insensitive)' },
  { op: 'in', description: 'The value is one of `value` (an array)' },
  { op: 'exists', description: 'The field has a value (`value: false`: has none)' },
];

export interface FieldEntry {
  /** The field's name; `<...>` marks a part the author fills in. */
  readonly field: string;
  readonly description: string;
  /** Read from the event's contact (so not on a schedule). */
  readonly contact: boolean;
  readonly pattern: RegExp;
}

const KEY = '[A-Za-z0-9_-]{1,100}';

export const FIELDS: readonly FieldEntry[] = [
  { field: 'tags', description: "The contact's tags (use `contains`)", contact: true, pattern: /^tags$/ },
  { field: 'name', description: "The contact's name", contact: true, pattern: /^name$/ },
  { field: 'email', description: "The contact's email (lower-cased)", contact: true, pattern: /^email$/ },
  { field: 'phone', description: "The contact's phone (E.164)", contact: true, pattern: /^phone$/ },
  { field: 'language', description: "The contact's language (BCP 47)", contact: true, pattern: /^language$/ },
  {
    field: 'customFields.<key>',
    description: 'A custom field of the contact',
    contact: true,
    pattern: new RegExp(`^customFields\\.${KEY}$`),
  },
  {
    field: 'pipelines.<pipelineId>.status',
    description: "The name of the contact's current status in the pipeline (absent when the contact is not in it)",
    contact: true,
    pattern: /^pipelines\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.status$/i,
  },
  { field: 'message.text', description: 'The text of the message (message events)', contact: false, pattern: /^message\.text$/ },
  { field: 'event.type', description: 'The event type', contact: false, pattern: /^event\.type$/ },
  {
    field: 'event.<path>',
    description: "A value of the event's payload, by dotted path (e.g. `event.changes.tags`, `event.reason`)",
    contact: false,
    pattern: new RegExp(`^event\\.${KEY}(\\.${KEY}){0,7}$`),
  },
];

/** A parameter of an action: a small JSON-schema subset the validation checks and the catalog shows as it is. */
export interface ParamSchema {
  readonly type?: 'string' | 'boolean';
  readonly format?: 'uuid';
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly description: string;
}

export interface ActionEntry {
  readonly type: string;
  readonly description: string;
  /** Acts on the event's contact (so not on a schedule). */
  readonly contact: boolean;
  readonly params: { readonly required: readonly string[]; readonly properties: Readonly<Record<string, ParamSchema>> };
}

const TAG: ParamSchema = { type: 'string', minLength: 1, maxLength: 100, description: 'The tag' };

export const ACTIONS: readonly ActionEntry[] = [
  { type: 'add_tag', description: 'Add a tag to the contact', contact: true, params: { required: ['tag'], properties: { tag: TAG } } },
  {
    type: 'remove_tag',
    description: 'Remove a tag from the contact',
    contact: true,
    params: { required: ['tag'], properties: { tag: TAG } },
  },
  {
    type: 'set_custom_field',
    description: 'Set a custom field of the contact (null removes it); the value must fit the field',
    contact: true,
    params: {
      required: ['key', 'value'],
      properties: {
        key: { type: 'string', minLength: 1, maxLength: 100, description: 'A custom field key of the project' },
        value: { description: 'The value (text, number, boolean, date as the field defines), or null' },
      },
    },
  },
  {
    type: 'add_to_list',
    description: 'Add the contact to a contact list',
    contact: true,
    params: {
      required: ['listId'],
      properties: { listId: { type: 'string', format: 'uuid', description: 'A contact list of the project' } },
    },
  },
  {
    type: 'move_to_status',
    description: 'Move the contact to a status of a pipeline (entering the pipeline the first time), as the API would',
    contact: true,
    params: {
      required: ['pipelineId', 'statusId'],
      properties: {
        pipelineId: { type: 'string', format: 'uuid', description: 'A pipeline of the project' },
        statusId: { type: 'string', format: 'uuid', description: 'A status of that pipeline' },
      },
    },
  },
  {
    type: 'create_note',
    description: 'Add a note to the contact',
    contact: true,
    params: {
      required: ['text'],
      properties: {
        text: { type: 'string', minLength: 1, maxLength: 10_000, description: 'The note' },
        pinned: { type: 'boolean', description: 'Pinned to the top of the notes (default false)' },
      },
    },
  },
  {
    type: 'send_message',
    description: "Send a text message to the contact (through the channel of the contact's latest chat unless one is given)",
    contact: true,
    params: {
      required: ['text'],
      properties: {
        text: { type: 'string', minLength: 1, maxLength: 4096, description: 'The text' },
        channelId: { type: 'string', format: 'uuid', description: "A channel of the project (default: the contact's latest chat's)" },
        agentId: { type: 'string', format: 'uuid', description: "The sending agent (default: the project's System agent)" },
      },
    },
  },
  {
    type: 'assign_agent',
    description: "Assign the contact's active conversation session to an agent (nothing when it has none)",
    contact: true,
    params: { required: ['agentId'], properties: { agentId: { type: 'string', format: 'uuid', description: 'An agent of the project' } } },
  },
  {
    type: 'send_webhook',
    description:
      "Deliver the triggering event (on a schedule: `{ type: 'schedule', data: { scheduledFor } }`), signed per Standard Webhooks, to a webhook subscription's URL whatever its event filter; `webhook-id` is the event's id",
    contact: false,
    params: {
      required: ['subscriptionId'],
      properties: { subscriptionId: { type: 'string', format: 'uuid', description: 'A webhook subscription of the project' } },
    },
  },
];

/** The longest delay an action may carry: 30 days. */
export const MAX_DELAY_MINUTES = 43_200;
export const MAX_ACTIONS = 20;
export const MAX_CONDITIONS = 50;
export const MAX_CONDITION_DEPTH = 5;

/** Schedules are offered only when some action needs no contact (a schedule has none to act on). */
export const SCHEDULES_AVAILABLE = ACTIONS.some((a) => !a.contact);
