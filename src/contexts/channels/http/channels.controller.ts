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
  PageQuery,
  pageLimit,
  setEtag,
} from '#http';
import { MinRole, RequestContext } from '#tenancy';
import { ChangeChannelCommand, CreateChannelCommand, SetChannelActivationCommand } from '../application/channel.commands';
import { GetChannelQuery, ListChannelsQuery } from '../application/channel.queries';
import { CreateChannelDto, UpdateChannelDto } from './channel.dto';
import { ChannelResponse } from './channel.responses';

/** A project's channels; managers and admins change them, every member reads them. Secrets are never returned. */
@ApiTags('channels')
@ApiProjectScoped()
@Controller('channels')
export class ChannelsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly context: RequestContext,
  ) {}

  @Post()
  @MinRole('manager')
  @ApiOperation({ summary: 'Create a channel (inactive until activated); apiKey and webhookSecret are stored encrypted' })
  @ApiResource(ChannelResponse, { status: 201 })
  @ApiIdempotent()
  @ApiProblems(403)
  async create(@Body() dto: CreateChannelDto, @Res({ passthrough: true }) res: Response) {
    const { id } = await this.commands.execute(new CreateChannelCommand(this.context.principal, dto));
    return this.respond(res, id);
  }

  @Get()
  @ApiOperation({ summary: "The project's channels" })
  @ApiPage(ChannelResponse)
  list(@Query() query: PageQuery) {
    return this.queries.execute(new ListChannelsQuery(this.context.principal.projectId, pageLimit(query), query.cursor));
  }

  @Get(':id')
  @ApiOperation({ summary: 'A channel, with its webhook URL' })
  @ApiResource(ChannelResponse)
  get(@Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) res: Response) {
    return this.respond(res, id);
  }

  @Patch(':id')
  @MinRole('manager')
  @ApiOperation({ summary: 'Change a channel; a secret set to null is removed' })
  @ApiResource(ChannelResponse)
  @ApiProblems(403, 409)
  async update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: UpdateChannelDto,
    @Expected() expected: ExpectedVersion | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { version: _version, ...patch } = dto;
    await this.commands.execute(new ChangeChannelCommand(this.context.principal, id, { kind: 'update', patch }, expected));
    return this.respond(res, id);
  }

  @Delete(':id')
  @MinRole('manager')
  @ApiOperation({ summary: 'Soft-delete a channel (its webhook URL answers 404 from then on); restore brings it back' })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(403, 409)
  async remove(@Param('id', new ParseUUIDPipe()) id: string, @Expected() expected: ExpectedVersion | undefined) {
    await this.commands.execute(new ChangeChannelCommand(this.context.principal, id, { kind: 'delete' }, expected));
  }

  @Post(':id/restore')
  @MinRole('manager')
  @HttpCode(200)
  @ApiOperation({ summary: 'Restore a soft-deleted channel' })
  @ApiResource(ChannelResponse, { description: 'Restored' })
  @ApiIdempotent()
  @ApiProblems(403, 409)
  async restore(@Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) res: Response) {
    await this.commands.execute(new ChangeChannelCommand(this.context.principal, id, { kind: 'restore' }));
    return this.respond(res, id);
  }

  @Post(':id/activate')
  @MinRole('manager')
  @HttpCode(200)
  @ApiOperation({
    summary: "Register the channel's webhook (URL, HMAC key, events) with its WAHA session; the status then follows the session",
  })
  @ApiResource(ChannelResponse, { description: 'Registered; the channel is `connecting` until WAHA reports its session' })
  @ApiIdempotent()
  @ApiProblems(403)
  @ApiProblem(
    409,
    'A concurrent change (`version_conflict`), or no PUBLIC_URL to build an absolute webhook URL from (`channel.public_url_required`)',
  )
  @ApiProblem(502, 'WAHA refused or did not answer (`channel.provider_error`); the channel is unchanged')
  async activate(@Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) res: Response) {
    await this.commands.execute(new SetChannelActivationCommand(this.context.principal, id, true));
    return this.respond(res, id);
  }

  @Post(':id/deactivate')
  @MinRole('manager')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark a channel inactive' })
  @ApiResource(ChannelResponse, { description: 'Inactive' })
  @ApiIdempotent()
  @ApiProblems(403, 409)
  async deactivate(@Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) res: Response) {
    await this.commands.execute(new SetChannelActivationCommand(this.context.principal, id, false));
    return this.respond(res, id);
  }

  private async respond(res: Response, id: string) {
    const channel = await this.queries.execute(new GetChannelQuery(this.context.principal.projectId, id));
    setEtag(res, channel.version);
    return channel;
  }
}
