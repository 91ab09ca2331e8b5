import type { ProjectRole } from '#tenancy';

/**
 * What other contexts may ask the identity context synchronously (ARCHITECTURE.md §4: a context talks to another
 * through its published events and this port only, never through its tables). Every call answers within the
 * caller's current tenant (its transaction, or a new one of the request's tenant): another tenant's ids answer
 * `undefined`, like missing ones. Inject it with `@Inject(IDENTITY_API)`; IdentityModule exports it.
 */
export interface IdentityApi {
  /** The user's role in the project, or undefined when they are not a member (or were removed). */
  memberOfProject(projectId: string, userId: string): Promise<{ role: ProjectRole } | undefined>;
  /** The member's role with the name and email other contexts show for them (e.g. their agent), or undefined. */
  memberProfile(projectId: string, userId: string): Promise<{ role: ProjectRole; name: string; email: string } | undefined>;
  /** Settings other contexts apply per project: e.g. conversations close after `sessionTimeoutMinutes` idle. */
  projectSettings(projectId: string): Promise<{ sessionTimeoutMinutes: number; active: boolean } | undefined>;
}

export const IDENTITY_API = Symbol('IdentityApi');
