import { ContactState } from '../domain/contact';
import { ContactEntity } from './contact.entity';

export function toContactState(row: ContactEntity): ContactState {
  return {
    id: row.id,
    tenantId: row.tenantId,
    projectId: row.projectId,
    name: row.name,
    email: row.email,
    phone: row.phone,
    externalId: row.externalId,
    sourceChannel: row.sourceChannel,
    language: row.language,
    timezone: row.timezone,
    tags: row.tags ?? [],
    customFields: row.customFields ?? {},
    profilePictureUrl: row.profilePictureUrl,
    version: row.version,
    deletedAt: row.deletedAt ?? null,
  };
}

/** The API's view of a contact. */
export function toContactView(row: ContactEntity | (ContactState & { createdAt?: Date; updatedAt?: Date })) {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    externalId: row.externalId,
    sourceChannel: row.sourceChannel,
    language: row.language,
    timezone: row.timezone,
    tags: row.tags ?? [],
    customFields: row.customFields ?? {},
    profilePictureUrl: row.profilePictureUrl,
    version: row.version,
    createdAt: 'createdAt' in row ? row.createdAt : undefined,
    updatedAt: 'updatedAt' in row ? row.updatedAt : undefined,
    deletedAt: row.deletedAt ?? null,
  };
}
