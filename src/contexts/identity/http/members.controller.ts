import { Body, Controller, Delete, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { NotFoundError } from '#kernel';
import {
  ApiIdempotent,
  ApiIfMatch,
  ApiPage,
  ApiProblem,
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
import { MinRole, RequestContext } from '#tenancy';
import { AddMemberCommand, ChangeMemberCommand } from '../application/member.commands';
import { ProjectMemberState } from '../domain/project-member';
import { AddMemberDto, UpdateMemberDto } from './identity.dto';
import { MemberResponse } from './identity.responses';

const SELECT = `SELECT m.id, m.user_id, m.role, m.invited_by, m.invited_at, m.version, u.email, u.name
                  FROM project_members m JOIN users u ON u.id = m.user_id
                 WHERE m.project_id = $1 AND m.deleted_at IS NULL`;

const view = (r: SqlRow) => ({
  id: r.id,
  userId: r.user_id,
  email: r.email,
  name: r.name,
  role: r.role,
  invitedBy: r.invited_by,
  invitedAt: r.invited_at,
  version: r.version,
});

/** Members of the project your credential is for. Everyone may read; admins manage. */
@ApiTags('members')
@ApiProjectScoped()
@Controller('members')
export class MembersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly tx: TransactionRunner,
    private readonly context: RequestContext,
  ) {}

  @Get()
  @ApiPage(MemberResponse)
  async list(@Query() query: PageQuery) {
    const limit = pageLimit(query);
    const rows = await this.tx.manager.query(`${SELECT} AND ($2::uuid IS NULL OR m.id > $2) ORDER BY m.id LIMIT $3`, [
      this.context.principal.projectId,
      decodeCursor(query.cursor) ?? null,
      limit + 1,
    ]);
    return toPage(rows, limit, view);
  }

  @Get(':id')
  @ApiResource(MemberResponse)
  async get(@Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) res: Response) {
    const member = await this.find(id);
    setEtag(res, member.version);
    return member;
  }

  @Post()
  @MinRole('admin')
  @ApiOperation({ summary: 'Add a registered user (by email) to this project with a role' })
  @ApiResource(MemberResponse, { status: 201 })
  @ApiIdempotent()
  @ApiProblems(403)
  @ApiProblem(404, 'No registered user has this email')
  @ApiProblem(409, 'The user is already a member (`project_member.duplicate`)')
  async add(@Body() dto: AddMemberDto, @Res({ passthrough: true }) res: Response) {
    const member: ProjectMemberState = await this.commands.execute(new AddMemberCommand(this.context.principal, dto.email, dto.role));
    setEtag(res, member.version);
    return this.find(member.id);
  }

  @Patch(':id')
  @MinRole('admin')
  @ApiResource(MemberResponse)
  @ApiIfMatch()
  @ApiProblems(403)
  @ApiProblem(
    409,
    'The project would lose its last admin (`project_member.last_admin`), or a stale version or concurrent change (`version_conflict`)',
  )
  async update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: UpdateMemberDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const member: ProjectMemberState = await this.commands.execute(
      new ChangeMemberCommand(this.context.principal, id, { kind: 'role', role: dto.role }, expectedVersion(ifMatch, dto.version)),
    );
    setEtag(res, member.version);
    return this.find(id);
  }

  @Delete(':id')
  @MinRole('admin')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiIfMatch()
  @ApiProblems(403)
  @ApiProblem(409, 'The project would lose its last admin (`project_member.last_admin`), or a concurrent change (`version_conflict`)')
  async remove(@Param('id', new ParseUUIDPipe()) id: string, @Headers('if-match') ifMatch: string | undefined) {
    await this.commands.execute(
      new ChangeMemberCommand(this.context.principal, id, { kind: 'remove' }, expectedVersion(ifMatch, undefined)),
    );
  }

  private async find(id: string) {
    const [row] = await this.tx.manager.query(`${SELECT} AND m.id = $2`, [this.context.principal.projectId, id]);
    if (!row) throw new NotFoundError('project_member', id);
    return view(row);
  }
}
