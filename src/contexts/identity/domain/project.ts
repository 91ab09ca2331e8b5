import { AggregateRoot, DomainError, ValidationError } from '#kernel';

export interface ProjectState {
  id: string;
  tenantId: string;
  billingAccountId: string;
  createdBy: string;
  name: string;
  description: string | null;
  configuration: Record<string, unknown>;
  active: boolean;
  sessionTimeoutMinutes: number;
  version: number;
  deletedAt: Date | null;
}

export type ProjectChanges = Partial<Pick<ProjectState, 'name' | 'description' | 'configuration' | 'active' | 'sessionTimeoutMinutes'>>;

/** A workspace of a tenant: contacts, lists and API keys live in one project. */
export class Project extends AggregateRoot {
  private constructor(private state: ProjectState) {
    super(state.id, state.version);
  }

  static create(
    fields: Omit<ProjectState, 'version' | 'deletedAt' | 'configuration' | 'active' | 'sessionTimeoutMinutes'> & ProjectChanges,
  ): Project {
    // Undefined means "not given" (as DTOs carry it): it must not overwrite a default.
    const given = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as typeof fields;
    const project = new Project({
      configuration: {},
      active: true,
      sessionTimeoutMinutes: 30,
      ...given,
      name: validName(fields.name),
      version: 0,
      deletedAt: null,
    });
    project.emit('project.created', { name: project.state.name, description: project.state.description, createdBy: fields.createdBy });
    return project;
  }

  static restore(state: ProjectState): Project {
    return new Project(state);
  }

  get snapshot(): Readonly<ProjectState> {
    return { ...this.state, version: this.version };
  }

  get isDeleted(): boolean {
    return this.state.deletedAt !== null;
  }

  update(changes: ProjectChanges): void {
    if (changes.name !== undefined) changes = { ...changes, name: validName(changes.name) };
    const changed = Object.fromEntries(
      Object.entries(changes).filter(
        ([k, v]) => v !== undefined && JSON.stringify(v) !== JSON.stringify(this.state[k as keyof ProjectState]),
      ),
    );
    if (Object.keys(changed).length === 0) return;
    this.state = { ...this.state, ...changed };
    this.emit('project.updated', { changes: changed });
  }

  delete(): void {
    if (this.isDeleted) throw new DomainError('conflict', 'project.already_deleted', 'The project is already deleted');
    this.state = { ...this.state, deletedAt: new Date() };
    this.emit('project.deleted', {});
  }

  undelete(): void {
    if (!this.isDeleted) throw new DomainError('conflict', 'project.not_deleted', 'The project is not deleted');
    this.state = { ...this.state, deletedAt: null };
    this.emit('project.restored', {});
  }

  protected readonly aggregateType = 'project';

  protected get scope() {
    return { tenantId: this.state.tenantId, projectId: this.id };
  }
}

function validName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw new ValidationError('project.name_required', 'A project needs a name');
  return trimmed;
}
