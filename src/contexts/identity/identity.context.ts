import { Identity1764000001000 } from '#migrations/1764000001000-identity';
import { IdentityInvitations1764000004000 } from '#migrations/1764000004000-identity-invitations';
import type { BoundedContext } from '#platform/bounded-context';
import { IdentityModule } from './identity.module';
import { ApiKeyEntity } from './infrastructure/api-key.entity';
import { IDENTITY_ENTITIES } from './infrastructure/identity.entities';
import { ProjectInvitationEntity } from './infrastructure/project-invitation.entity';
import { ProjectMemberEntity } from './infrastructure/project-member.entity';
import { ProjectEntity } from './infrastructure/project.entity';
import { TenantEntity } from './infrastructure/tenant.entity';
import { UserEntity } from './infrastructure/user.entity';
import { TypeormApiKeyRepository } from './infrastructure/typeorm-api-key.repository';
import { TypeormProjectInvitationRepository } from './infrastructure/typeorm-project-invitation.repository';
import { TypeormProjectMemberRepository } from './infrastructure/typeorm-project-member.repository';
import { TypeormProjectRepository } from './infrastructure/typeorm-project.repository';
import { TypeormRegistrationRepository } from './infrastructure/typeorm-registration.repository';

export const IDENTITY_CONTEXT: BoundedContext = {
  name: 'identity',
  module: IdentityModule,
  entities: IDENTITY_ENTITIES,
  repositories: [
    { entity: ProjectEntity, adapter: TypeormProjectRepository },
    { entity: ProjectMemberEntity, adapter: TypeormProjectMemberRepository },
    { entity: ApiKeyEntity, adapter: TypeormApiKeyRepository },
    { entity: ProjectInvitationEntity, adapter: TypeormProjectInvitationRepository },
    { entity: TenantEntity, adapter: TypeormRegistrationRepository },
    { entity: UserEntity, adapter: TypeormRegistrationRepository },
  ],
  migrations: [Identity1764000001000, IdentityInvitations1764000004000],
};
