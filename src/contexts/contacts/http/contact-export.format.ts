import { ContactRecord } from '../application/contact.views';
import { CustomFieldDefinition } from '../domain/contact-values';
import { csvCell } from './csv';
import { CSV_COLUMNS } from './upload-records';

/** An exported contact is a create body (so an export imports back as it is): its fields, no id or timestamps. */
function body(c: ContactRecord) {
  return {
    name: c.name,
    email: c.email,
    phone: c.phone,
    externalId: c.externalId,
    sourceChannel: c.sourceChannel,
    language: c.language,
    timezone: c.timezone,
    tags: c.tags,
    customFields: c.customFields,
    profilePictureUrl: c.profilePictureUrl,
  };
}

export function ndjsonLines(page: readonly ContactRecord[]): string {
  return page.map((c) => `${JSON.stringify(body(c))}\n`).join('');
}

/** The import's columns: the fields, then one `customFields.<key>` per custom field of the project. */
export function csvHeader(definitions: readonly CustomFieldDefinition[]): string {
  return `${[...CSV_COLUMNS, ...definitions.map((d) => `customFields.${d.key}`)].map(csvCell).join(',')}\r\n`;
}

export function csvRows(page: readonly ContactRecord[], definitions: readonly CustomFieldDefinition[]): string {
  return page
    .map((c) => {
      const fields = body(c);
      const cells = CSV_COLUMNS.map((column) => (column === 'tags' ? fields.tags.join('|') : (fields[column] ?? '')));
      for (const d of definitions) cells.push(textOf(c.customFields[d.key]));
      return `${cells.map(csvCell).join(',')}\r\n`;
    })
    .join('');
}

function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
