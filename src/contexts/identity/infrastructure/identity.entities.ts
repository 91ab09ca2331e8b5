import { ApiKeyEntity } from './api-key.entity';
import { BillingAccountEntity } from './billing-account.entity';
import { ProjectInvitationEntity } from './project-invitation.entity';
import { ProjectMemberEntity } from './project-member.entity';
import { ProjectEntity } from './project.entity';
import { TenantEntity } from './tenant.entity';
import { UserEntity } from './user.entity';

export const IDENTITY_ENTITIES = [
  TenantEntity,
  UserEntity,
  BillingAccountEntity,
  ProjectEntity,
  ProjectMemberEntity,
  ApiKeyEntity,
  ProjectInvitationEntity,
];
