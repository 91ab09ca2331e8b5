import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ExpectedVersion } from '#kernel';
import { ApiIdempotent, ApiPage, ApiProblems, ApiProjectScoped, ApiResource, Expected, PageQuery, pageLimit, setEtag } from '#http';
import { RequestContext } from '#tenancy';
import { ChangeContactListCommand, ChangeListMembershipCommand, CreateContactListCommand } from '../application/contact-list.commands';
import { GetContactListQuery, ListContactListMembersQuery, ListContactListsQuery } from '../application/contact-list.queries';
import { CreateListDto, ListMembersDto, UpdateListDto } from './contact.dto';
import { ContactListResponse, ContactResponse, ListMembershipResponse } from './contact.responses';

@ApiTags('contact-lists')
@ApiProjectScoped()
@Controller('contact-lists')
export class ContactListsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly context: RequestContext,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a contact list (names unique per project)' })
  @ApiResource(ContactListResponse, { status: 201 })
  @ApiIdempotent()
  @ApiProblems(403, 409)
  async create(@Body() dto: CreateListDto, @Res({ passthrough: true }) res: Response) {
    const list = await this.commands.execute(new CreateContactListCommand(this.context.principal, dto.name, dto.description ?? null));
    return this.respond(res, list.id);
  }

  @Get()
  @ApiOperation({ summary: "The project's contact lists, with their live contact counts" })
  @ApiPage(ContactListResponse)
  list(@Query() query: PageQuery) {
    return this.queries.execute(new ListContactListsQuery(this.context.principal.projectId, pageLimit(query), query.cursor));
  }

  @Get(':id')
  @ApiOperation({ summary: 'A contact list with its live contact count' })
  @ApiResource(ContactListResponse)
  get(@Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) res: Response) {
    return this.respond(res, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename or describe a contact list' })
  @ApiResource(ContactListResponse)
  @ApiProblems(403, 409)
  async update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: UpdateListDto,
    @Expected() expected: ExpectedVersion | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const change = { kind: 'update' as const, name: dto.name, description: dto.description };
    await this.commands.execute(new ChangeContactListCommand(this.context.principal, id, change, expected));
    return this.respond(res, id);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Soft-delete a contact list; restore brings it back' })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(403, 409)
  async remove(@Param('id', new ParseUUIDPipe()) id: string, @Expected() expected: ExpectedVersion | undefined) {
    await this.commands.execute(new ChangeContactListCommand(this.context.principal, id, { kind: 'delete' }, expected));
  }

  @Post(':id/restore')
  @ApiOperation({ summary: 'Restore a soft-deleted contact list' })
  @HttpCode(200)
  @ApiResource(ContactListResponse, { description: 'Restored' })
  @ApiIdempotent()
  @ApiProblems(403, 409)
  async restore(@Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) res: Response) {
    await this.commands.execute(new ChangeContactListCommand(this.context.principal, id, { kind: 'restore' }));
    return this.respond(res, id);
  }

  @Get(':id/contacts')
  @ApiOperation({ summary: 'The live contacts of a list' })
  @ApiPage(ContactResponse)
  members(@Param('id', new ParseUUIDPipe()) id: string, @Query() query: PageQuery) {
    return this.queries.execute(new ListContactListMembersQuery(this.context.principal.projectId, id, pageLimit(query), query.cursor));
  }

  @Post(':id/contacts')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add contacts to a list; returns those that were not members yet' })
  @ApiOkResponse({ type: ListMembershipResponse, description: 'The contacts added' })
  @ApiIdempotent()
  @ApiProblems(403)
  add(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: ListMembersDto) {
    return this.commands.execute(new ChangeListMembershipCommand(this.context.principal, id, dto.contactIds, 'add'));
  }

  @Post(':id/contacts/remove')
  @HttpCode(200)
  @ApiOperation({ summary: 'Remove contacts from a list; returns those that were members' })
  @ApiOkResponse({ type: ListMembershipResponse, description: 'The contacts removed' })
  @ApiIdempotent()
  @ApiProblems(403)
  removeMembers(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: ListMembersDto) {
    return this.commands.execute(new ChangeListMembershipCommand(this.context.principal, id, dto.contactIds, 'remove'));
  }

  private async respond(res: Response, id: string) {
    const list = await this.queries.execute(new GetContactListQuery(this.context.principal.projectId, id));
    setEtag(res, list.version);
    return list;
  }
}
