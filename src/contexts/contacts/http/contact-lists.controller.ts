import { Body, Controller, Delete, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { NotFoundError } from '#kernel';
import {
  ApiIdempotent,
  ApiIfMatch,
  ApiPage,
  ApiProblems,
  ApiProjectScoped,
  ApiResource,
  PageQuery,
  decodeCursor,
  expectedVersion,
  pageLimit,
  setEtag,
  toPage,
} from '#http';
import { SqlRow } from '#persistence/sql-row';
import { TransactionRunner } from '#persistence/transaction-runner';
import { RequestContext } from '#tenancy';
import { ChangeContactListCommand, ChangeListMembershipCommand, CreateContactListCommand } from '../application/contact-list.commands';
import { ContactEntity } from '../infrastructure/contact.entity';
import { toContactView } from '../infrastructure/contact.mapper';
import { CreateListDto, ListMembersDto, UpdateListDto } from './contact.dto';
import { ContactListResponse, ContactResponse, ListMembershipResponse } from './contact.responses';

const SELECT = `SELECT l.id, l.name, l.description, l.version, l.created_at, l.updated_at, l.deleted_at,
                       (SELECT count(*)::int FROM contact_list_members m JOIN contacts c ON c.id = m.contact_id AND c.deleted_at IS NULL
                         WHERE m.list_id = l.id) AS contact_count
                  FROM contact_lists l WHERE l.project_id = $1`;

const view = (r: SqlRow) => ({
  id: r.id,
  name: r.name,
  description: r.description,
  contactCount: r.contact_count,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  deletedAt: r.deleted_at,
});

@ApiTags('contact-lists')
@ApiProjectScoped()
@Controller('contact-lists')
export class ContactListsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly tx: TransactionRunner,
    private readonly context: RequestContext,
  ) {}

  @Post()
  @ApiResource(ContactListResponse, { status: 201 })
  @ApiIdempotent()
  @ApiProblems(403, 409)
  async create(@Body() dto: CreateListDto, @Res({ passthrough: true }) res: Response) {
    const list = await this.commands.execute(new CreateContactListCommand(this.context.principal, dto.name, dto.description ?? null));
    return this.respond(res, list.id);
  }

  @Get()
  @ApiPage(ContactListResponse)
  async list(@Query() query: PageQuery) {
    const limit = pageLimit(query);
    const rows = await this.tx.manager.query(
      `${SELECT} AND l.deleted_at IS NULL AND ($2::uuid IS NULL OR l.id > $2) ORDER BY l.id LIMIT $3`,
      [this.context.principal.projectId, decodeCursor(query.cursor) ?? null, limit + 1],
    );
    return toPage(rows, limit, view);
  }

  @Get(':id')
  @ApiResource(ContactListResponse)
  get(@Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) res: Response) {
    return this.respond(res, id);
  }

  @Patch(':id')
  @ApiResource(ContactListResponse)
  @ApiIfMatch()
  @ApiProblems(403, 409)
  async update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: UpdateListDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    await this.commands.execute(
      new ChangeContactListCommand(
        this.context.principal,
        id,
        { kind: 'update', name: dto.name, description: dto.description },
        expectedVersion(ifMatch, dto.version),
      ),
    );
    return this.respond(res, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiIfMatch()
  @ApiProblems(403, 409)
  async remove(@Param('id', new ParseUUIDPipe()) id: string, @Headers('if-match') ifMatch: string | undefined) {
    await this.commands.execute(
      new ChangeContactListCommand(this.context.principal, id, { kind: 'delete' }, expectedVersion(ifMatch, undefined)),
    );
  }

  @Post(':id/restore')
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
  async members(@Param('id', new ParseUUIDPipe()) id: string, @Query() query: PageQuery) {
    await this.find(id);
    const limit = pageLimit(query);
    const after = decodeCursor(query.cursor);
    const qb = this.tx.manager
      .createQueryBuilder(ContactEntity, 'c')
      .innerJoin('contact_list_members', 'm', 'm.contact_id = c.id AND m.list_id = :id', { id });
    if (after) qb.andWhere('c.id > :after', { after });
    return toPage(
      await qb
        .orderBy('c.id', 'ASC')
        .limit(limit + 1)
        .getMany(),
      limit,
      toContactView,
    );
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

  private async find(id: string): Promise<SqlRow> {
    const [row] = await this.tx.manager.query(`${SELECT} AND l.id = $2 AND l.deleted_at IS NULL`, [this.context.principal.projectId, id]);
    if (!row) throw new NotFoundError('contact_list', id);
    return row;
  }

  private async respond(res: Response, id: string) {
    const row = await this.find(id);
    setEtag(res, row.version);
    return view(row);
  }
}
