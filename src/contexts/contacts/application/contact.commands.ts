import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ExpectedVersion, NotFoundError, assertExpectedVersion, newId } from '#kernel';
import { WriteStamps } from '#persistence/compare-and-swap';
import { Principal } from '#tenancy';
import { Contact, ContactFields, ContactState } from '../domain/contact';
import { validateCustomFields } from '../domain/contact-values';
import { CONTACT_REPOSITORY, CUSTOM_FIELD_REPOSITORY, ContactRepository, CustomFieldRepository } from '../domain/contacts.repositories';

export class CreateContactCommand {
  constructor(
    readonly principal: Principal,
    readonly fields: ContactFields,
  ) {}
}

/** A contact as a command leaves it: its state, and its timestamps when the command wrote it. */
export type ContactRecord = Readonly<ContactState> & Partial<WriteStamps>;

@CommandHandler(CreateContactCommand)
export class CreateContactHandler implements ICommandHandler<CreateContactCommand, ContactRecord> {
  constructor(
    @Inject(CONTACT_REPOSITORY) private readonly contacts: ContactRepository,
    @Inject(CUSTOM_FIELD_REPOSITORY) private readonly customFields: CustomFieldRepository,
  ) {}

  async execute({ principal, fields }: CreateContactCommand): Promise<ContactRecord> {
    if (fields.customFields && Object.keys(fields.customFields).length > 0) {
      validateCustomFields(fields.customFields, await this.customFields.definitions(principal.projectId));
    }
    const contact = Contact.create({ id: newId(), tenantId: principal.tenantId, projectId: principal.projectId }, fields);
    const stamps = await this.contacts.save(contact);
    return { ...contact.snapshot, ...stamps };
  }
}

export type ContactChange = { kind: 'update'; fields: ContactFields } | { kind: 'delete' } | { kind: 'restore' };

export class ChangeContactCommand {
  constructor(
    readonly principal: Principal,
    readonly id: string,
    readonly change: ContactChange,
    readonly expected?: ExpectedVersion,
  ) {}
}

/** Update, soft delete or restore: load, check the expected version, change, compare-and-swap. */
@CommandHandler(ChangeContactCommand)
export class ChangeContactHandler implements ICommandHandler<ChangeContactCommand, ContactRecord> {
  constructor(
    @Inject(CONTACT_REPOSITORY) private readonly contacts: ContactRepository,
    @Inject(CUSTOM_FIELD_REPOSITORY) private readonly customFields: CustomFieldRepository,
  ) {}

  async execute({ principal, id, change, expected }: ChangeContactCommand): Promise<ContactRecord> {
    const contact = await this.contacts.findById(principal.projectId, id, { withDeleted: change.kind === 'restore' });
    if (!contact || (change.kind === 'restore' && !contact.isDeleted)) throw new NotFoundError('contact', id);
    assertExpectedVersion('contact', contact.version, expected);
    if (change.kind === 'update') {
      if (change.fields.customFields)
        validateCustomFields(change.fields.customFields, await this.customFields.definitions(principal.projectId));
      contact.update(change.fields);
    } else if (change.kind === 'delete') contact.delete();
    else contact.undelete();
    const stamps = await this.contacts.save(contact, expected);
    return { ...contact.snapshot, ...stamps };
  }
}
