import { Kernel1764000000000 } from './1764000000000-kernel';
import { Identity1764000001000 } from './1764000001000-identity';
import { Contacts1764000002000 } from './1764000002000-contacts';
import { IdentityInvitations1764000004000 } from './1764000004000-identity-invitations';

/** Every migration, in order. A new migration is added here. */
export const MIGRATIONS = [Kernel1764000000000, Identity1764000001000, Contacts1764000002000, IdentityInvitations1764000004000];
