import { Module } from '@nestjs/common';
import { EventStreamService } from './event-stream.service';
import { EventsStreamController } from './events-stream.controller';

/** GET /events/stream: the project's domain events as Server-Sent Events. */
@Module({
  controllers: [EventsStreamController],
  providers: [EventStreamService],
  exports: [EventStreamService],
})
export class EventStreamModule {}
