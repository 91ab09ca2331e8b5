import { Principal } from './principal';

/** Port implemented by the identity context: turns a bearer token (API key or user JWT) into who is calling. */
export interface CredentialResolver {
  /** A project-scoped principal; a user JWT selects its project with `projectId` (X-Project-Id). Null: invalid. */
  resolve(token: string, projectId: string | undefined): Promise<Principal | null>;
  /** The signed-in user of a JWT, for routes that need no project. Null: invalid. */
  resolveUser(token: string): Promise<{ userId: string } | null>;
}

export const CREDENTIAL_RESOLVER = Symbol('CREDENTIAL_RESOLVER');
