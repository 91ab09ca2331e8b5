import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ChangeContactListHandler, ChangeListMembershipHandler, CreateContactListHandler } from './application/contact-list.commands';
import { ChangeContactHandler, CreateContactHandler } from './application/contact.commands';
import { ContactAtVersionHandler, ContactTimelineHandler, ListContactsHandler } from './application/contact.queries';
import { ContactTimelineConsumer } from './application/contact-timeline.consumer';
import { ChangeCustomFieldHandler, DefineCustomFieldHandler } from './application/custom-field.commands';
import { CONTACT_LIST_REPOSITORY, CONTACT_REPOSITORY, CUSTOM_FIELD_REPOSITORY } from './domain/contacts.repositories';
import { ContactListsController } from './http/contact-lists.controller';
import { ContactsController } from './http/contacts.controller';
import { CustomFieldsController } from './http/custom-fields.controller';
import { CONTACTS_ENTITIES } from './infrastructure/contacts.entities';
import { TypeormContactListRepository } from './infrastructure/typeorm-contact-list.repository';
import { TypeormContactRepository } from './infrastructure/typeorm-contact.repository';
import { TypeormCustomFieldRepository } from './infrastructure/typeorm-custom-field.repository';

@Module({
  imports: [TypeOrmModule.forFeature(CONTACTS_ENTITIES)],
  controllers: [ContactsController, ContactListsController, CustomFieldsController],
  providers: [
    { provide: CONTACT_REPOSITORY, useClass: TypeormContactRepository },
    { provide: CONTACT_LIST_REPOSITORY, useClass: TypeormContactListRepository },
    { provide: CUSTOM_FIELD_REPOSITORY, useClass: TypeormCustomFieldRepository },
    CreateContactHandler,
    ChangeContactHandler,
    ListContactsHandler,
    ContactTimelineHandler,
    ContactAtVersionHandler,
    CreateContactListHandler,
    ChangeContactListHandler,
    ChangeListMembershipHandler,
    DefineCustomFieldHandler,
    ChangeCustomFieldHandler,
    ContactTimelineConsumer,
  ],
})
export class ContactsModule {}
