import { Kernel1764000000000 } from './1764000000000-kernel';
import { Identity1764000001000 } from './1764000001000-identity';
import { Contacts1764000002000 } from './1764000002000-contacts';
import { OutboxBacklog1764000003500 } from './1764000003500-outbox-backlog';

/** Every migration, in order. A new migration is added here. */
export const MIGRATIONS = [Kernel1764000000000, Identity1764000001000, Contacts1764000002000, OutboxBacklog1764000003500];
