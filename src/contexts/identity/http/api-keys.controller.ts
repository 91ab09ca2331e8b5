import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPage, ApiProblem, ApiProblems, ApiProjectScoped, NotReplayable } from '#http';
import { MinRole, RequestContext } from '#tenancy';
import { CreateApiKeyCommand, ListApiKeysQuery, RevokeApiKeyCommand } from '../application/api-key.commands';
import { CreateApiKeyDto } from './identity.dto';
import { ApiKeyResponse, CreatedApiKeyResponse } from './identity.responses';

@ApiTags('api-keys')
@ApiProjectScoped()
@Controller('api-keys')
export class ApiKeysController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly context: RequestContext,
  ) {}

  @Get()
  @ApiOperation({ summary: "The project's API keys (admins: all; others: their own). Secrets are never shown again." })
  @ApiPage(ApiKeyResponse, 'The keys (one page: nextCursor is always null)')
  list() {
    return this.queries.execute(new ListApiKeysQuery(this.context.principal)).then((data) => ({ data, nextCursor: null }));
  }

  @Post()
  @MinRole('user')
  @ApiOperation({
    summary: 'Create an API key for yourself in this project; the response holds the secret, once',
    description:
      'Needs the user role or more (readonly members cannot). At most API_KEYS_PER_USER_PER_PROJECT (default 20) unexpired keys each.',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyResponse, description: 'Created; `key` is the secret' })
  @ApiProblems(403)
  @ApiProblem(409, 'You hold the most active keys allowed in this project (`api_key.limit_reached`); revoke one first')
  // The response carries the secret, which is never stored: an Idempotency-Key is ignored here.
  @NotReplayable()
  create(@Body() dto: CreateApiKeyDto) {
    return this.commands.execute(new CreateApiKeyCommand(this.context.principal, dto.name, dto.expiresAt ?? null));
  }

  @Delete(':id')
  @MinRole('readonly')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke (destroy) an API key: yours, or any of the project as an admin' })
  @ApiNoContentResponse({ description: 'Revoked' })
  async revoke(@Param('id', new ParseUUIDPipe()) id: string) {
    await this.commands.execute(new RevokeApiKeyCommand(this.context.principal, id));
  }
}
