import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CREDENTIAL_RESOLVER } from '#tenancy';
import { CreateApiKeyHandler, ListApiKeysHandler, RevokeApiKeyHandler } from './application/api-key.commands';
import { IdentityCredentialResolver } from './application/credential-resolver.service';
import { LoginHandler } from './application/login.query';
import { AddMemberHandler, ChangeMemberHandler } from './application/member.commands';
import { PasswordHasher } from './application/password-hasher';
import { CredentialCache } from './application/credential-cache';
import { CredentialLookups } from './infrastructure/credential-lookups';
import { ChangeProjectHandler, CreateProjectHandler } from './application/project.commands';
import { RegisterHandler } from './application/register.command';
import { PROJECT_MEMBER_REPOSITORY, PROJECT_REPOSITORY } from './domain/identity.repositories';
import { ApiKeysController } from './http/api-keys.controller';
import { AuthController } from './http/auth.controller';
import { MembersController } from './http/members.controller';
import { ProjectsController } from './http/projects.controller';
import { IDENTITY_ENTITIES } from './infrastructure/identity.entities';
import { TypeormProjectMemberRepository } from './infrastructure/typeorm-project-member.repository';
import { TypeormProjectRepository } from './infrastructure/typeorm-project.repository';

@Module({
  imports: [TypeOrmModule.forFeature(IDENTITY_ENTITIES), JwtModule.register({})],
  controllers: [AuthController, ApiKeysController, ProjectsController, MembersController],
  providers: [
    PasswordHasher,
    CredentialCache,
    CredentialLookups,
    { provide: CREDENTIAL_RESOLVER, useClass: IdentityCredentialResolver },
    { provide: PROJECT_REPOSITORY, useClass: TypeormProjectRepository },
    { provide: PROJECT_MEMBER_REPOSITORY, useClass: TypeormProjectMemberRepository },
    RegisterHandler,
    LoginHandler,
    ListApiKeysHandler,
    CreateApiKeyHandler,
    RevokeApiKeyHandler,
    CreateProjectHandler,
    ChangeProjectHandler,
    AddMemberHandler,
    ChangeMemberHandler,
  ],
  exports: [CREDENTIAL_RESOLVER],
})
export class IdentityModule {}
