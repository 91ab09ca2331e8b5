import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError, ExpectedVersion, assertExpectedVersion, newId } from '#kernel';
import { ContactsErrors } from '../contacts.errors';
import type { ContactIdentityKind, FirstTouchAttribution } from '../contacts.events';
import { Contact, ContactFields } from '../domain/contact';
import { normalizePhone, validateCustomFields } from '../domain/contact-values';
import { CONTACT_REPOSITORY, CUSTOM_FIELD_REPOSITORY, ContactRepository, CustomFieldRepository } from '../domain/contacts.repositories';
import { ContactRecord, ContactsScope } from './contact.views';

export class CreateContactCommand extends Command<ContactRecord> {
  constructor(
    readonly scope: ContactsScope,
    readonly fields: ContactFields,
  ) {
    super();
  }
}

@CommandHandler(CreateContactCommand)
export class CreateContactHandler implements ICommandHandler<CreateContactCommand> {
  constructor(
    @Inject(CONTACT_REPOSITORY) private readonly contacts: ContactRepository,
    @Inject(CUSTOM_FIELD_REPOSITORY) private readonly customFields: CustomFieldRepository,
  ) {}

  async execute({ scope, fields }: CreateContactCommand): Promise<ContactRecord> {
    if (fields.customFields && Object.keys(fields.customFields).length > 0) {
      validateCustomFields(fields.customFields, await this.customFields.definitions(scope.projectId));
    }
    const contact = Contact.create({ id: newId(), tenantId: scope.tenantId, projectId: scope.projectId }, fields);
    const stamps = await this.contacts.save(contact);
    return { ...contact.snapshot, ...stamps };
  }
}

export type ContactChange = { kind: 'update'; fields: ContactFields } | { kind: 'delete' } | { kind: 'restore' };

export class ChangeContactCommand extends Command<ContactRecord> {
  constructor(
    readonly scope: ContactsScope,
    readonly id: string,
    readonly change: ContactChange,
    readonly expected?: ExpectedVersion,
  ) {
    super();
  }
}

/** Update, soft delete or restore: load, check the expected version, change, compare-and-swap. */
@CommandHandler(ChangeContactCommand)
export class ChangeContactHandler implements ICommandHandler<ChangeContactCommand> {
  constructor(
    @Inject(CONTACT_REPOSITORY) private readonly contacts: ContactRepository,
    @Inject(CUSTOM_FIELD_REPOSITORY) private readonly customFields: CustomFieldRepository,
  ) {}

  async execute({ scope, id, change, expected }: ChangeContactCommand): Promise<ContactRecord> {
    const contact = await this.contacts.findById(scope.projectId, id, { withDeleted: change.kind === 'restore' });
    if (!contact || (change.kind === 'restore' && !contact.isDeleted)) throw ContactsErrors.notFound('contact', id);
    assertExpectedVersion('contact', contact.version, expected);
    if (change.kind === 'update') {
      if (change.fields.customFields)
        validateCustomFields(change.fields.customFields, await this.customFields.definitions(scope.projectId));
      contact.update(change.fields);
    } else if (change.kind === 'delete') contact.delete();
    else contact.undelete();
    const stamps = await this.contacts.save(contact, expected);
    return { ...contact.snapshot, ...stamps };
  }
}

export class FindOrCreateContactByPhoneCommand extends Command<{ contactId: string; created: boolean }> {
  constructor(
    readonly scope: ContactsScope,
    readonly phone: string,
    readonly name?: string,
  ) {
    super();
  }
}

/**
 * The live contact with this phone, or a new one (with `name`). Callers of the same phone wait for each other,
 * so two concurrent conversations from one number make one contact.
 */
@CommandHandler(FindOrCreateContactByPhoneCommand)
export class FindOrCreateContactByPhoneHandler implements ICommandHandler<FindOrCreateContactByPhoneCommand> {
  constructor(@Inject(CONTACT_REPOSITORY) private readonly contacts: ContactRepository) {}

  async execute({ scope, phone, name }: FindOrCreateContactByPhoneCommand): Promise<{ contactId: string; created: boolean }> {
    const e164 = normalizePhone(phone);
    if (!e164) throw ContactsErrors.invalidPhone(phone);
    await this.contacts.lockKey(scope.projectId, `phone:${e164}`);
    const existing = await this.contacts.findByPhone(scope.projectId, e164);
    if (existing) return { contactId: existing.id, created: false };
    const contact = Contact.create({ id: newId(), tenantId: scope.tenantId, projectId: scope.projectId }, { phone: e164, name });
    await this.contacts.save(contact);
    return { contactId: contact.id, created: true };
  }
}

export class FindOrCreateContactByIdentityCommand extends Command<{ contactId: string; created: boolean }> {
  constructor(
    readonly scope: ContactsScope,
    readonly kind: ContactIdentityKind,
    readonly value: string,
    readonly name?: string,
    readonly phone?: string,
  ) {
    super();
  }
}

/**
 * The live contact holding the identity, else the live contact with the phone (which then gets the identity),
 * else a new contact with both. A phone that comes after the identity joins its contact, unless another contact
 * already has it (contacts are never merged here). Callers of the same phone or identity wait for each other, in
 * one lock order (phone, then identity), so concurrent messages from one person make one contact.
 */
@CommandHandler(FindOrCreateContactByIdentityCommand)
export class FindOrCreateContactByIdentityHandler implements ICommandHandler<FindOrCreateContactByIdentityCommand> {
  constructor(@Inject(CONTACT_REPOSITORY) private readonly contacts: ContactRepository) {}

  async execute({
    scope,
    kind,
    value,
    name,
    phone,
  }: FindOrCreateContactByIdentityCommand): Promise<{ contactId: string; created: boolean }> {
    if (kind !== 'whatsapp_lid' || value.trim() === '' || value.length > 200) throw ContactsErrors.invalidIdentity();
    const e164 = usablePhone(phone);
    const { projectId } = scope;
    if (e164) await this.contacts.lockKey(projectId, `phone:${e164}`);
    await this.contacts.lockKey(projectId, `${kind}:${value}`);
    const known = await this.contacts.findByIdentity(projectId, kind, value);
    if (known) {
      if (e164 && !known.snapshot.phone && !(await this.contacts.findByPhone(projectId, e164))) {
        known.update({ phone: e164 });
        await this.contacts.save(known);
      }
      return { contactId: known.id, created: false };
    }
    const byPhone = e164 ? await this.contacts.findByPhone(projectId, e164) : null;
    // without a phone the identity names the contact until someone gives it a name
    const contact = byPhone ?? Contact.create({ id: newId(), ...scope }, { phone: e164, name: name || (e164 ? undefined : value) });
    if (!byPhone) await this.contacts.save(contact);
    await this.contacts.linkIdentity(contact, kind, value);
    return { contactId: contact.id, created: !byPhone };
  }
}

/** The E.164 form of a phone that comes with an identity; one the contacts context refuses is left out. */
function usablePhone(phone: string | undefined): string | null {
  try {
    return normalizePhone(phone);
  } catch (error) {
    if (error instanceof DomainError) return null;
    throw error;
  }
}

export class RecordFirstTouchCommand extends Command<void> {
  constructor(
    readonly scope: ContactsScope,
    readonly contactId: string,
    readonly attribution: FirstTouchAttribution,
  ) {
    super();
  }
}

/** Sets a live contact's first-touch attribution when it has none; one already set is kept. */
@CommandHandler(RecordFirstTouchCommand)
export class RecordFirstTouchHandler implements ICommandHandler<RecordFirstTouchCommand> {
  constructor(@Inject(CONTACT_REPOSITORY) private readonly contacts: ContactRepository) {}

  async execute({ scope, contactId, attribution }: RecordFirstTouchCommand): Promise<void> {
    const contact = await this.contacts.findById(scope.projectId, contactId);
    if (!contact) throw ContactsErrors.notFound('contact', contactId);
    contact.recordFirstTouch(attribution);
    await this.contacts.save(contact);
  }
}

export class ChangeContactTagsCommand extends Command<void> {
  constructor(
    readonly scope: ContactsScope,
    readonly contactId: string,
    readonly action: 'add' | 'remove',
    readonly tags: readonly string[],
  ) {
    super();
  }
}

/** Adds or removes tags of a live contact; a tag already there (or already absent) changes nothing (and raises no event). */
@CommandHandler(ChangeContactTagsCommand)
export class ChangeContactTagsHandler implements ICommandHandler<ChangeContactTagsCommand> {
  constructor(@Inject(CONTACT_REPOSITORY) private readonly contacts: ContactRepository) {}

  async execute({ scope, contactId, action, tags }: ChangeContactTagsCommand): Promise<void> {
    const contact = await this.contacts.findById(scope.projectId, contactId);
    if (!contact) throw ContactsErrors.notFound('contact', contactId);
    if (action === 'add') contact.addTags(tags);
    else contact.removeTags(tags);
    await this.contacts.save(contact);
  }
}

export class SetContactCustomFieldCommand extends Command<void> {
  constructor(
    readonly scope: ContactsScope,
    readonly contactId: string,
    readonly key: string,
    readonly value: unknown,
  ) {
    super();
  }
}

/** Sets (or, with null, removes) one custom field of a live contact, checked against the project's definitions. */
@CommandHandler(SetContactCustomFieldCommand)
export class SetContactCustomFieldHandler implements ICommandHandler<SetContactCustomFieldCommand> {
  constructor(
    @Inject(CONTACT_REPOSITORY) private readonly contacts: ContactRepository,
    @Inject(CUSTOM_FIELD_REPOSITORY) private readonly customFields: CustomFieldRepository,
  ) {}

  async execute({ scope, contactId, key, value }: SetContactCustomFieldCommand): Promise<void> {
    const contact = await this.contacts.findById(scope.projectId, contactId);
    if (!contact) throw ContactsErrors.notFound('contact', contactId);
    validateCustomFields({ [key]: value }, await this.customFields.definitions(scope.projectId));
    contact.update({ customFields: { [key]: value } });
    await this.contacts.save(contact);
  }
}
