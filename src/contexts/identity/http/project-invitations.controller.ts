import { Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ExpectedVersion } from '#kernel';
import { ApiPage, ApiProblem, ApiProblems, ApiProjectScoped, Expected } from '#http';
import { MinRole, RequestContext } from '#tenancy';
import { RevokeInvitationCommand } from '../application/invitation.commands';
import { ListProjectInvitationsQuery } from '../application/invitation.queries';
import { InvitationResponse } from './identity.responses';

/** The invitations of the project your credential is for (POST /members makes them). Admins only. */
@ApiTags('members')
@ApiProjectScoped()
@MinRole('admin')
@ApiProblems(403)
@Controller('project-invitations')
export class ProjectInvitationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly context: RequestContext,
  ) {}

  @Get()
  @ApiOperation({ summary: "This project's invitations awaiting an answer (expired ones show `status: expired`)" })
  @ApiPage(InvitationResponse, 'The invitations (one page: nextCursor is always null)')
  async list() {
    return { data: await this.queries.execute(new ListProjectInvitationsQuery(this.context.principal)), nextCursor: null };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Withdraw an invitation that awaits an answer' })
  @ApiNoContentResponse({ description: 'Withdrawn: it can no longer be accepted' })
  @ApiProblem(409, 'Already answered (`invitation.not_pending`), or a stale body version (`version_conflict`)')
  async revoke(@Param('id', new ParseUUIDPipe()) id: string, @Expected() expected: ExpectedVersion | undefined) {
    await this.commands.execute(new RevokeInvitationCommand(this.context.principal, id, expected));
  }
}
