import { Identity1764000001000 } from '#migrations/1764000001000-identity';
import type { BoundedContext } from '#platform/bounded-context';
import { IdentityModule } from './identity.module';
import { IDENTITY_ENTITIES } from './infrastructure/identity.entities';
import { ProjectMemberEntity } from './infrastructure/project-member.entity';
import { ProjectEntity } from './infrastructure/project.entity';
import { TypeormProjectMemberRepository } from './infrastructure/typeorm-project-member.repository';
import { TypeormProjectRepository } from './infrastructure/typeorm-project.repository';

export const IDENTITY_CONTEXT: BoundedContext = {
  name: 'identity',
  module: IdentityModule,
  entities: IDENTITY_ENTITIES,
  repositories: [
    { entity: ProjectEntity, adapter: TypeormProjectRepository },
    { entity: ProjectMemberEntity, adapter: TypeormProjectMemberRepository },
  ],
  migrations: [Identity1764000001000],
};
