import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError, NotFoundError } from '../kernel';
import { TransactionRunner } from '../persistence/transaction-runner';

export class ReplayOutboxEventCommand extends Command<{ id: string; status: 'pending' }> {
  constructor(
    readonly projectId: string,
    readonly id: string,
  ) {
    super();
  }
}

/** Queues a dead letter (`failed`) of the project for delivery again, with a fresh retry budget. */
@CommandHandler(ReplayOutboxEventCommand)
export class ReplayOutboxEventHandler implements ICommandHandler<ReplayOutboxEventCommand> {
  constructor(private readonly tx: TransactionRunner) {}

  async execute({ projectId, id }: ReplayOutboxEventCommand): Promise<{ id: string; status: 'pending' }> {
    const rows: { status: string }[] = await this.tx.manager.query(
      `SELECT status FROM outbox_events WHERE id = $1 AND project_id = $2 FOR UPDATE`,
      [id, projectId],
    );
    if (rows.length === 0) throw new NotFoundError('outbox_event', id);
    if (rows[0].status !== 'failed') {
      throw new DomainError('conflict', 'outbox.not_failed', `Only failed events can be replayed; this one is ${rows[0].status}`);
    }
    await this.tx.manager.query(
      `UPDATE outbox_events SET status = 'pending', retry_count = 0, last_error = NULL, next_attempt_at = now() WHERE id = $1`,
      [id],
    );
    return { id, status: 'pending' };
  }
}
