import { Body, Controller, Get, HttpCode, Ip, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblem, ApiProblems } from '#http';
import { Public, RequestContext, UserOnly } from '#tenancy';
import { LoginCommand } from '../application/login.command';
import { MeQuery } from '../application/me.query';
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
    private readonly context: RequestContext,
  ) {}

  @Public()
  @Post('register')
  @ApiOperation({ summary: 'Create an account: a user, a tenant, its first project and an API key (shown once)' })
  @ApiCreatedResponse({ type: RegistrationResponse, description: 'Registered' })
  @ApiProblem(
    400,
    'Invalid fields (`errors[]`), or a password that is your email or name (`user.password_like_identity`) or among the most common ones (`user.password_too_common`)',
  )
  @ApiProblem(409, 'An account with this email already exists (`user.duplicate_email`)')
  @ApiProblem(
    429,
    'Too many sign-ups from your address (`auth.too_many_registrations`, REGISTER_PER_HOUR); retry after `Retry-After` seconds',
  )
  register(@Body() dto: RegisterDto, @Ip() address: string) {
    return this.commands.execute(new RegisterCommand(dto.email, dto.password, dto.name, dto.tenantName, address));
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange email and password for a short-lived JWT; send X-Project-Id with it' })
  @ApiOkResponse({ type: LoginResponse, description: 'Signed in' })
  @ApiProblems(400)
  @ApiProblem(401, 'The email or password is wrong, or the user is suspended (`auth.invalid_login`)')
  @ApiProblem(
    429,
    'Too many failed sign-ins for this account (LOGIN_MAX_FAILURES_PER_MINUTE) or attempts from your address (LOGIN_MAX_PER_ADDRESS_PER_MINUTE): `auth.too_many_attempts`; retry after `Retry-After` seconds',
  )
  login(@Body() dto: LoginDto, @Ip() address: string) {
    return this.commands.execute(new LoginCommand(dto.email, dto.password, address));
  }

  @UserOnly()
  @ApiBearerAuth()
  @Get('me')
  @ApiOperation({ summary: 'The signed-in user and the projects they belong to' })
  @ApiOkResponse({ type: MeResponse, description: 'The user' })
  @ApiProblem(401, 'No user JWT (API keys are not accepted here), or an invalid or expired one')
  @ApiProblem(404, 'The user of the token no longer exists')
  me() {
    return this.queries.execute(new MeQuery(this.context.get('userId')!));
  }
}
