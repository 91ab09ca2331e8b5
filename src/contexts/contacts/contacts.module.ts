import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ChangeContactListHandler, ChangeListMembershipHandler, CreateContactListHandler } from './application/contact-list.commands';
import { GetContactListHandler, ListContactListMembersHandler, ListContactListsHandler } from './application/contact-list.queries';
import {
  ChangeContactTagsHandler,
  ChangeContactHandler,
  CreateContactHandler,
  FindOrCreateContactByIdentityHandler,
  FindOrCreateContactByPhoneHandler,
  SetContactCustomFieldHandler,
  RecordFirstTouchHandler,
} from './application/contact.commands';
import {
  ContactAtVersionHandler,
  ContactTimelineHandler,
  GetContactHandler,
  GetContactSummaryHandler,
  ListContactsHandler,
} from './application/contact.queries';
import { ContactExport } from './application/contact-export';
import { CancelImportHandler, ImportContactsHandler } from './application/contact-import.commands';
import { CONTACT_BULK_STORE, CONTACT_IMPORT_REPOSITORY } from './application/contact-import.ports';
import { GetImportHandler, ListImportsHandler } from './application/contact-import.queries';
import { ContactTimelineConsumer } from './application/contact-timeline.consumer';
import { ConversationTimelineConsumer } from './application/conversation-timeline.consumer';
import { ContactsApiService } from './application/contacts-api.service';
import { DefineCustomFieldHandler, DeleteCustomFieldHandler, RelabelCustomFieldHandler } from './application/custom-field.commands';
import { ListCustomFieldsHandler } from './application/custom-field.queries';
import { CONTACT_LIST_READ_MODEL, CONTACT_READ_MODEL, CUSTOM_FIELD_READ_MODEL } from './application/contacts.read-models';
import { CONTACTS_API } from './contacts.api';
import { CONTACT_LIST_REPOSITORY, CONTACT_REPOSITORY, CUSTOM_FIELD_REPOSITORY } from './domain/contacts.repositories';
import { ContactListsController } from './http/contact-lists.controller';
import { ContactTransfersController } from './http/contact-transfers.controller';
import { ContactsController } from './http/contacts.controller';
import { CustomFieldsController } from './http/custom-fields.controller';
import { ImportsController } from './http/imports.controller';
import { CONTACTS_ENTITIES } from './infrastructure/contacts.entities';
import { TypeormContactBulkStore } from './infrastructure/typeorm-contact-bulk.store';
import { TypeormContactImportRepository } from './infrastructure/typeorm-contact-import.repository';
import { TypeormContactListRepository } from './infrastructure/typeorm-contact-list.repository';
import { TypeormContactRepository } from './infrastructure/typeorm-contact.repository';
import {
  TypeormContactListReadModel,
  TypeormContactReadModel,
  TypeormCustomFieldReadModel,
} from './infrastructure/typeorm-contacts.read-models';
import { TypeormCustomFieldRepository } from './infrastructure/typeorm-custom-field.repository';

@Module({
  imports: [TypeOrmModule.forFeature(CONTACTS_ENTITIES)],
  // Transfers first: `/contacts/export` must not be taken for `/contacts/{id}`.
  controllers: [ContactTransfersController, ContactsController, ContactListsController, CustomFieldsController, ImportsController],
  providers: [
    { provide: CONTACT_REPOSITORY, useClass: TypeormContactRepository },
    { provide: CONTACT_LIST_REPOSITORY, useClass: TypeormContactListRepository },
    { provide: CUSTOM_FIELD_REPOSITORY, useClass: TypeormCustomFieldRepository },
    { provide: CONTACT_READ_MODEL, useClass: TypeormContactReadModel },
    { provide: CONTACT_LIST_READ_MODEL, useClass: TypeormContactListReadModel },
    { provide: CUSTOM_FIELD_READ_MODEL, useClass: TypeormCustomFieldReadModel },
    { provide: CONTACTS_API, useClass: ContactsApiService },
    { provide: CONTACT_IMPORT_REPOSITORY, useClass: TypeormContactImportRepository },
    { provide: CONTACT_BULK_STORE, useClass: TypeormContactBulkStore },
    // contacts
    CreateContactHandler,
    ChangeContactHandler,
    FindOrCreateContactByPhoneHandler,
    ChangeContactTagsHandler,
    SetContactCustomFieldHandler,
    FindOrCreateContactByIdentityHandler,
    RecordFirstTouchHandler,
    ListContactsHandler,
    GetContactHandler,
    GetContactSummaryHandler,
    ContactTimelineHandler,
    ContactAtVersionHandler,
    ContactTimelineConsumer,
    ConversationTimelineConsumer,
    // imports and exports
    ImportContactsHandler,
    CancelImportHandler,
    GetImportHandler,
    ListImportsHandler,
    ContactExport,
    // lists
    CreateContactListHandler,
    ChangeContactListHandler,
    ChangeListMembershipHandler,
    ListContactListsHandler,
    GetContactListHandler,
    ListContactListMembersHandler,
    // custom fields
    DefineCustomFieldHandler,
    RelabelCustomFieldHandler,
    DeleteCustomFieldHandler,
    ListCustomFieldsHandler,
  ],
  exports: [CONTACTS_API],
})
export class ContactsModule {}
