import { DomainError, NotFoundError, ValidationError } from '#kernel';

/*
 * Every error code the contacts context answers with, in one place: clients match on these codes, so they are
 * part of the published contract. Each factory makes the error a client gets.
 */

/** The resources whose absence answers 404 with `<resource>.not_found`. */
export type ContactsResource = 'contact' | 'contact_list' | 'custom_field' | 'contact_version';

export const ContactsErrors = {
  notFound: (resource: ContactsResource, id?: string) => new NotFoundError(resource, id),

  // contact
  duplicateEmail: () => new DomainError('conflict', 'contact.duplicate_email', 'Another contact of this project has this email'),
  duplicatePhone: () => new DomainError('conflict', 'contact.duplicate_phone', 'Another contact of this project has this phone'),
  duplicateExternalId: () =>
    new DomainError('conflict', 'contact.duplicate_external_id', 'Another contact of this project has this external id'),
  identityRequired: () =>
    new ValidationError('contact.identity_required', 'A contact needs at least a name, an email, a phone or an external id'),
  contactDeleted: () => new DomainError('conflict', 'contact.deleted', 'A deleted contact cannot be changed; restore it first'),
  contactAlreadyDeleted: () => new DomainError('conflict', 'contact.already_deleted', 'The contact is already deleted'),
  contactNotDeleted: () => new DomainError('conflict', 'contact.not_deleted', 'The contact is not deleted'),
  invalidVersion: () => new ValidationError('contact.invalid_version', 'version must be a positive integer (versions start at 1)'),
  invalidEmail: (value: string) =>
    new ValidationError('contact.invalid_email', `"${value}" is not a valid email address`, { field: 'email' }),
  phoneExtension: (value: string) =>
    new ValidationError('contact.phone_extension', `"${value}" has an extension; store the number without it`, { field: 'phone' }),
  invalidPhone: (value: string) =>
    new ValidationError(
      'contact.invalid_phone',
      `"${value}" is not a valid phone number; use the international format, e.g. +14155552671`,
      {
        field: 'phone',
      },
    ),
  invalidTimezone: (value: string) =>
    new ValidationError('contact.invalid_timezone', `"${value}" is not an IANA time zone, e.g. America/Sao_Paulo`, { field: 'timezone' }),
  invalidLanguage: (value: string) =>
    new ValidationError('contact.invalid_language', `"${value}" is not a BCP 47 language tag, e.g. en or pt-BR`, { field: 'language' }),
  invalidUrl: (field: string, value: string) => new ValidationError('contact.invalid_url', `"${value}" is not an http(s) URL`, { field }),
  invalidIdentity: () =>
    new ValidationError('contact.invalid_identity', 'An identity needs a known kind (whatsapp_lid) and a value of 1 to 200 characters'),
  invalidCustomFields: (message: string) => new ValidationError('contact.invalid_custom_fields', message, { field: 'customFields' }),

  // contact_list
  listNameRequired: () => new ValidationError('contact_list.name_required', 'A list needs a name'),
  duplicateListName: () => new DomainError('conflict', 'contact_list.duplicate_name', 'Another list of this project has this name'),
  listDeleted: () => new DomainError('conflict', 'contact_list.deleted', 'A deleted list cannot be changed; restore it first'),
  listAlreadyDeleted: () => new DomainError('conflict', 'contact_list.already_deleted', 'The list is already deleted'),
  listNotDeleted: () => new DomainError('conflict', 'contact_list.not_deleted', 'The list is not deleted'),
  unknownContacts: (contactIds: string[]) =>
    new ValidationError('contact_list.unknown_contacts', 'Some contacts do not exist in this project', { contactIds }),

  // custom_field
  duplicateFieldKey: (key: string) => new DomainError('conflict', 'custom_field.duplicate_key', `A custom field "${key}" already exists`),
  reservedFieldKey: (key: string) =>
    new ValidationError('custom_field.reserved_key', `"${key}" is reserved (a built-in property name); choose another key`, {
      field: 'key',
    }),
  invalidFieldKey: (key: string) =>
    new ValidationError('custom_field.invalid_key', `"${key}" must start with a letter; letters, digits, _ and - only`, { field: 'key' }),
  fieldLabelRequired: () => new ValidationError('custom_field.label_required', 'A custom field needs a label', { field: 'label' }),
} as const;
