import { Injectable } from '@nestjs/common';
import { EntityTarget, ObjectLiteral } from 'typeorm';
import { DomainError, DomainEvent, ExpectedVersion } from '../kernel';
import { OutboxWriter } from '../outbox/outbox-writer';
import { versionConflict } from './compare-and-swap';
import { Statement, WriteStamps, rowStatements, stampsOf } from './row-statements';
import { TransactionRunner } from './transaction-runner';

/** Constraint name -> the error a client gets when a unique key rejects a write. */
export type UniqueViolations = Record<string, () => DomainError>;

/** What a save needs of an aggregate (an `AggregateRoot`); its events keep their payload types. */
export interface SavableAggregate<V extends DomainEvent = DomainEvent> {
  readonly id: string;
  readonly version: number;
  readonly isNew: boolean;
  readonly hasChanges: boolean;
  commit(): V[];
}

/** Rows of another table that a save writes in its statement (an event stream), built from the saved events. */
export interface CompanionRows {
  entity: EntityTarget<ObjectLiteral>;
  rows: ObjectLiteral[];
}

/**
 * What every repository adapter does on save: insert a new aggregate or compare-and-swap an existing one on its
 * version, and append its events to the outbox (and any `alongside` rows), in one statement of the current
 * transaction. Returns the saved events and the row's stamps.
 */
@Injectable()
export class AggregateStore {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly outbox: OutboxWriter,
  ) {}

  async save<E extends ObjectLiteral, V extends DomainEvent>(
    aggregate: SavableAggregate<V>,
    entity: EntityTarget<E>,
    row: Partial<E>,
    resource: string,
    options: { expected?: ExpectedVersion; unique?: UniqueViolations; alongside?: (events: V[]) => CompanionRows | undefined } = {},
  ): Promise<{ events: V[]; stamps?: WriteStamps }> {
    if (!aggregate.hasChanges) return { events: [] };
    const manager = this.tx.manager;
    const { id, isNew, version } = aggregate;
    const events = aggregate.commit();
    // The row, its events and their companions in one statement (one round trip): the INSERTs ride as CTEs,
    // after a compare-and-swap only if it matched.
    const write = isNew
      ? rowStatements.insert(manager, entity, [{ ...row, id, version: 1 } as Partial<E>])
      : rowStatements.compareAndSwap(manager, entity, id, version, withoutKeys(row));
    const onlyIfChanged = isNew ? undefined : 'changed';
    const ctes: string[] = [];
    const values = [...write.values];
    const add = (statement: Statement | undefined) => {
      if (!statement) return;
      ctes.push(`w${ctes.length} AS (${statement.text})`);
      values.push(...statement.values);
    };
    add(this.outbox.statement(events, values.length + 1, onlyIfChanged));
    const companion = events.length > 0 ? options.alongside?.(events) : undefined;
    if (companion?.rows.length) add(rowStatements.insert(manager, companion.entity, companion.rows, values.length + 1, onlyIfChanged));
    const text =
      ctes.length === 0
        ? write.text
        : isNew
          ? `WITH ${ctes.join(', ')} ${write.text}`
          : `WITH changed AS (${write.text}), ${ctes.join(', ')} SELECT created_at, updated_at FROM changed`;
    let stamps: WriteStamps | undefined;
    try {
      [stamps] = stampsOf(await manager.query(text, values));
    } catch (error) {
      // The transaction is aborted either way: the error rolls the whole unit of work back.
      throw translateUniqueViolation(error, options.unique);
    }
    if (!stamps) throw versionConflict(resource, version, options.expected);
    return { events, stamps };
  }

  /**
   * For aggregates that are destroyed rather than soft-deleted (secrets): deletes the row at the version it was
   * loaded with (a concurrent change is a conflict) and appends the aggregate's events, in the current transaction.
   */
  async remove<E extends ObjectLiteral, V extends DomainEvent>(
    aggregate: SavableAggregate<V>,
    entity: EntityTarget<E>,
    resource: string,
    options: { expected?: ExpectedVersion } = {},
  ): Promise<V[]> {
    const result = await this.tx.manager.delete(entity, { id: aggregate.id, version: aggregate.version } as never);
    if (!result.affected) throw versionConflict(resource, aggregate.version, options.expected);
    const events = aggregate.commit();
    await this.outbox.append(events);
    return events;
  }
}

/** A unique-key violation becomes the domain's conflict; the database's own message (other tenants' data) is dropped. */
export function translateUniqueViolation(error: unknown, unique: UniqueViolations = {}): unknown {
  const pg = error as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const code = pg.driverError?.code ?? pg.code;
  const constraint = pg.driverError?.constraint ?? pg.constraint;
  if (code !== '23505') return error;
  const make = constraint ? unique[constraint] : undefined;
  return make ? make() : new DomainError('conflict', 'duplicate', 'A resource with the same unique values already exists');
}

function withoutKeys<E extends ObjectLiteral>(row: Partial<E>): Partial<E> {
  const {
    id: _id,
    tenantId: _tenantId,
    version: _version,
    createdAt: _createdAt,
    updatedAt: _updatedAt,
    ...rest
  } = row as Record<string, unknown>;
  return rest as Partial<E>;
}
