import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPage, ApiProblem, ApiProblems } from '#http';
import { RequestContext, UserOnly } from '#tenancy';
import { RespondToInvitationCommand } from '../application/invitation.commands';
import { ListMyInvitationsQuery } from '../application/invitation.queries';
import { JoinedProjectResponse, PendingInvitationResponse } from './identity.responses';

const NOT_YOURS = "No invitation with this id is addressed to you (another tenant's, another person's or a missing id answer alike)";

/** Invitations addressed to the signed-in user, from any tenant: a user JWT, no X-Project-Id. */
@ApiTags('invitations')
@ApiBearerAuth()
@UserOnly()
@ApiProblems(429)
@ApiProblem(401, 'No user JWT (API keys are not accepted here), or an invalid or expired one')
@Controller('invitations')
export class InvitationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly context: RequestContext,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Your pending invitations to projects, from every tenant (one page: nextCursor is always null)' })
  @ApiPage(PendingInvitationResponse, 'Pending, unexpired invitations addressed to your account email')
  async list() {
    return { data: await this.queries.execute(new ListMyInvitationsQuery(this.userId)), nextCursor: null };
  }

  @Post(':id/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept an invitation: you become a member of its project with its role' })
  @ApiOkResponse({ type: JoinedProjectResponse, description: 'Joined; select the project with X-Project-Id' })
  @ApiProblems(400)
  @ApiProblem(404, NOT_YOURS)
  @ApiProblem(
    409,
    'Expired (`invitation.expired`), already answered (`invitation.not_pending`), or you are a member already (`project_member.duplicate`)',
  )
  async accept(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.commands.execute(new RespondToInvitationCommand(this.userId, id, 'accept'));
  }

  @Post(':id/decline')
  @HttpCode(204)
  @ApiOperation({ summary: 'Decline an invitation' })
  @ApiNoContentResponse({ description: 'Declined' })
  @ApiProblems(400)
  @ApiProblem(404, NOT_YOURS)
  @ApiProblem(409, 'Expired (`invitation.expired`) or already answered (`invitation.not_pending`)')
  async decline(@Param('id', new ParseUUIDPipe()) id: string) {
    await this.commands.execute(new RespondToInvitationCommand(this.userId, id, 'decline'));
  }

  private get userId(): string {
    return this.context.get('userId')!;
  }
}
