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
import { InviteMemberCommand } from '../application/invitation.commands';
import { InvitationView } from '../application/invitation.queries';
import { ChangeMemberCommand } from '../application/member.commands';
import { GetMemberQuery, ListMembersQuery, MemberView } from '../application/member.queries';
import { AddMemberDto, UpdateMemberDto } from './identity.dto';
import { InvitationResponse, MemberResponse } from './identity.responses';

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
  @ApiOperation({ summary: 'The members of this project, with their roles' })
  @ApiPage(MemberResponse)
  list(@Query() query: PageQuery) {
    return this.queries.execute(new ListMembersQuery(this.context.principal, pageLimit(query), query.cursor));
  }

  @Get(':id')
  @ApiOperation({ summary: 'A member of this project' })
  @ApiResource(MemberResponse)
  async get(@Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) res: Response) {
    return withEtag(res, await this.queries.execute(new GetMemberQuery(this.context.principal, id)));
  }

  @Post()
  @MinRole('admin')
  @ApiOperation({
    summary: 'Invite an email address to this project with a role',
    description:
      'Creates a pending invitation; the person with this email becomes a member only by accepting it (POST /invitations/{id}/accept). ' +
      'The answer is the same whether or not the address has an account. Invitations expire after INVITATION_TTL_HOURS (default 7 days).',
  })
  @ApiResource(InvitationResponse, { status: 201, description: 'Invited' })
  @ApiIdempotent()
  @ApiProblems(403)
  @ApiProblem(409, 'Already a member of this project (`project_member.duplicate`) or already invited (`invitation.duplicate`)')
  async invite(@Body() dto: AddMemberDto, @Res({ passthrough: true }) res: Response): Promise<InvitationView> {
    const invitation = await this.commands.execute(new InviteMemberCommand(this.context.principal, dto.email, dto.role));
    setEtag(res, invitation.version);
    return invitation;
  }

  @Patch(':id')
  @ApiOperation({ summary: "Change a member's role (admins; the last admin stays an admin)" })
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
  @ApiOperation({ summary: 'Remove a member from this project (admins; not the last admin)' })
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
