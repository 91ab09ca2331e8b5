import { ContactRecord } from '../application/contact.views';
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
    firstTouch: row.firstTouch ?? null,
    version: row.version,
    deletedAt: row.deletedAt ?? null,
  };
}

/** A row as a record with its timestamps (what the views are made from). */
export function toContactRecord(row: ContactEntity): ContactRecord {
  return { ...toContactState(row), createdAt: row.createdAt, updatedAt: row.updatedAt };
}
