import { Contacts1764000002000 } from '#migrations/1764000002000-contacts';
import { ContactIdentities1764000012500 } from '#migrations/1764000012500-contact-identities';
import type { BoundedContext } from '#platform/bounded-context';
import { ContactsModule } from './contacts.module';
import { ContactCustomFieldEntity } from './infrastructure/contact-custom-field.entity';
import { ContactListEntity } from './infrastructure/contact-list.entity';
import { ContactEntity } from './infrastructure/contact.entity';
import { CONTACTS_ENTITIES } from './infrastructure/contacts.entities';
import { TypeormContactListRepository } from './infrastructure/typeorm-contact-list.repository';
import { TypeormContactRepository } from './infrastructure/typeorm-contact.repository';
import { TypeormCustomFieldRepository } from './infrastructure/typeorm-custom-field.repository';

export const CONTACTS_CONTEXT: BoundedContext = {
  name: 'contacts',
  module: ContactsModule,
  entities: CONTACTS_ENTITIES,
  repositories: [
    { entity: ContactEntity, adapter: TypeormContactRepository },
    { entity: ContactListEntity, adapter: TypeormContactListRepository },
    { entity: ContactCustomFieldEntity, adapter: TypeormCustomFieldRepository },
  ],
  migrations: [Contacts1764000002000, ContactIdentities1764000012500],
};
