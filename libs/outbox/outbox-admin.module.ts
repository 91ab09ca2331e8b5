import { Module } from '@nestjs/common';
import { ReplayOutboxEventHandler } from './outbox-admin.commands';
import { ListOutboxEventsHandler } from './outbox-admin.queries';
import { OutboxController } from './outbox.controller';

/** The admin endpoints of the outbox (`/outbox`): dead letters to inspect and replay. */
@Module({
  controllers: [OutboxController],
  providers: [ListOutboxEventsHandler, ReplayOutboxEventHandler],
})
export class OutboxAdminModule {}
