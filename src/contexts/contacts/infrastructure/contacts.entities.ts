import { ContactCustomFieldEntity } from './contact-custom-field.entity';
import { ContactIdentityEntity } from './contact-identity.entity';
import { ContactSnapshotEntity, ContactStoredEventEntity } from './contact-event-store.entity';
import { ContactListMemberEntity } from './contact-list-member.entity';
import { ContactListEntity } from './contact-list.entity';
import { ContactTimelineEntity } from './contact-timeline.entity';
import { ContactEntity } from './contact.entity';

export const CONTACTS_ENTITIES = [
  ContactEntity,
  ContactCustomFieldEntity,
  ContactListEntity,
  ContactListMemberEntity,
  ContactTimelineEntity,
  ContactStoredEventEntity,
  ContactSnapshotEntity,
  ContactIdentityEntity,
];
