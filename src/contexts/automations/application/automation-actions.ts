import { Inject, Injectable } from '@nestjs/common';
import { CONTACTS_API, ContactsApi } from '../../contacts/contacts.api';
import { CONVERSATIONS_API, ConversationsApi } from '../../conversations/conversations.api';
import { NOTES_API, NotesApi } from '../../notes/notes.api';
import { PIPELINES_API, PipelinesApi } from '../../pipelines/pipelines.api';
import { WEBHOOKS_API, WebhooksApi } from '../../webhooks/webhooks.api';
import { ACTIONS } from '../domain/automation-catalog';
import { AutomationAction } from '../automations.events';
import { AutomationsErrors } from '../automations.errors';
import { TriggerEvent } from './trigger-event';

/** What an action did: the ids the port reports, or why it had nothing to do. */
export interface ActionResult {
  result?: Record<string, string>;
  skipped?: string;
}

/** What one action needs to run and to describe itself. */
interface ActionHandler {
  /** Does it through the owning context's port. */
  perform(params: Record<string, unknown>, event: TriggerEvent, contactId: string): Promise<ActionResult | void>;
  /** What it would do, for the test endpoint (`contactId` is empty for an action that needs no contact). */
  describe(params: Record<string, unknown>, contactId: string): string;
}

/**
 * Runs the actions of the catalog through the other contexts' ports, in the caller's transaction (so their events
 * and effects commit with the run). Every action but `send_webhook` acts on the event's contact.
 */
@Injectable()
export class AutomationActions {
  private readonly handlers: Readonly<Record<string, ActionHandler>>;

  constructor(
    @Inject(CONTACTS_API) contacts: ContactsApi,
    @Inject(CONVERSATIONS_API) conversations: ConversationsApi,
    @Inject(PIPELINES_API) pipelines: PipelinesApi,
    @Inject(NOTES_API) notes: NotesApi,
    @Inject(WEBHOOKS_API) webhooks: WebhooksApi,
  ) {
    this.handlers = {
      add_tag: {
        perform: (p, e, contactId) => contacts.addTags({ projectId: e.projectId, contactId, tags: [String(p.tag)] }),
        describe: (p, contactId) => `add the tag "${String(p.tag)}" to contact ${contactId}`,
      },
      remove_tag: {
        perform: (p, e, contactId) => contacts.removeTags({ projectId: e.projectId, contactId, tags: [String(p.tag)] }),
        describe: (p, contactId) => `remove the tag "${String(p.tag)}" from contact ${contactId}`,
      },
      set_custom_field: {
        perform: (p, e, contactId) => contacts.setCustomField({ projectId: e.projectId, contactId, key: String(p.key), value: p.value }),
        describe: (p, contactId) => `set the custom field "${String(p.key)}" of contact ${contactId} to ${JSON.stringify(p.value)}`,
      },
      add_to_list: {
        perform: (p, e, contactId) => contacts.addToList({ projectId: e.projectId, contactId, listId: String(p.listId) }),
        describe: (p, contactId) => `add contact ${contactId} to the list ${String(p.listId)}`,
      },
      move_to_status: {
        perform: (p, e, contactId) =>
          pipelines.moveContact({ projectId: e.projectId, contactId, pipelineId: String(p.pipelineId), statusId: String(p.statusId) }),
        describe: (p, contactId) => `move contact ${contactId} to status ${String(p.statusId)} of pipeline ${String(p.pipelineId)}`,
      },
      create_note: {
        perform: async (p, e, contactId) => ({
          result: await notes.createNote({ projectId: e.projectId, contactId, text: String(p.text), pinned: p.pinned === true }),
        }),
        describe: (p, contactId) => `add ${p.pinned ? 'a pinned' : 'a'} note ${JSON.stringify(p.text)} to contact ${contactId}`,
      },
      send_message: {
        perform: async (p, e, contactId) => ({
          result: await conversations.sendMessage({
            projectId: e.projectId,
            contactId,
            text: String(p.text),
            ...(p.channelId ? { channelId: String(p.channelId) } : {}),
            ...(p.agentId ? { agentId: String(p.agentId) } : {}),
          }),
        }),
        describe: (p, contactId) =>
          `send contact ${contactId} the message ${JSON.stringify(p.text)}${p.channelId ? ` through channel ${String(p.channelId)}` : ''}`,
      },
      assign_agent: {
        perform: async (p, e, contactId) => {
          const assigned = await conversations.assignActiveSession({ projectId: e.projectId, contactId, agentId: String(p.agentId) });
          return assigned ? { result: assigned } : { skipped: 'the contact has no active session' };
        },
        describe: (p, contactId) => `assign the active session of contact ${contactId} (if any) to agent ${String(p.agentId)}`,
      },
      send_webhook: {
        // The event's own id is the delivery's webhook-id: a receiver de-duplicating on it sees each event once.
        perform: async (p, e) => ({
          result: await webhooks.deliverTo({
            projectId: e.projectId,
            subscriptionId: String(p.subscriptionId),
            event: { id: e.eventId, type: e.type, occurredAt: e.occurredAt.toISOString(), data: e.data },
          }),
        }),
        describe: (p) => `deliver the event, signed, to webhook subscription ${String(p.subscriptionId)}`,
      },
    };
  }

  /** The action types this engine can run (the catalog's, checked by a unit test). */
  get types(): string[] {
    return Object.keys(this.handlers);
  }

  async perform(action: AutomationAction, event: TriggerEvent): Promise<ActionResult> {
    if (!event.contactId && needsContact(action)) throw AutomationsErrors.noContact();
    return (await this.handler(action).perform(action.params, event, event.contactId ?? '')) ?? {};
  }

  describe(action: AutomationAction, contactId: string | null): string {
    if (!contactId && needsContact(action)) return 'nothing: the event concerns no contact';
    return this.handler(action).describe(action.params, contactId ?? '');
  }

  private handler(action: AutomationAction): ActionHandler {
    const handler = this.handlers[action.type];
    // Definitions are validated against the catalog; an unknown type here is a catalog/engine mismatch.
    if (!handler) throw new Error(`no handler for automation action "${action.type}"`);
    return handler;
  }
}

function needsContact(action: AutomationAction): boolean {
  return ACTIONS.find((a) => a.type === action.type)?.contact !== false;
}
