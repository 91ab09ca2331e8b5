import type { ExpectedVersion } from '#kernel';
import type { ApiKey } from './api-key';
import type { Project } from './project';
import type { ProjectInvitation } from './project-invitation';
import type { ProjectMember } from './project-member';
import type { Tenant } from './tenant';
import type { User } from './user';

/** Port: projects of the current tenant (RLS hides every other tenant's). */
export interface ProjectRepository {
  findById(id: string, options?: { withDeleted?: boolean }): Promise<Project | null>;
  /** Active, not deleted projects of the current tenant other than `exceptId`. */
  countOtherActive(exceptId: string): Promise<number>;
  save(project: Project, expected?: ExpectedVersion): Promise<void>;
}

/** Port: memberships of the current tenant. */
export interface ProjectMemberRepository {
  findById(projectId: string, id: string): Promise<ProjectMember | null>;
  findByUser(projectId: string, userId: string): Promise<ProjectMember | null>;
  /** Whether a current member of the project has this (lower-case) email. */
  isMemberByEmail(projectId: string, email: string): Promise<boolean>;
  countAdmins(projectId: string, exceptMemberId: string): Promise<number>;
  save(member: ProjectMember, expected?: ExpectedVersion): Promise<void>;
}

/** Port: API keys of the current tenant. */
export interface ApiKeyRepository {
  findById(id: string): Promise<ApiKey | null>;
  /** Keys of a user in a project that still work (not expired); locks the user's membership so two creates count in turn. */
  countActive(projectId: string, userId: string): Promise<number>;
  /** Inserts a new key, or deletes a revoked one; either way appends its events. */
  save(key: ApiKey): Promise<void>;
}

/** Port: invitations of the current tenant. */
export interface ProjectInvitationRepository {
  findById(id: string): Promise<ProjectInvitation | null>;
  findPending(projectId: string, email: string): Promise<ProjectInvitation | null>;
  save(invitation: ProjectInvitation, expected?: ExpectedVersion): Promise<void>;
}

/** Port: sign-up writes (a new user and a new tenant, in the new tenant's transaction). */
export interface RegistrationRepository {
  saveUser(user: User): Promise<void>;
  saveTenant(tenant: Tenant): Promise<void>;
}

export const PROJECT_REPOSITORY = Symbol('ProjectRepository');
export const PROJECT_MEMBER_REPOSITORY = Symbol('ProjectMemberRepository');
export const API_KEY_REPOSITORY = Symbol('ApiKeyRepository');
export const REGISTRATION_REPOSITORY = Symbol('RegistrationRepository');
export const PROJECT_INVITATION_REPOSITORY = Symbol('ProjectInvitationRepository');
