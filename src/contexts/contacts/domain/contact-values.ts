import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { ValidationError } from '#kernel';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Emails are stored trimmed and lower-cased, so duplicates are found whatever the spelling. */
export function normalizeEmail(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const email = value.trim().toLowerCase();
  if (email.length > 254 || !EMAIL.test(email))
    throw new ValidationError('contact.invalid_email', `"${value}" is not a valid email address`, { field: 'email' });
  return email;
}

/** Phones are stored in E.164 (`+5511987654321`); numbers without a country code need `defaultCountry`. */
export function normalizePhone(value: string | null | undefined, defaultCountry?: string): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const phone = parsePhoneNumberFromString(value, defaultCountry as never);
  if (phone?.ext) {
    throw new ValidationError('contact.phone_extension', `"${value}" has an extension; store the number without it`, { field: 'phone' });
  }
  if (!phone || !phone.isValid()) {
    throw new ValidationError(
      'contact.invalid_phone',
      `"${value}" is not a valid phone number; use the international format, e.g. +14155552671`,
      { field: 'phone' },
    );
  }
  return phone.number;
}

export function normalizeTags(tags: readonly string[] | undefined): string[] {
  return [...new Set((tags ?? []).map((t) => t.trim()).filter((t) => t.length > 0))].sort();
}

export type CustomFieldType = 'text' | 'number' | 'boolean' | 'date';
export interface CustomFieldDefinition {
  key: string;
  type: CustomFieldType;
}

/** Custom field values must be defined for the project and of the defined type; null removes a value. */
export function validateCustomFields(
  values: Record<string, unknown>,
  definitions: readonly CustomFieldDefinition[],
): Record<string, unknown> {
  const byKey = new Map(definitions.map((d) => [d.key, d]));
  const errors: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const def = byKey.get(key);
    // null removes a value, also one whose field has since been deleted
    if (!def && value !== null) errors.push(`"${key}" is not a custom field of this project`);
    else if (!def) continue;
    else if (value !== null && !fits(def.type, value)) errors.push(`"${key}" must be a ${def.type}`);
  }
  if (errors.length > 0) {
    const shown = errors.slice(0, 10).join('; ');
    const more = errors.length > 10 ? `; and ${errors.length - 10} more` : '';
    throw new ValidationError('contact.invalid_custom_fields', `${shown}${more}`, { field: 'customFields' });
  }
  return values;
}

function fits(type: CustomFieldType, value: unknown): boolean {
  switch (type) {
    case 'text':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value));
  }
}
