import type { ExpectedVersion } from '#kernel';
import type { Project } from './project';
import type { ProjectMember } from './project-member';

/** Port: projects of the current tenant (RLS hides every other tenant's). */
export interface ProjectRepository {
  findById(id: string, options?: { withDeleted?: boolean }): Promise<Project | null>;
  save(project: Project, expected?: ExpectedVersion): Promise<void>;
}

/** Port: memberships of the current tenant. */
export interface ProjectMemberRepository {
  findById(projectId: string, id: string): Promise<ProjectMember | null>;
  countAdmins(projectId: string, exceptMemberId: string): Promise<number>;
  save(member: ProjectMember, expected?: ExpectedVersion): Promise<void>;
}

export const PROJECT_REPOSITORY = Symbol('ProjectRepository');
export const PROJECT_MEMBER_REPOSITORY = Symbol('ProjectMemberRepository');
