import { Body, Controller, Delete, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError, NotFoundError } from '#kernel';
import {
  ApiIdempotent,
  ApiIfMatch,
  ApiPage,
  ApiProblem,
  ApiProblems,
  ApiProjectScoped,
  ApiResource,
  PageQuery,
  decodeCursor,
  expectedVersion,
  pageLimit,
  setEtag,
  toPage,
} from '#http';
import { SqlRow } from '#persistence/sql-row';
import { TransactionRunner } from '#persistence/transaction-runner';
import { MinRole, RequestContext } from '#tenancy';
import { ChangeProjectCommand, CreateProjectCommand } from '../application/project.commands';
import { ProjectState } from '../domain/project';
import { CreateProjectDto, UpdateProjectDto } from './identity.dto';
import { ProjectResponse } from './identity.responses';

const view = (p: Readonly<ProjectState> & { createdAt?: Date; updatedAt?: Date; role?: string }) => ({
  id: p.id,
  name: p.name,
  description: p.description,
  configuration: p.configuration,
  active: p.active,
  sessionTimeoutMinutes: p.sessionTimeoutMinutes,
  createdBy: p.createdBy,
  version: p.version,
  deletedAt: p.deletedAt,
  ...(p.role ? { role: p.role } : {}),
});

@ApiTags('projects')
@ApiProjectScoped()
@Controller('projects')
export class ProjectsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly tx: TransactionRunner,
    private readonly context: RequestContext,
  ) {}

  @Get()
  @ApiOperation({ summary: "The tenant's projects you are a member of" })
  @ApiPage(ProjectResponse)
  async list(@Query() query: PageQuery) {
    const limit = pageLimit(query);
    const rows = await this.tx.manager.query(
      `SELECT p.*, m.role FROM projects p
         JOIN project_members m ON m.project_id = p.id AND m.user_id = $1 AND m.deleted_at IS NULL
        WHERE p.deleted_at IS NULL AND ($2::uuid IS NULL OR p.id > $2) ORDER BY p.id LIMIT $3`,
      [this.context.principal.userId, decodeCursor(query.cursor) ?? null, limit + 1],
    );
    return toPage(rows, limit, (r: SqlRow) => view(fromRow(r)));
  }

  @Get(':id')
  @ApiResource(ProjectResponse)
  async get(@Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) res: Response) {
    const project = await this.membership(id, false);
    setEtag(res, project.version);
    return view(project);
  }

  @Post()
  @MinRole('admin')
  @ApiOperation({ summary: 'Create a project in your tenant (admins); you become its admin' })
  @ApiResource(ProjectResponse, { status: 201 })
  @ApiIdempotent()
  @ApiProblems(403, 409)
  async create(@Body() dto: CreateProjectDto, @Res({ passthrough: true }) res: Response) {
    const { name, description, ...changes } = dto;
    const project = await this.commands.execute(new CreateProjectCommand(this.context.principal, name, description ?? null, changes));
    setEtag(res, project.version);
    return view(project);
  }

  @Patch(':id')
  @MinRole('admin')
  @ApiResource(ProjectResponse)
  @ApiIfMatch()
  @ApiProblems(403, 409)
  async update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: UpdateProjectDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    await this.membership(id, true);
    const { version, ...changes } = dto;
    const project = await this.commands.execute(
      new ChangeProjectCommand(id, { kind: 'update', changes }, expectedVersion(ifMatch, version)),
    );
    setEtag(res, project.version);
    return view(project);
  }

  @Delete(':id')
  @MinRole('admin')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiIfMatch()
  @ApiProblems(403)
  @ApiProblem(409, 'A project cannot delete itself (`project.in_use`), or a stale version or concurrent change (`version_conflict`)')
  async remove(@Param('id', new ParseUUIDPipe()) id: string, @Headers('if-match') ifMatch: string | undefined) {
    await this.membership(id, true);
    if (id === this.context.principal.projectId) {
      throw new DomainError('conflict', 'project.in_use', 'A project cannot delete itself; use a credential of another project');
    }
    await this.commands.execute(new ChangeProjectCommand(id, { kind: 'delete' }, expectedVersion(ifMatch, undefined)));
  }

  @Post(':id/restore')
  @MinRole('admin')
  @HttpCode(200)
  @ApiResource(ProjectResponse, { description: 'Restored' })
  @ApiIdempotent()
  @ApiProblems(403, 409)
  async restore(@Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) res: Response) {
    await this.membership(id, true, true);
    const project = await this.commands.execute(new ChangeProjectCommand(id, { kind: 'restore' }));
    setEtag(res, project.version);
    return view(project);
  }

  /** The project as seen by the caller: 404 unless a member (an admin, for changes), in this tenant only. */
  private async membership(id: string, admin: boolean, withDeleted = false): Promise<ProjectState> {
    const [row] = await this.tx.manager.query(
      `SELECT p.*, m.role FROM projects p
         JOIN project_members m ON m.project_id = p.id AND m.user_id = $2 AND m.deleted_at IS NULL
        WHERE p.id = $1 AND ($3 OR p.deleted_at IS NULL)`,
      [id, this.context.principal.userId, withDeleted],
    );
    if (!row || (admin && row.role !== 'admin')) throw new NotFoundError('project', id);
    return fromRow(row);
  }
}

function fromRow(r: SqlRow): ProjectState & { role?: string } {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    billingAccountId: r.billing_account_id,
    createdBy: r.created_by,
    name: r.name,
    description: r.description,
    configuration: r.configuration,
    active: r.active,
    sessionTimeoutMinutes: r.session_timeout_minutes,
    version: r.version,
    deletedAt: r.deleted_at,
    role: r.role,
  };
}
