import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ExpectedVersion } from '#kernel';
import {
  ApiIdempotent,
  ApiPage,
  ApiProblem,
  ApiProblems,
  ApiProjectScoped,
  ApiResource,
  Expected,
  NotReplayable,
  PageQuery,
  pageLimit,
  setEtag,
} from '#http';
import { MinRole, RequestContext } from '#tenancy';
import {
  ChangeSubscriptionCommand,
  CreateSubscriptionCommand,
  RotateSecretCommand,
  SubscriptionChange,
} from '../application/subscription.commands';
import { GetSubscriptionQuery, ListDeliveriesQuery, ListSubscriptionsQuery } from '../application/subscription.queries';
import { SubscriptionView } from '../application/webhooks.ports';
import { CreateWebhookSubscriptionDto, ListDeliveriesDto, UpdateWebhookSubscriptionDto } from './webhook-subscription.dto';
import {
  WebhookDeliveryResponse,
  WebhookSubscriptionResponse,
  WebhookSubscriptionWithSecretResponse,
} from './webhook-subscription.responses';

/**
 * A project's outbound webhook subscriptions (Standard Webhooks signatures); admins manage them, managers read
 * them and their deliveries. The signing secret is shown once, at creation and at each rotation.
 */
@ApiTags('webhooks')
@ApiProjectScoped()
@Controller('webhook-subscriptions')
export class WebhookSubscriptionsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly context: RequestContext,
  ) {}

  @Post()
  @MinRole('admin')
  @ApiOperation({ summary: 'Subscribe a URL to events of the project; answers the signing secret, shown only this once' })
  @ApiResource(WebhookSubscriptionWithSecretResponse, { status: 201 })
  @ApiProblems(403)
  @ApiProblem(422, 'The URL is or resolves to a private address (`webhook_subscription.private_url`) or does not resolve')
  // The response carries the secret, which is never stored: an Idempotency-Key is ignored here.
  @NotReplayable()
  async create(@Body() dto: CreateWebhookSubscriptionDto, @Res({ passthrough: true }) res: Response) {
    const { id, secret } = await this.commands.execute(new CreateSubscriptionCommand(this.context.principal, dto));
    return { ...(await this.respond(res, id)), secret };
  }

  @Get()
  @MinRole('manager')
  @ApiOperation({ summary: "The project's webhook subscriptions" })
  @ApiPage(WebhookSubscriptionResponse)
  @ApiProblems(403)
  list(@Query() query: PageQuery) {
    return this.queries.execute(new ListSubscriptionsQuery(this.context.principal.projectId, pageLimit(query), query.cursor));
  }

  @Get(':id')
  @MinRole('manager')
  @ApiOperation({ summary: 'A webhook subscription, with why it is disabled when it is' })
  @ApiResource(WebhookSubscriptionResponse)
  @ApiProblems(403)
  get(@Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) res: Response) {
    return this.respond(res, id);
  }

  @Patch(':id')
  @MinRole('admin')
  @ApiOperation({ summary: "Change a subscription's URL, events or description" })
  @ApiResource(WebhookSubscriptionResponse)
  @ApiProblems(403, 409)
  @ApiProblem(422, 'The new URL is or resolves to a private address, or does not resolve')
  async update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: UpdateWebhookSubscriptionDto,
    @Expected() expected: ExpectedVersion | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { version: _version, ...patch } = dto;
    return this.change(res, id, { kind: 'update', patch }, expected);
  }

  @Delete(':id')
  @MinRole('admin')
  @ApiOperation({ summary: 'Soft-delete a subscription: nothing more is delivered to it' })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(403, 409)
  async remove(@Param('id', new ParseUUIDPipe()) id: string, @Expected() expected: ExpectedVersion | undefined) {
    await this.commands.execute(new ChangeSubscriptionCommand(this.context.principal, id, { kind: 'delete' }, expected));
  }

  @Post(':id/pause')
  @MinRole('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pause deliveries: events meanwhile are not queued; pending retries wait for resume' })
  @ApiResource(WebhookSubscriptionResponse, { description: 'Paused' })
  @ApiIdempotent()
  @ApiProblems(403, 409)
  pause(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Expected() expected: ExpectedVersion | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.change(res, id, { kind: 'pause' }, expected);
  }

  @Post(':id/resume')
  @MinRole('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume a paused or disabled subscription; its pending deliveries go out at once' })
  @ApiResource(WebhookSubscriptionResponse, { description: 'Active' })
  @ApiIdempotent()
  @ApiProblems(403, 409)
  resume(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Expected() expected: ExpectedVersion | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.change(res, id, { kind: 'resume' }, expected);
  }

  @Post(':id/rotate-secret')
  @MinRole('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Replace the signing secret; the previous one keeps signing (a second signature) for the grace period',
  })
  @ApiResource(WebhookSubscriptionWithSecretResponse, { description: 'The new secret, shown only this once' })
  @ApiProblems(403, 409)
  @NotReplayable()
  async rotateSecret(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Expected() expected: ExpectedVersion | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { secret } = await this.commands.execute(new RotateSecretCommand(this.context.principal, id, expected));
    return { ...(await this.respond(res, id)), secret };
  }

  @Get(':id/deliveries')
  @MinRole('manager')
  @ApiOperation({ summary: "A subscription's deliveries, newest first: status, attempts, last response, duration and error" })
  @ApiPage(WebhookDeliveryResponse)
  @ApiProblems(403)
  deliveries(@Param('id', new ParseUUIDPipe()) id: string, @Query() query: ListDeliveriesDto) {
    return this.queries.execute(
      new ListDeliveriesQuery(this.context.principal.projectId, id, pageLimit(query), query.cursor, query.status),
    );
  }

  private async change(res: Response, id: string, change: SubscriptionChange, expected: ExpectedVersion | undefined) {
    await this.commands.execute(new ChangeSubscriptionCommand(this.context.principal, id, change, expected));
    return this.respond(res, id);
  }

  private async respond(res: Response, id: string): Promise<SubscriptionView> {
    const subscription = await this.queries.execute(new GetSubscriptionQuery(this.context.principal.projectId, id));
    setEtag(res, subscription.version);
    return subscription;
  }
}
