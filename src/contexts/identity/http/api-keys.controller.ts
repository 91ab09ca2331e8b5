import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MinRole, RequestContext } from '../../../../libs/tenancy';
import { CreateApiKeyCommand, ListApiKeysQuery, RevokeApiKeyCommand } from '../application/api-key.commands';
import { CreateApiKeyDto } from './identity.dto';

@ApiTags('api-keys')
@ApiBearerAuth()
@Controller('api-keys')
export class ApiKeysController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly context: RequestContext,
  ) {}

  @Get()
  @ApiOperation({ summary: "The project's API keys (admins: all; others: their own). Secrets are never shown again." })
  list() {
    return this.queries.execute(new ListApiKeysQuery(this.context.principal)).then((data) => ({ data, nextCursor: null }));
  }

  @Post()
  @MinRole('readonly')
  @ApiOperation({ summary: 'Create an API key for yourself in this project; the response holds the secret, once' })
  create(@Body() dto: CreateApiKeyDto) {
    return this.commands.execute(new CreateApiKeyCommand(this.context.principal, dto.name, dto.expiresAt ?? null));
  }

  @Delete(':id')
  @MinRole('readonly')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke (destroy) an API key: yours, or any of the project as an admin' })
  async revoke(@Param('id', new ParseUUIDPipe()) id: string) {
    await this.commands.execute(new RevokeApiKeyCommand(this.context.principal, id));
  }
}
