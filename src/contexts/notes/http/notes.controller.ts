import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ExpectedVersion } from '#kernel';
import { ApiIdempotent, ApiPage, ApiProblems, ApiProjectScoped, ApiResource, Expected, PageQuery, pageLimit, setEtag } from '#http';
import { RequestContext } from '#tenancy';
import { ChangeNoteCommand, CreateNoteCommand } from '../application/note.commands';
import { GetNoteQuery, ListNotesQuery } from '../application/note.queries';
import { CreateNoteDto, UpdateNoteDto } from './note.dto';
import { NoteResponse } from './note.responses';

@ApiTags('notes')
@ApiProjectScoped()
@Controller('contacts/:id/notes')
export class NotesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly context: RequestContext,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Write a note on the contact' })
  @ApiResource(NoteResponse, { status: 201 })
  @ApiIdempotent()
  @ApiProblems(403)
  async create(@Param('id', new ParseUUIDPipe()) contactId: string, @Body() dto: CreateNoteDto, @Res({ passthrough: true }) res: Response) {
    const { id } = await this.commands.execute(new CreateNoteCommand(this.context.principal, contactId, dto.text, dto.pinned ?? false));
    return this.respond(res, contactId, id);
  }

  @Get()
  @ApiOperation({ summary: "The contact's notes, pinned first, then newest" })
  @ApiPage(NoteResponse)
  list(@Param('id', new ParseUUIDPipe()) contactId: string, @Query() query: PageQuery) {
    return this.queries.execute(new ListNotesQuery(this.context.principal.projectId, contactId, pageLimit(query), query.cursor));
  }

  @Get(':noteId')
  @ApiOperation({ summary: 'A note of the contact' })
  @ApiResource(NoteResponse)
  get(
    @Param('id', new ParseUUIDPipe()) contactId: string,
    @Param('noteId', new ParseUUIDPipe()) id: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.respond(res, contactId, id);
  }

  @Patch(':noteId')
  @ApiOperation({ summary: 'Change the text of a note, or pin or unpin it' })
  @ApiResource(NoteResponse)
  @ApiProblems(403, 409)
  async update(
    @Param('id', new ParseUUIDPipe()) contactId: string,
    @Param('noteId', new ParseUUIDPipe()) id: string,
    @Body() dto: UpdateNoteDto,
    @Expected() expected: ExpectedVersion | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const change = { kind: 'update' as const, text: dto.text, pinned: dto.pinned };
    await this.commands.execute(new ChangeNoteCommand(this.context.principal, contactId, id, change, expected));
    return this.respond(res, contactId, id);
  }

  @Delete(':noteId')
  @ApiOperation({ summary: 'Delete a note (soft delete)' })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(403, 409)
  async remove(
    @Param('id', new ParseUUIDPipe()) contactId: string,
    @Param('noteId', new ParseUUIDPipe()) id: string,
    @Expected() expected: ExpectedVersion | undefined,
  ) {
    await this.commands.execute(new ChangeNoteCommand(this.context.principal, contactId, id, { kind: 'delete' }, expected));
  }

  private async respond(res: Response, contactId: string, id: string) {
    const note = await this.queries.execute(new GetNoteQuery(this.context.principal.projectId, contactId, id));
    setEtag(res, note.version);
    return note;
  }
}
