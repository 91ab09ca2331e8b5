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

/** The API's view of a contact: its state without the tenancy keys, with its timestamps when known. */
export function toContactView(row: ContactEntity | (ContactState & { createdAt?: Date; updatedAt?: Date })) {
  const { tenantId: _tenantId, projectId: _projectId, ...fields } = row instanceof ContactEntity ? toContactState(row) : row;
  return { ...fields, createdAt: row.createdAt, updatedAt: row.updatedAt };
}
