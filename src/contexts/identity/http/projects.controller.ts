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
import { ChangeProjectCommand, CreateProjectCommand } from '../application/project.commands';
import { GetProjectQuery, ListProjectsQuery, ProjectView } from '../application/project.queries';
import { CreateProjectDto, UpdateProjectDto } from './identity.dto';
import { ProjectResponse } from './identity.responses';

@ApiTags('projects')
@ApiProjectScoped()
@Controller('projects')
export class ProjectsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly context: RequestContext,
  ) {}

  @Get()
  @ApiOperation({ summary: "The tenant's projects you are a member of" })
  @ApiPage(ProjectResponse)
  list(@Query() query: PageQuery) {
    return this.queries.execute(new ListProjectsQuery(this.context.principal, pageLimit(query), query.cursor));
  }

  @Get(':id')
  @ApiOperation({ summary: 'A project of your tenant that you are a member of' })
  @ApiResource(ProjectResponse)
  async get(@Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) res: Response) {
    return withEtag(res, await this.queries.execute(new GetProjectQuery(this.context.principal, id)));
  }

  @Post()
  @MinRole('admin')
  @ApiOperation({ summary: 'Create a project in your tenant (admins); you become its admin' })
  @ApiResource(ProjectResponse, { status: 201 })
  @ApiIdempotent()
  @ApiProblems(403, 409)
  async create(@Body() dto: CreateProjectDto, @Res({ passthrough: true }) res: Response) {
    const { name, description, ...changes } = dto;
    return withEtag(res, await this.commands.execute(new CreateProjectCommand(this.context.principal, name, description ?? null, changes)));
  }

  @Patch(':id')
  @MinRole('admin')
  @ApiOperation({ summary: "Change a project you administer; `active: false` is refused for the tenant's last active project" })
  @ApiResource(ProjectResponse)
  @ApiProblems(403)
  @ApiProblem(
    409,
    "A duplicate name (`project.duplicate_name`), the tenant's last active project (`project.last_active`), or a stale version (`version_conflict`)",
  )
  async update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: UpdateProjectDto,
    @Expected() expected: ExpectedVersion | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { version: _version, ...changes } = dto;
    return withEtag(
      res,
      await this.commands.execute(new ChangeProjectCommand(this.context.principal, id, { kind: 'update', changes }, expected)),
    );
  }

  @Delete(':id')
  @ApiOperation({ summary: "Soft-delete a project you administer (not the tenant's last active one); restore brings it back" })
  @MinRole('admin')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(403)
  @ApiProblem(409, 'A project cannot delete itself (`project.in_use`), or a stale version or concurrent change (`version_conflict`)')
  async remove(@Param('id', new ParseUUIDPipe()) id: string, @Expected() expected: ExpectedVersion | undefined) {
    await this.commands.execute(new ChangeProjectCommand(this.context.principal, id, { kind: 'delete' }, expected));
  }

  @Post(':id/restore')
  @ApiOperation({ summary: 'Restore a soft-deleted project you administer' })
  @MinRole('admin')
  @HttpCode(200)
  @ApiResource(ProjectResponse, { description: 'Restored' })
  @ApiIdempotent()
  @ApiProblems(403, 409)
  async restore(@Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) res: Response) {
    return withEtag(res, await this.commands.execute(new ChangeProjectCommand(this.context.principal, id, { kind: 'restore' })));
  }
}

function withEtag(res: Response, project: ProjectView): ProjectView {
  setEtag(res, project.version);
  return project;
}
