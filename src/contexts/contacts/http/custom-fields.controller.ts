import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiIdempotent, ApiPage, ApiProblems, ApiProjectScoped, ApiResource, Expected, setEtag } from '#http';
import { TransactionRunner } from '#persistence/transaction-runner';
import { ExpectedVersion } from '#kernel';
import { MinRole, RequestContext } from '#tenancy';
import { ChangeCustomFieldCommand, DefineCustomFieldCommand } from '../application/custom-field.commands';
import { ContactCustomFieldEntity } from '../infrastructure/contact-custom-field.entity';
import { DefineCustomFieldDto, RelabelCustomFieldDto } from './contact.dto';
import { CustomFieldResponse } from './contact.responses';

const view = (f: ContactCustomFieldEntity) => ({
  id: f.id,
  key: f.key,
  label: f.label,
  type: f.fieldType,
  version: f.version,
  createdAt: f.createdAt,
  updatedAt: f.updatedAt,
});

/** The custom fields contacts of this project may carry. Managers define them. */
@ApiTags('contact-custom-fields')
@ApiProjectScoped()
@Controller('contact-custom-fields')
export class CustomFieldsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly tx: TransactionRunner,
    private readonly context: RequestContext,
  ) {}

  @Get()
  @ApiPage(CustomFieldResponse, 'Every custom field of the project, by key (one page: nextCursor is always null)')
  async list() {
    const rows = await this.tx.manager.find(ContactCustomFieldEntity, {
      where: { projectId: this.context.principal.projectId },
      order: { key: 'ASC' },
    });
    return { data: rows.map(view), nextCursor: null };
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
    return view(field);
  }

  @Patch(':id')
  @MinRole('manager')
  @ApiResource(CustomFieldResponse)
  @ApiProblems(403, 409)
  async relabel(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: RelabelCustomFieldDto,
    @Expected() expected: ExpectedVersion | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const field = await this.commands.execute(
      new ChangeCustomFieldCommand(this.context.principal, id, { kind: 'relabel', label: dto.label }, expected),
    );
    setEtag(res, field.version);
    return view(field);
  }

  @Delete(':id')
  @MinRole('manager')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted (values stay on contacts; the key can be defined again)' })
  @ApiProblems(403, 409)
  async remove(@Param('id', new ParseUUIDPipe()) id: string, @Expected() expected: ExpectedVersion | undefined) {
    await this.commands.execute(new ChangeCustomFieldCommand(this.context.principal, id, { kind: 'delete' }, expected));
  }
}
