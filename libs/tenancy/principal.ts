export const PROJECT_ROLES = ['admin', 'manager', 'user', 'readonly'] as const;
export type ProjectRole = (typeof PROJECT_ROLES)[number];

/** Who is calling, resolved from the credential: the tenant always comes from here, never from a body or header. */
export interface Principal {
  readonly kind: 'api_key' | 'user';
  /** What rate limits and Idempotency-Keys are scoped by: the user (for an API key too, so all their keys share one budget). */
  readonly credentialId: string;
  readonly userId: string;
  readonly tenantId: string;
  readonly projectId: string;
  readonly role: ProjectRole;
}

const RANK: Record<ProjectRole, number> = { readonly: 0, user: 1, manager: 2, admin: 3 };

export function roleAtLeast(role: ProjectRole, required: ProjectRole): boolean {
  return RANK[role] >= RANK[required];
}
