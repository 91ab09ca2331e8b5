import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PROJECT_ROLES, ProjectRole } from '#tenancy';

// What the identity routes return; each class mirrors a view of the controllers or a result of the handlers.

/** A project (the projects controller's `view`). */
export class ProjectResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Default' }) name: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) configuration: Record<string, unknown>;
  @ApiProperty() active: boolean;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 10080, example: 30 }) sessionTimeoutMinutes: number;
  @ApiProperty({ format: 'uuid' }) createdBy: string;
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 }) version: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deletedAt: Date | null;
  @ApiPropertyOptional({ enum: PROJECT_ROLES, description: 'Your role in the project (on GET /projects and GET /projects/{id})' })
  role?: ProjectRole;
}

/** A member of the project (the members controller's `view`). */
export class MemberResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ example: 'ada@example.com' }) email: string;
  @ApiProperty({ example: 'Ada Lovelace' }) name: string;
  @ApiProperty({ enum: PROJECT_ROLES }) role: ProjectRole;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The user who added the member' }) invitedBy: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) invitedAt: Date;
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 }) version: number;
}

/** An API key, without its secret (ApiKeyView). */
export class ApiKeyResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'CI importer' }) name: string;
  @ApiProperty({ description: 'The first characters of the key, to recognise it', example: 'crm_AbCdEf12' }) prefix: string;
  @ApiProperty({ format: 'uuid', description: 'The user the key acts as' }) userId: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Recorded at most once a minute' })
  lastUsedAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

/** A new API key, with its secret: shown this once. */
export class CreatedApiKeyResponse extends ApiKeyResponse {
  @ApiProperty({ description: 'The secret: send it as `Authorization: Bearer <key>`; it is never shown again' }) key: string;
}

export class RegisteredUserResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'ada@example.com' }) email: string;
  @ApiProperty({ example: 'Ada Lovelace' }) name: string;
}

export class NamedResourceResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

export class RegisteredApiKeyResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Default key' }) name: string;
  @ApiProperty({ example: 'crm_AbCdEf12' }) prefix: string;
  @ApiProperty({ description: 'The secret, shown this once' }) key: string;
}

/** The account made by POST /auth/register (Registration). */
export class RegistrationResponse {
  @ApiProperty({ type: RegisteredUserResponse }) user: RegisteredUserResponse;
  @ApiProperty({ type: NamedResourceResponse }) tenant: NamedResourceResponse;
  @ApiProperty({ type: NamedResourceResponse, description: 'The first project, "Default"; you are its admin' })
  project: NamedResourceResponse;
  @ApiProperty({ type: RegisteredApiKeyResponse, description: 'An API key for the first project' }) apiKey: RegisteredApiKeyResponse;
}

export class LoginProjectResponse {
  @ApiProperty({ format: 'uuid', description: 'Send it as X-Project-Id' }) projectId: string;
  @ApiProperty() projectName: string;
  @ApiProperty({ enum: PROJECT_ROLES }) role: ProjectRole;
}

/** A user token (LoginResult). */
export class LoginResponse {
  @ApiProperty({ description: 'A JWT: send it as `Authorization: Bearer <token>` with X-Project-Id' }) accessToken: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType: 'Bearer';
  @ApiProperty({ type: 'integer', description: 'Seconds until the token expires', example: 900 }) expiresIn: number;
  @ApiProperty({ type: [LoginProjectResponse], description: 'The projects you are a member of' }) projects: LoginProjectResponse[];
}

export class MembershipResponse {
  @ApiProperty({ format: 'uuid' }) projectId: string;
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty() projectName: string;
  @ApiProperty({ enum: PROJECT_ROLES }) role: ProjectRole;
}

/** The signed-in user (GET /auth/me). */
export class MeResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'ada@example.com' }) email: string;
  @ApiProperty({ example: 'Ada Lovelace' }) name: string;
  @ApiProperty({ enum: ['active', 'suspended'] }) status: 'active' | 'suspended';
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: [MembershipResponse] }) projects: MembershipResponse[];
}

/** An invitation, as its project's admins see it (InvitationView): never who owns the address. */
export class InvitationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) projectId: string;
  @ApiProperty({ example: 'grace@example.com', description: 'Lower-cased' }) email: string;
  @ApiProperty({ enum: PROJECT_ROLES, description: 'The role the invitee gets by accepting' }) role: ProjectRole;
  @ApiProperty({ enum: ['pending', 'accepted', 'declined', 'expired', 'revoked'], example: 'pending' }) status: string;
  @ApiProperty({ format: 'uuid', description: 'The admin who invited' }) invitedBy: string;
  @ApiProperty({ type: String, format: 'date-time' }) expiresAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 }) version: number;
}

/** An invitation addressed to you (PendingInvitation). */
export class PendingInvitationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty({ example: 'Analytical Engines Ltd', description: 'The organisation that invites you' }) tenantName: string;
  @ApiProperty({ format: 'uuid' }) projectId: string;
  @ApiProperty({ example: 'Default' }) projectName: string;
  @ApiProperty({ enum: PROJECT_ROLES }) role: ProjectRole;
  @ApiProperty({ type: String, format: 'date-time' }) expiresAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

/** The project you joined by accepting (JoinedProject): send its id as X-Project-Id. */
export class JoinedProjectResponse {
  @ApiProperty({ format: 'uuid' }) projectId: string;
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty() projectName: string;
  @ApiProperty({ enum: PROJECT_ROLES }) role: ProjectRole;
}
