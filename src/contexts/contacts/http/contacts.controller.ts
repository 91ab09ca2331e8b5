import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseIntPipe,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { NotFoundError, ValidationError } from '#kernel';
import {
  ApiIdempotent,
  ApiIfMatch,
  ApiPage,
  ApiProblems,
  ApiProjectScoped,
  ApiResource,
  PageQuery,
  expectedVersion,
  pageLimit,
  setEtag,
} from '#http';
import { TransactionRunner } from '#persistence/transaction-runner';
import { RequestContext } from '#tenancy';
import { ChangeContactCommand, ContactChange, ContactRecord, CreateContactCommand } from '../application/contact.commands';
import { ContactAtVersionQuery, ContactTimelineQuery, ListContactsQuery } from '../application/contact.queries';
import { ContactState } from '../domain/contact';
import { ContactEntity } from '../infrastructure/contact.entity';
import { toContactView } from '../infrastructure/contact.mapper';
import { CreateContactDto, ListContactsDto, UpdateContactDto } from './contact.dto';
import { ContactResponse, TimelineEntryResponse } from './contact.responses';

@ApiTags('contacts')
@ApiProjectScoped()
@Controller('contacts')
export class ContactsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly tx: TransactionRunner,
    private readonly context: RequestContext,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a contact (email and phone unique per project; phone normalised to E.164)' })
  @ApiResource(ContactResponse, { status: 201 })
  @ApiIdempotent()
  @ApiProblems(403, 409)
  async create(@Body() dto: CreateContactDto, @Res({ passthrough: true }) res: Response) {
    const contact: ContactRecord = await this.commands.execute(new CreateContactCommand(this.context.principal, dto));
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
  @ApiResource(ContactResponse)
  async get(@Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) res: Response) {
    return this.respond(res, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change the given fields (null clears one; customFields merge, a null value removes a key)' })
  @ApiResource(ContactResponse)
  @ApiIfMatch()
  @ApiProblems(403, 409)
  async update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: UpdateContactDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { version, ...fields } = dto;
    return this.change(res, id, { kind: 'update', fields }, expectedVersion(ifMatch, version));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Soft-delete a contact; POST /contacts/{id}/restore brings it back' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiIfMatch()
  @ApiProblems(403, 409)
  async remove(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    await this.change(res, id, { kind: 'delete' }, expectedVersion(ifMatch, undefined));
  }

  @Post(':id/restore')
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
  async atVersion(@Param('id', new ParseUUIDPipe()) id: string, @Param('version', ParseIntPipe) version: number) {
    if (version < 1) throw new ValidationError('contact.invalid_version', 'version must be a positive integer (versions start at 1)');
    const state: ContactState = await this.queries.execute(new ContactAtVersionQuery(this.context.principal.projectId, id, version));
    return toContactView(state);
  }

  private async change(res: Response, id: string, change: ContactChange, expected?: ReturnType<typeof expectedVersion>) {
    const contact: ContactRecord = await this.commands.execute(new ChangeContactCommand(this.context.principal, id, change, expected));
    return change.kind === 'delete' ? undefined : this.written(res, contact);
  }

  /** The command's own result: no read-back, unless it wrote nothing (a PATCH that changed no field). */
  private written(res: Response, contact: ContactRecord) {
    if (!contact.updatedAt) return this.respond(res, contact.id);
    setEtag(res, contact.version);
    return toContactView(contact);
  }

  private async respond(res: Response, id: string) {
    const row = await this.tx.manager.findOne(ContactEntity, { where: { id, projectId: this.context.principal.projectId } });
    if (!row) throw new NotFoundError('contact', id);
    setEtag(res, row.version);
    return toContactView(row);
  }
}
