import { CONTACTS_ENTITIES } from './contexts/contacts/infrastructure/contacts.entities';
import { ContactListEntity } from './contexts/contacts/infrastructure/contact-list.entity';
import { ContactEntity } from './contexts/contacts/infrastructure/contact.entity';
import { TypeormContactListRepository } from './contexts/contacts/infrastructure/typeorm-contact-list.repository';
import { TypeormContactRepository } from './contexts/contacts/infrastructure/typeorm-contact.repository';
import { ContactCustomFieldEntity } from './contexts/contacts/infrastructure/contact-custom-field.entity';
import { TypeormCustomFieldRepository } from './contexts/contacts/infrastructure/typeorm-custom-field.repository';
import { IDENTITY_ENTITIES } from './contexts/identity/infrastructure/identity.entities';
import { ProjectMemberEntity } from './contexts/identity/infrastructure/project-member.entity';
import { ProjectEntity } from './contexts/identity/infrastructure/project.entity';
import { TypeormProjectMemberRepository } from './contexts/identity/infrastructure/typeorm-project-member.repository';
import { TypeormProjectRepository } from './contexts/identity/infrastructure/typeorm-project.repository';

/**
 * Every TypeORM entity of every context, and which repository adapter persists it. `npm run db:audit` and the
 * migration test read this list; a new context adds its entities and adapters here.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const ENTITIES: Function[] = [...IDENTITY_ENTITIES, ...CONTACTS_ENTITIES];

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const REPOSITORIES: { entity: Function; repository: string }[] = [
  { entity: ProjectEntity, repository: TypeormProjectRepository.name },
  { entity: ProjectMemberEntity, repository: TypeormProjectMemberRepository.name },
  { entity: ContactEntity, repository: TypeormContactRepository.name },
  { entity: ContactListEntity, repository: TypeormContactListRepository.name },
  { entity: ContactCustomFieldEntity, repository: TypeormCustomFieldRepository.name },
];
