// The `max` metadata checks number ranges per country, not only lengths (`+49 100 0000000` is long enough, but no number).
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { ContactsErrors } from '../contacts.errors';
import type { CustomFieldType } from '../contacts.events';

export type { CustomFieldType } from '../contacts.events';

/** RFC 5322 dot-atom local part: no leading, trailing or consecutive dots. */
const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
/** A host name label: letters, digits and inner hyphens, at most 63 characters. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** A top-level domain: letters (or an IDN's `xn--` form), never all digits. */
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/** Emails are stored trimmed and lower-cased, so duplicates are found whatever the spelling. */
export function normalizeEmail(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const email = value.trim().toLowerCase();
  if (email.length > 254 || !isEmail(email)) throw ContactsErrors.invalidEmail(value);
  return email;
}

/** An address of a mailbox on the internet: `local@host.tld`, without quoted local parts or IP literals. */
function isEmail(email: string): boolean {
  const at = email.lastIndexOf('@');
  if (at < 1) return false;
  const [local, labels] = [email.slice(0, at), email.slice(at + 1).split('.')];
  return (
    local.length <= 64 && LOCAL_PART.test(local) && labels.length >= 2 && labels.every((l) => LABEL.test(l)) && TLD.test(labels.at(-1)!)
  );
}

/** Phones are stored in E.164 (`+5511987654321`); numbers without a country code need `defaultCountry`. */
export function normalizePhone(value: string | null | undefined, defaultCountry?: string): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const phone = parsePhoneNumberFromString(value, defaultCountry as never);
  if (phone?.ext) throw ContactsErrors.phoneExtension(value);
  if (!phone || !phone.isValid()) throw ContactsErrors.invalidPhone(value);
  return phone.number;
}

/** An IANA time zone (`America/Sao_Paulo`, `UTC`), stored as given; offsets like `+02:00` are not zones. */
export function validTimezone(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  if (/^[+-]/.test(value) || !isTimeZone(value)) throw ContactsErrors.invalidTimezone(value);
  return value;
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** A BCP 47 language tag (`en`, `pt-BR`), stored as given. */
export function validLanguage(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  try {
    Intl.getCanonicalLocales(value);
  } catch {
    throw ContactsErrors.invalidLanguage(value);
  }
  return value;
}

/** An absolute http(s) URL, stored as given. */
export function validHttpUrl(field: string, value: string | null | undefined): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw ContactsErrors.invalidUrl(field, value);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) throw ContactsErrors.invalidUrl(field, value);
  return value;
}

export function normalizeTags(tags: readonly string[] | undefined): string[] {
  return [...new Set((tags ?? []).map((t) => t.trim()).filter((t) => t.length > 0))].sort();
}

export interface CustomFieldDefinition {
  key: string;
  type: CustomFieldType;
}

/**
 * Keys a plain object already answers (`constructor`, `toString`, `__proto__`, ...): a value stored under one
 * would be shadowed or dropped by code that reads objects by key, so such keys cannot be defined.
 */
export function isReservedKey(key: string): boolean {
  return key in Object.prototype || key === '__proto__';
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
    else if (value !== null && !fits(def.type, value))
      errors.push(
        def.type === 'date' ? `"${key}" must be a date (YYYY-MM-DD, or a timestamp with its zone)` : `"${key}" must be a ${def.type}`,
      );
  }
  if (errors.length > 0) {
    const shown = errors.slice(0, 10).join('; ');
    const more = errors.length > 10 ? `; and ${errors.length - 10} more` : '';
    throw ContactsErrors.invalidCustomFields(`${shown}${more}`);
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
      return typeof value === 'string' && isIsoDate(value);
  }
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2})))?$/;

/**
 * A calendar date (`2024-02-29`), or an ISO-8601 timestamp with its zone (`2024-02-29T10:00:00Z`): every part in
 * range, so `2020-02-30` or `T24:00` are refused rather than rolled over by `Date.parse`.
 */
export function isIsoDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return false;
  if (m[4] === undefined) return true;
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) return false;
  return m[8] === undefined || (Number(m[8]) <= 23 && Number(m[9]) <= 59);
}
