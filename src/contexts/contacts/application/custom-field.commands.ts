import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError, ExpectedVersion, NotFoundError, assertExpectedVersion, domainEvent, newId } from '#kernel';
import { OutboxWriter } from '#outbox/outbox-writer';
import { translateUniqueViolation } from '#persistence/aggregate-store';
import { compareAndSwap } from '#persistence/compare-and-swap';
import { TransactionRunner } from '#persistence/transaction-runner';
import { Principal } from '#tenancy';
import { CustomFieldType } from '../domain/contact-values';
import { ContactCustomFieldEntity } from '../infrastructure/contact-custom-field.entity';

export class DefineCustomFieldCommand {
  constructor(
    readonly principal: Principal,
    readonly key: string,
    readonly label: string,
    readonly type: CustomFieldType,
  ) {}
}

/** A custom field definition: contacts may then carry a value of that type under `key`. */
@CommandHandler(DefineCustomFieldCommand)
export class DefineCustomFieldHandler implements ICommandHandler<DefineCustomFieldCommand, ContactCustomFieldEntity> {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly outbox: OutboxWriter,
  ) {}

  async execute({ principal, key, label, type }: DefineCustomFieldCommand): Promise<ContactCustomFieldEntity> {
    const row = this.tx.manager.create(ContactCustomFieldEntity, {
      id: newId(),
      tenantId: principal.tenantId,
      projectId: principal.projectId,
      key,
      label: label.trim(),
      fieldType: type,
      version: 1,
    });
    try {
      await this.tx.manager.insert(ContactCustomFieldEntity, row);
    } catch (error) {
      throw translateUniqueViolation(error, {
        uq_contact_custom_fields_project_key: () =>
          new DomainError('conflict', 'custom_field.duplicate_key', `A custom field "${key}" already exists`),
      });
    }
    await this.outbox.append([event(principal, row.id, 1, 'contact_custom_field.defined', { key, label, type })]);
    return (await this.tx.manager.findOneBy(ContactCustomFieldEntity, { id: row.id }))!;
  }
}

export class ChangeCustomFieldCommand {
  constructor(
    readonly principal: Principal,
    readonly id: string,
    readonly change: { kind: 'relabel'; label: string } | { kind: 'delete' },
    readonly expected?: ExpectedVersion,
  ) {}
}

/** Relabel or delete (soft: existing values stay on contacts and the key can be defined again). */
@CommandHandler(ChangeCustomFieldCommand)
export class ChangeCustomFieldHandler implements ICommandHandler<ChangeCustomFieldCommand, ContactCustomFieldEntity | null> {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly outbox: OutboxWriter,
  ) {}

  async execute({ principal, id, change, expected }: ChangeCustomFieldCommand): Promise<ContactCustomFieldEntity | null> {
    const m = this.tx.manager;
    const field = await m.findOneBy(ContactCustomFieldEntity, { id, projectId: principal.projectId });
    if (!field) throw new NotFoundError('custom_field', id);
    assertExpectedVersion('custom_field', field.version, expected);
    const changes = change.kind === 'relabel' ? { label: change.label.trim() } : { deletedAt: () => 'now()' };
    await compareAndSwap(m, ContactCustomFieldEntity, id, field.version, changes, 'custom_field', expected);
    const type = change.kind === 'relabel' ? 'contact_custom_field.relabeled' : 'contact_custom_field.deleted';
    await this.outbox.append([event(principal, id, field.version + 1, type, change.kind === 'relabel' ? { label: change.label } : {})]);
    return change.kind === 'relabel' ? m.findOneBy(ContactCustomFieldEntity, { id }) : null;
  }
}

function event(principal: Principal, id: string, version: number, type: string, payload: object) {
  return domainEvent({
    type,
    aggregateType: 'contact_custom_field',
    aggregateId: id,
    aggregateVersion: version,
    tenantId: principal.tenantId,
    projectId: principal.projectId,
    payload,
  });
}
