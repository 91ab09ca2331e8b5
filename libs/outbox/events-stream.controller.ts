import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiProblem, ApiProjectScoped } from '../http/openapi';
import { MinRole } from '../tenancy/roles.guard';
import { RequestContext } from '../tenancy/request-context';
import { EventStreamService, MAX_STREAMS_PER_CREDENTIAL } from './event-stream.service';

const EXAMPLE =
  ': connected\n\n' +
  'event: contact.created\n' +
  'id: 42\n' +
  'data: {"id":"0190a3c5-7d1e-7000-8000-0000000000aa","type":"contact.created","aggregateType":"contact",' +
  '"aggregateId":"0190a3c5-7d1e-7000-8000-0000000000bb","occurredAt":"2026-11-28T12:00:00.000Z","data":{"name":"Grace"}}\n\n';

/** Live updates: the project's domain events as Server-Sent Events. */
@ApiTags('events')
@ApiProjectScoped()
@MinRole('readonly')
@Controller('events')
export class EventsStreamController {
  constructor(
    private readonly streams: EventStreamService,
    private readonly context: RequestContext,
  ) {}

  @Get('stream')
  @ApiOperation({
    summary: "Stream this project's domain events (Server-Sent Events), resumable with Last-Event-ID",
    description:
      'Each message is `event: <type>`, `id: <sequence>` and `data: {id, type, aggregateType, aggregateId, occurredAt, data}`, ' +
      'sent within milliseconds of the commit, in commit order. Send the last `id` received as `Last-Event-ID` to resume ' +
      'exactly after it (browsers do this on reconnect). Events are kept OUTBOX_RETENTION_HOURS: an older id answers 400 ' +
      `\`events.resume_unavailable\`. A comment line every 15 s keeps the connection alive. At most ${MAX_STREAMS_PER_CREDENTIAL} ` +
      'open streams per credential (429 beyond). The server ends streams when it shuts down: reconnect with Last-Event-ID.',
  })
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'The `id` of the last message received: the stream resumes right after it',
    schema: { type: 'string', pattern: '^[0-9]{1,18}$', example: '42' },
  })
  @ApiProduces('text/event-stream')
  @ApiResponse({
    status: 200,
    description: "An endless text/event-stream of the project's events",
    content: { 'text/event-stream': { schema: { type: 'string', example: EXAMPLE } } },
  })
  @ApiProblem(400, 'A malformed Last-Event-ID (`events.invalid_last_event_id`), or one unknown or pruned (`events.resume_unavailable`)')
  @ApiProblem(
    429,
    `Too many requests, or already ${MAX_STREAMS_PER_CREDENTIAL} open streams for this credential (\`events.too_many_streams\`)`,
  )
  async stream(@Headers('last-event-id') lastEventId: string | undefined, @Res() res: Response): Promise<void> {
    const principal = this.context.principal;
    // Read in the request's transaction; the stream then reads in short transactions of its own.
    const cursor = await this.streams.startCursor(principal, lastEventId);
    this.streams.open(principal, res, cursor);
  }
}
