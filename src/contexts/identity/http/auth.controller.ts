import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblem, ApiProblems } from '#http';
import { NotFoundError } from '#kernel';
import { TransactionRunner } from '#persistence/transaction-runner';
import { Public, RequestContext, UserOnly } from '#tenancy';
import { LoginQuery } from '../application/login.query';
import { CredentialLookups } from '../infrastructure/credential-lookups';
import { RegisterCommand } from '../application/register.command';
import { LoginDto, RegisterDto } from './identity.dto';
import { LoginResponse, MeResponse, RegistrationResponse } from './identity.responses';

@ApiTags('auth')
@ApiProblems(429)
@Controller('auth')
export class AuthController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly tx: TransactionRunner,
    private readonly lookups: CredentialLookups,
    private readonly context: RequestContext,
  ) {}

  @Public()
  @Post('register')
  @ApiOperation({ summary: 'Create an account: a user, a tenant, its first project and an API key (shown once)' })
  @ApiCreatedResponse({ type: RegistrationResponse, description: 'Registered' })
  @ApiProblems(400)
  @ApiProblem(409, 'An account with this email already exists (`user.duplicate_email`)')
  register(@Body() dto: RegisterDto) {
    return this.commands.execute(new RegisterCommand(dto.email, dto.password, dto.name, dto.tenantName));
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange email and password for a short-lived JWT; send X-Project-Id with it' })
  @ApiOkResponse({ type: LoginResponse, description: 'Signed in' })
  @ApiProblems(400)
  @ApiProblem(401, 'The email or password is wrong, or the user is suspended (`auth.invalid_login`)')
  login(@Body() dto: LoginDto) {
    return this.queries.execute(new LoginQuery(dto.email, dto.password));
  }

  @UserOnly()
  @ApiBearerAuth()
  @Get('me')
  @ApiOperation({ summary: 'The signed-in user and the projects they belong to' })
  @ApiOkResponse({ type: MeResponse, description: 'The user' })
  @ApiProblem(401, 'No user JWT (API keys are not accepted here), or an invalid or expired one')
  @ApiProblem(404, 'The user of the token no longer exists')
  async me() {
    const userId = this.context.get('userId')!;
    // The request's transaction carries app.current_user_id: RLS shows this user its own row.
    const [user] = await this.tx.manager.query(
      `SELECT id, email, name, status, created_at FROM users WHERE id = $1 AND deleted_at IS NULL`,
      [userId],
    );
    if (!user) throw new NotFoundError('user', userId);
    const projects = await this.lookups.memberships(userId);
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      status: user.status,
      createdAt: user.created_at,
      projects,
    };
  }
}
