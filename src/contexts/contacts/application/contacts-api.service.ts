import { Injectable } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { TransactionRunner } from '#persistence/transaction-runner';
import { RequestContext } from '#tenancy';
import { ContactSummary, ContactsApi } from '../contacts.api';
import type { ContactIdentityKind, FirstTouchAttribution } from '../contacts.events';
import { ChangeListMembershipCommand } from './contact-list.commands';
import {
  ChangeContactTagsCommand,
  FindOrCreateContactByIdentityCommand,
  FindOrCreateContactByPhoneCommand,
  RecordFirstTouchCommand,
  SetContactCustomFieldCommand,
} from './contact.commands';
import { GetContactSummaryQuery } from './contact.queries';
import { ContactsScope } from './contact.views';

/** The contacts port for other contexts: commands and queries over the Contact aggregate, in the caller's tenant. */
@Injectable()
export class ContactsApiService implements ContactsApi {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly tx: TransactionRunner,
    private readonly context: RequestContext,
  ) {}

  async findOrCreateByPhone(input: { projectId: string; phone: string; name?: string }): Promise<{ contactId: string; created: boolean }> {
    const command = new FindOrCreateContactByPhoneCommand(this.scope(input.projectId), input.phone, input.name);
    return this.tx.run(() => this.commands.execute(command));
  }

  async findOrCreateByIdentity(input: {
    projectId: string;
    kind: ContactIdentityKind;
    value: string;
    name?: string;
    phone?: string;
  }): Promise<{ contactId: string; created: boolean }> {
    const command = new FindOrCreateContactByIdentityCommand(this.scope(input.projectId), input.kind, input.value, input.name, input.phone);
    return this.tx.run(() => this.commands.execute(command));
  }

  async recordFirstTouch(input: { projectId: string; contactId: string; attribution: FirstTouchAttribution }): Promise<void> {
    const command = new RecordFirstTouchCommand(this.scope(input.projectId), input.contactId, input.attribution);
    return this.tx.run(() => this.commands.execute(command));
  }

  async getContact(input: { projectId: string; contactId: string }): Promise<ContactSummary | undefined> {
    const query = new GetContactSummaryQuery(this.scope(input.projectId).projectId, input.contactId);
    return this.tx.run(() => this.queries.execute(query));
  }

  async addTags(input: { projectId: string; contactId: string; tags: readonly string[] }): Promise<void> {
    const command = new ChangeContactTagsCommand(this.scope(input.projectId), input.contactId, 'add', input.tags);
    return this.tx.run(() => this.commands.execute(command));
  }

  async removeTags(input: { projectId: string; contactId: string; tags: readonly string[] }): Promise<void> {
    const command = new ChangeContactTagsCommand(this.scope(input.projectId), input.contactId, 'remove', input.tags);
    return this.tx.run(() => this.commands.execute(command));
  }

  async setCustomField(input: { projectId: string; contactId: string; key: string; value: unknown }): Promise<void> {
    const command = new SetContactCustomFieldCommand(this.scope(input.projectId), input.contactId, input.key, input.value);
    return this.tx.run(() => this.commands.execute(command));
  }

  async addToList(input: { projectId: string; contactId: string; listId: string }): Promise<void> {
    const command = new ChangeListMembershipCommand(this.scope(input.projectId), input.listId, [input.contactId], 'add');
    await this.tx.run(() => this.commands.execute(command));
  }

  /** The caller's tenant: RLS would hide every row without it, so a call outside any tenant is a programming error. */
  private scope(projectId: string): ContactsScope {
    const tenantId = this.context.tenantId;
    if (!tenantId) throw new Error('ContactsApi needs a tenant context (a request, or TransactionRunner.runAsTenant)');
    return { tenantId, projectId };
  }
}
