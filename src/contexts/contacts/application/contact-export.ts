import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '#persistence/transaction-runner';
import { CustomFieldDefinition } from '../domain/contact-values';
import { CUSTOM_FIELD_REPOSITORY, CustomFieldRepository } from '../domain/contacts.repositories';
import { ContactFilter, toContactSearch } from './contact.queries';
import { ContactRecord } from './contact.views';
import { CONTACT_READ_MODEL, ContactReadModel } from './contacts.read-models';

/** Contacts per page of an export: one short transaction each. */
export const EXPORT_PAGE_ROWS = 1000;

/** An export about to stream: the project's custom fields (CSV columns), and its contacts page by page. */
export interface ContactExportStream {
  definitions: readonly CustomFieldDefinition[];
  pages: AsyncIterable<ContactRecord[]>;
}

/**
 * The contacts of a filtered list (the list's filters and order), read in keyset pages, each in a transaction of
 * its own: memory holds one page whatever the size of the project, and no transaction lasts as long as a slow
 * download. The export is therefore not one snapshot: a contact created during it may be left out, one deleted
 * during it may be missing, none appears twice.
 */
@Injectable()
export class ContactExport {
  constructor(
    private readonly tx: TransactionRunner,
    @Inject(CONTACT_READ_MODEL) private readonly contacts: ContactReadModel,
    @Inject(CUSTOM_FIELD_REPOSITORY) private readonly customFields: CustomFieldRepository,
  ) {}

  /** Checks the filter (a 400 before anything is sent) and answers the stream to come. */
  async open(projectId: string, filter: ContactFilter): Promise<ContactExportStream> {
    const definitions = await this.tx.run(() => this.customFields.definitions(projectId));
    const search = await toContactSearch(filter, async () => definitions);
    const pages = async function* (this: ContactExport): AsyncGenerator<ContactRecord[]> {
      let before: string | undefined;
      for (;;) {
        const page = await this.tx.run(() => this.contacts.search(projectId, search, EXPORT_PAGE_ROWS, before));
        if (page.length > 0) yield page;
        if (page.length < EXPORT_PAGE_ROWS) return;
        before = page[page.length - 1].id;
      }
    }.call(this);
    return { definitions: [...definitions].sort((a, b) => a.key.localeCompare(b.key)), pages };
  }
}
