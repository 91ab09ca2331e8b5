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
import { AddMemberCommand, ChangeMemberCommand } from '../application/member.commands';
import { GetMemberQuery, ListMembersQuery, MemberView } from '../application/member.queries';
import { AddMemberDto, UpdateMemberDto } from './identity.dto';
import { MemberResponse } from './identity.responses';

/** Members of the project your credential is for. Everyone may read; admins manage. */
@ApiTags('members')
@ApiProjectScoped()
@Controller('members')
export class MembersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly context: RequestContext,
  ) {}

  @Get()
  @ApiPage(MemberResponse)
  list(@Query() query: PageQuery) {
    return this.queries.execute(new ListMembersQuery(this.context.principal, pageLimit(query), query.cursor));
  }

  @Get(':id')
  @ApiResource(MemberResponse)
  async get(@Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) res: Response) {
    return withEtag(res, await this.queries.execute(new GetMemberQuery(this.context.principal, id)));
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
    return withEtag(res, await this.commands.execute(new AddMemberCommand(this.context.principal, dto.email, dto.role)));
  }

  @Patch(':id')
  @MinRole('admin')
  @ApiResource(MemberResponse)
  @ApiProblems(403)
  @ApiProblem(
    409,
    'The project would lose its last admin (`project_member.last_admin`), or a stale version or concurrent change (`version_conflict`)',
  )
  async update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: UpdateMemberDto,
    @Expected() expected: ExpectedVersion | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const member = await this.commands.execute(
      new ChangeMemberCommand(this.context.principal, id, { kind: 'role', role: dto.role }, expected),
    );
    return withEtag(res, member!);
  }

  @Delete(':id')
  @MinRole('admin')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiProblems(403)
  @ApiProblem(409, 'The project would lose its last admin (`project_member.last_admin`), or a concurrent change (`version_conflict`)')
  async remove(@Param('id', new ParseUUIDPipe()) id: string, @Expected() expected: ExpectedVersion | undefined) {
    await this.commands.execute(new ChangeMemberCommand(this.context.principal, id, { kind: 'remove' }, expected));
  }
}

function withEtag(res: Response, member: MemberView): MemberView {
  setEtag(res, member.version);
  return member;
}
