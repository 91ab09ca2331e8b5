import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ExpectedVersion } from '#kernel';
import { ApiIdempotent, ApiPage, ApiProblems, ApiProjectScoped, ApiResource, Expected, PageQuery, pageLimit, setEtag } from '#http';
import { RequestContext } from '#tenancy';
import { ChangeContactCommand, ContactChange, CreateContactCommand } from '../application/contact.commands';
import { ContactAtVersionQuery, ContactTimelineQuery, GetContactQuery, ListContactsQuery } from '../application/contact.queries';
import { ContactRecord, toContactView } from '../application/contact.views';
import { CreateContactDto, ListContactsDto, UpdateContactDto } from './contact.dto';
import { ContactResponse, TimelineEntryResponse } from './contact.responses';

@ApiTags('contacts')
@ApiProjectScoped()
@Controller('contacts')
export class ContactsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly context: RequestContext,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a contact (email and phone unique per project; phone normalised to E.164)' })
  @ApiResource(ContactResponse, { status: 201 })
  @ApiIdempotent()
  @ApiProblems(403, 409)
  async create(@Body() dto: CreateContactDto, @Res({ passthrough: true }) res: Response) {
    const contact = await this.commands.execute(new CreateContactCommand(this.context.principal, dto));
    return this.written(res, contact);
  }

  @Get()
  @ApiOperation({ summary: 'List contacts, newest first: q (name, email, phone), tag, customField=key:value, deleted' })
  @ApiPage(ContactResponse)
  list(@Query() query: ListContactsDto) {
    const [key, ...rest] = query.customField?.split(':') ?? [];
    return this.queries.execute(
      new ListContactsQuery(
        this.context.principal.projectId,
        { q: query.q, tag: query.tag, deleted: query.deleted, customField: query.customField ? { key, value: rest.join(':') } : undefined },
        pageLimit(query),
        query.cursor,
      ),
    );
  }

  @Get(':id')
  @ApiOperation({ summary: 'A contact of this project (deleted ones answer 404)' })
  @ApiResource(ContactResponse)
  async get(@Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) res: Response) {
    return this.respond(res, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change the given fields (null clears one; customFields merge, a null value removes a key)' })
  @ApiResource(ContactResponse)
  @ApiProblems(403, 409)
  async update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: UpdateContactDto,
    @Expected() expected: ExpectedVersion | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { version: _version, ...fields } = dto;
    return this.change(res, id, { kind: 'update', fields }, expected);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Soft-delete a contact; POST /contacts/{id}/restore brings it back' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(403, 409)
  async remove(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Expected() expected: ExpectedVersion | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    await this.change(res, id, { kind: 'delete' }, expected);
  }

  @Post(':id/restore')
  @ApiOperation({ summary: 'Restore a soft-deleted contact (409 when its email or phone is taken again)' })
  @HttpCode(200)
  @ApiResource(ContactResponse, { description: 'Restored' })
  @ApiIdempotent()
  @ApiProblems(403, 409)
  async restore(@Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) res: Response) {
    return this.change(res, id, { kind: 'restore' });
  }

  @Get(':id/timeline')
  @ApiOperation({ summary: "The contact's timeline, oldest first, filled from its domain events by an outbox consumer" })
  @ApiPage(TimelineEntryResponse)
  timeline(@Param('id', new ParseUUIDPipe()) id: string, @Query() query: PageQuery) {
    return this.queries.execute(new ContactTimelineQuery(this.context.principal.projectId, id, pageLimit(query), query.cursor));
  }

  @Get(':id/versions/:version')
  @ApiOperation({ summary: 'The contact as it was at a version, rebuilt from its event store and snapshots' })
  @ApiOkResponse({
    type: ContactResponse,
    description: 'The contact at that version (without createdAt and updatedAt, and without an ETag)',
  })
  atVersion(@Param('id', new ParseUUIDPipe()) id: string, @Param('version', ParseIntPipe) version: number) {
    return this.queries.execute(new ContactAtVersionQuery(this.context.principal.projectId, id, version));
  }

  private async change(res: Response, id: string, change: ContactChange, expected?: ExpectedVersion) {
    const contact = await this.commands.execute(new ChangeContactCommand(this.context.principal, id, change, expected));
    return change.kind === 'delete' ? undefined : this.written(res, contact);
  }

  /** The command's own result: no read-back, unless it wrote nothing (a PATCH that changed no field). */
  private written(res: Response, contact: ContactRecord) {
    if (!contact.updatedAt) return this.respond(res, contact.id);
    setEtag(res, contact.version);
    return toContactView(contact);
  }

  private async respond(res: Response, id: string) {
    const contact = await this.queries.execute(new GetContactQuery(this.context.principal.projectId, id));
    setEtag(res, contact.version);
    return contact;
  }
}
