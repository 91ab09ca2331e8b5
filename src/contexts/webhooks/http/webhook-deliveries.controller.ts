import { Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiIdempotent, ApiProblems, ApiProjectScoped } from '#http';
import { MinRole, RequestContext } from '#tenancy';
import { ReplayDeliveryCommand } from '../application/subscription.commands';
import { GetDeliveryQuery } from '../application/subscription.queries';
import { WebhookDeliveryResponse } from './webhook-subscription.responses';

@ApiTags('webhooks')
@ApiProjectScoped()
@Controller('webhook-deliveries')
export class WebhookDeliveriesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly context: RequestContext,
  ) {}

  @Post(':id/replay')
  @MinRole('admin')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a delivery again now (same webhook-id), with a fresh retry schedule' })
  @ApiAcceptedResponse({ type: WebhookDeliveryResponse, description: 'Queued: pending, due now' })
  @ApiIdempotent()
  @ApiProblems(403)
  async replay(@Param('id', new ParseUUIDPipe()) id: string) {
    await this.commands.execute(new ReplayDeliveryCommand(this.context.principal, id));
    return this.queries.execute(new GetDeliveryQuery(this.context.principal.projectId, id));
  }
}
