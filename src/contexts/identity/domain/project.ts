import { IdentityErrors } from '../identity.errors';
import { IdentityAggregate } from './identity-aggregate';

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
export class Project extends IdentityAggregate {
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
    project.raise('project.created', { name: project.state.name, description: project.state.description, createdBy: fields.createdBy });
    return project;
  }

  static restore(state: ProjectState): Project {
    return new Project(state);
  }

  get snapshot(): Readonly<ProjectState> {
    return { ...this.state, version: this.version };
  }

  get isActive(): boolean {
    return this.state.active && !this.isDeleted;
  }

  get isDeleted(): boolean {
    return this.state.deletedAt !== null;
  }

  /**
   * `otherActiveProjects`: how many other active projects the tenant has; deactivating the last one would lock the
   * tenant out (every credential needs an active project), so it is refused.
   */
  update(changes: ProjectChanges, tenant: { otherActiveProjects?: number } = {}): void {
    if (changes.name !== undefined) changes = { ...changes, name: validName(changes.name) };
    if (changes.active === false && this.state.active && tenant.otherActiveProjects === 0) throw IdentityErrors.projectLastActive();
    const changed = Object.fromEntries(
      Object.entries(changes).filter(
        ([k, v]) => v !== undefined && JSON.stringify(v) !== JSON.stringify(this.state[k as keyof ProjectState]),
      ),
    );
    if (Object.keys(changed).length === 0) return;
    this.state = { ...this.state, ...changed };
    this.raise('project.updated', { changes: changed });
  }

  /** `from`: the project of the credential asking; a project cannot delete itself (its caller would be cut off). */
  delete(from?: { projectId: string }): void {
    if (this.isDeleted) throw IdentityErrors.projectAlreadyDeleted();
    if (from?.projectId === this.id) throw IdentityErrors.projectInUse();
    this.state = { ...this.state, deletedAt: new Date() };
    this.raise('project.deleted', {});
  }

  undelete(): void {
    if (!this.isDeleted) throw IdentityErrors.projectNotDeleted();
    this.state = { ...this.state, deletedAt: null };
    this.raise('project.restored', {});
  }

  protected readonly aggregateType = 'project';

  protected get scope() {
    return { tenantId: this.state.tenantId, projectId: this.id };
  }
}

function validName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw IdentityErrors.projectNameRequired();
  return trimmed;
}
