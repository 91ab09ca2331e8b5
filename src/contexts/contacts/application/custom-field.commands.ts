import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ExpectedVersion, assertExpectedVersion, newId } from '#kernel';
import { WriteStamps } from '../domain/contacts.repositories';
import { ContactsErrors } from '../contacts.errors';
import { CustomFieldType } from '../contacts.events';
import { CUSTOM_FIELD_REPOSITORY, CustomFieldRepository } from '../domain/contacts.repositories';
import { CustomField } from '../domain/custom-field';
import { ContactsScope } from './contact.views';
import { CustomFieldView } from './contacts.read-models';

export class DefineCustomFieldCommand extends Command<CustomFieldView> {
  constructor(
    readonly scope: ContactsScope,
    readonly key: string,
    readonly label: string,
    readonly type: CustomFieldType,
  ) {
    super();
  }
}

/** A custom field definition: contacts may then carry a value of that type under `key`. */
@CommandHandler(DefineCustomFieldCommand)
export class DefineCustomFieldHandler implements ICommandHandler<DefineCustomFieldCommand> {
  constructor(@Inject(CUSTOM_FIELD_REPOSITORY) private readonly fields: CustomFieldRepository) {}

  async execute({ scope, key, label, type }: DefineCustomFieldCommand): Promise<CustomFieldView> {
    const field = CustomField.define({ id: newId(), tenantId: scope.tenantId, projectId: scope.projectId, key, label, type });
    return view(field, await this.fields.save(field));
  }
}

export class RelabelCustomFieldCommand extends Command<CustomFieldView> {
  constructor(
    readonly scope: ContactsScope,
    readonly id: string,
    readonly label: string,
    readonly expected?: ExpectedVersion,
  ) {
    super();
  }
}

@CommandHandler(RelabelCustomFieldCommand)
export class RelabelCustomFieldHandler implements ICommandHandler<RelabelCustomFieldCommand> {
  constructor(@Inject(CUSTOM_FIELD_REPOSITORY) private readonly fields: CustomFieldRepository) {}

  async execute({ scope, id, label, expected }: RelabelCustomFieldCommand): Promise<CustomFieldView> {
    const field = await load(this.fields, scope, id, expected);
    field.relabel(label);
    return view(field, await this.fields.save(field, expected));
  }
}

export class DeleteCustomFieldCommand extends Command<void> {
  constructor(
    readonly scope: ContactsScope,
    readonly id: string,
    readonly expected?: ExpectedVersion,
  ) {
    super();
  }
}

/** Soft delete: existing values stay on contacts, and the key can be defined again. */
@CommandHandler(DeleteCustomFieldCommand)
export class DeleteCustomFieldHandler implements ICommandHandler<DeleteCustomFieldCommand> {
  constructor(@Inject(CUSTOM_FIELD_REPOSITORY) private readonly fields: CustomFieldRepository) {}

  async execute({ scope, id, expected }: DeleteCustomFieldCommand): Promise<void> {
    const field = await load(this.fields, scope, id, expected);
    field.delete();
    await this.fields.save(field, expected);
  }
}

async function load(fields: CustomFieldRepository, scope: ContactsScope, id: string, expected?: ExpectedVersion): Promise<CustomField> {
  const field = await fields.findById(scope.projectId, id);
  if (!field) throw ContactsErrors.notFound('custom_field', id);
  assertExpectedVersion('custom_field', field.version, expected);
  return field;
}

/** Define and relabel always write (so `stamps` is there); the view needs no read-back. */
function view(field: CustomField, stamps: WriteStamps | undefined): CustomFieldView {
  const { id, key, label, type, version } = field.snapshot;
  const now = new Date();
  return { id, key, label, type, version, createdAt: stamps?.createdAt ?? now, updatedAt: stamps?.updatedAt ?? now };
}
