import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CREDENTIAL_RESOLVER } from '#tenancy';
import { CreateApiKeyHandler, ListApiKeysHandler, RevokeApiKeyHandler } from './application/api-key.commands';
import { CredentialCache } from './application/credential-cache';
import { CREDENTIAL_DIRECTORY } from './application/credential-directory';
import { IdentityCredentialResolver } from './application/credential-resolver.service';
import { IdentityApiService } from './application/identity-api.service';
import { LoginHandler } from './application/login.command';
import { MeHandler } from './application/me.query';
import { ChangeMemberHandler } from './application/member.commands';
import { GetMemberHandler, ListMembersHandler } from './application/member.queries';
import { InviteMemberHandler, RespondToInvitationHandler, RevokeInvitationHandler } from './application/invitation.commands';
import { ListMyInvitationsHandler, ListProjectInvitationsHandler } from './application/invitation.queries';
import { SignInLimits } from './application/sign-in-limits';
import { PasswordHasher } from './application/password-hasher';
import { ChangeProjectHandler, CreateProjectHandler } from './application/project.commands';
import { GetProjectHandler, ListProjectsHandler } from './application/project.queries';
import { RegisterHandler } from './application/register.command';
import {
  API_KEY_REPOSITORY,
  PROJECT_INVITATION_REPOSITORY,
  PROJECT_MEMBER_REPOSITORY,
  PROJECT_REPOSITORY,
  REGISTRATION_REPOSITORY,
} from './domain/identity.repositories';
import { ApiKeysController } from './http/api-keys.controller';
import { AuthController } from './http/auth.controller';
import { InvitationsController } from './http/invitations.controller';
import { MembersController } from './http/members.controller';
import { ProjectInvitationsController } from './http/project-invitations.controller';
import { ProjectsController } from './http/projects.controller';
import { IDENTITY_API } from './identity.api';
import { CredentialLookups } from './infrastructure/credential-lookups';
import { IDENTITY_ENTITIES } from './infrastructure/identity.entities';
import { TypeormApiKeyRepository } from './infrastructure/typeorm-api-key.repository';
import { CommonPasswords } from './application/common-passwords';
import { TypeormProjectInvitationRepository } from './infrastructure/typeorm-project-invitation.repository';
import { TypeormProjectMemberRepository } from './infrastructure/typeorm-project-member.repository';
import { TypeormProjectRepository } from './infrastructure/typeorm-project.repository';
import { TypeormRegistrationRepository } from './infrastructure/typeorm-registration.repository';

@Module({
  imports: [TypeOrmModule.forFeature(IDENTITY_ENTITIES), JwtModule.register({})],
  controllers: [
    AuthController,
    ApiKeysController,
    ProjectsController,
    MembersController,
    InvitationsController,
    ProjectInvitationsController,
  ],
  providers: [
    PasswordHasher,
    CommonPasswords,
    SignInLimits,
    CredentialCache,
    CredentialLookups,
    { provide: CREDENTIAL_DIRECTORY, useExisting: CredentialLookups },
    { provide: CREDENTIAL_RESOLVER, useClass: IdentityCredentialResolver },
    { provide: IDENTITY_API, useClass: IdentityApiService },
    { provide: PROJECT_REPOSITORY, useClass: TypeormProjectRepository },
    { provide: PROJECT_MEMBER_REPOSITORY, useClass: TypeormProjectMemberRepository },
    { provide: API_KEY_REPOSITORY, useClass: TypeormApiKeyRepository },
    { provide: REGISTRATION_REPOSITORY, useClass: TypeormRegistrationRepository },
    { provide: PROJECT_INVITATION_REPOSITORY, useClass: TypeormProjectInvitationRepository },
    RegisterHandler,
    LoginHandler,
    MeHandler,
    ListApiKeysHandler,
    CreateApiKeyHandler,
    RevokeApiKeyHandler,
    ListProjectsHandler,
    GetProjectHandler,
    CreateProjectHandler,
    ChangeProjectHandler,
    ListMembersHandler,
    GetMemberHandler,
    ChangeMemberHandler,
    InviteMemberHandler,
    ListMyInvitationsHandler,
    ListProjectInvitationsHandler,
    RespondToInvitationHandler,
    RevokeInvitationHandler,
  ],
  exports: [CREDENTIAL_RESOLVER, IDENTITY_API],
})
export class IdentityModule {}
