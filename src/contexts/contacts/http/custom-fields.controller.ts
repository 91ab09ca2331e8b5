import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiIdempotent, ApiPage, ApiProblems, ApiProjectScoped, ApiResource, Expected, setEtag } from '#http';
import { ExpectedVersion } from '#kernel';
import { MinRole, RequestContext } from '#tenancy';
import { DefineCustomFieldCommand, DeleteCustomFieldCommand, RelabelCustomFieldCommand } from '../application/custom-field.commands';
import { ListCustomFieldsQuery } from '../application/custom-field.queries';
import { DefineCustomFieldDto, RelabelCustomFieldDto } from './contact.dto';
import { CustomFieldResponse } from './contact.responses';

/** The custom fields contacts of this project may carry. Managers define them. */
@ApiTags('contact-custom-fields')
@ApiProjectScoped()
@Controller('contact-custom-fields')
export class CustomFieldsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly context: RequestContext,
  ) {}

  @Get()
  @ApiOperation({ summary: "The project's custom field definitions (one page)" })
  @ApiPage(CustomFieldResponse, 'Every custom field of the project, by key (one page: nextCursor is always null)')
  list() {
    return this.queries.execute(new ListCustomFieldsQuery(this.context.principal.projectId));
  }

  @Post()
  @MinRole('manager')
  @ApiOperation({ summary: 'Define a custom field: key, label and type (text, number, boolean, date)' })
  @ApiResource(CustomFieldResponse, { status: 201 })
  @ApiIdempotent()
  @ApiProblems(403, 409)
  async define(@Body() dto: DefineCustomFieldDto, @Res({ passthrough: true }) res: Response) {
    const field = await this.commands.execute(new DefineCustomFieldCommand(this.context.principal, dto.key, dto.label, dto.type));
    setEtag(res, field.version);
    return field;
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Relabel a custom field (managers); its key and type stay' })
  @MinRole('manager')
  @ApiResource(CustomFieldResponse)
  @ApiProblems(403, 409)
  async relabel(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: RelabelCustomFieldDto,
    @Expected() expected: ExpectedVersion | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const field = await this.commands.execute(new RelabelCustomFieldCommand(this.context.principal, id, dto.label, expected));
    setEtag(res, field.version);
    return field;
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a custom field definition (managers); values stay on contacts' })
  @MinRole('manager')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted (values stay on contacts; the key can be defined again)' })
  @ApiProblems(403, 409)
  async remove(@Param('id', new ParseUUIDPipe()) id: string, @Expected() expected: ExpectedVersion | undefined) {
    await this.commands.execute(new DeleteCustomFieldCommand(this.context.principal, id, expected));
  }
}
