import { IdentityErrors } from '../identity.errors';
import { IdentityAggregate } from './identity-aggregate';
import type { ProjectRole } from '../identity.events';

export interface ProjectMemberState {
  id: string;
  tenantId: string;
  projectId: string;
  userId: string;
  role: ProjectRole;
  invitedBy: string | null;
  invitedAt: Date;
  version: number;
  deletedAt: Date | null;
}

/** A user's role in one project. The last admin of a project cannot be demoted or removed. */
export class ProjectMember extends IdentityAggregate {
  private constructor(private state: ProjectMemberState) {
    super(state.id, state.version);
  }

  static add(fields: Omit<ProjectMemberState, 'version' | 'deletedAt' | 'invitedAt'>): ProjectMember {
    const member = new ProjectMember({ ...fields, invitedAt: new Date(), version: 0, deletedAt: null });
    member.raise('project_member.added', { userId: fields.userId, role: fields.role, invitedBy: fields.invitedBy });
    return member;
  }

  static restore(state: ProjectMemberState): ProjectMember {
    return new ProjectMember(state);
  }

  get userId(): string {
    return this.state.userId;
  }

  get role(): ProjectRole {
    return this.state.role;
  }

  get isRemoved(): boolean {
    return this.state.deletedAt !== null;
  }

  get snapshot(): Readonly<ProjectMemberState> {
    return { ...this.state, version: this.version };
  }

  changeRole(role: ProjectRole, otherAdmins: number): void {
    if (role === this.state.role) return;
    if (this.state.role === 'admin' && otherAdmins === 0) throw lastAdmin();
    const from = this.state.role;
    this.state = { ...this.state, role };
    this.raise('project_member.role_changed', { userId: this.state.userId, from, to: role });
  }

  remove(otherAdmins: number): void {
    if (this.state.role === 'admin' && otherAdmins === 0) throw lastAdmin();
    this.state = { ...this.state, deletedAt: new Date() };
    this.raise('project_member.removed', { userId: this.state.userId });
  }

  protected readonly aggregateType = 'project_member';

  protected get scope() {
    return { tenantId: this.state.tenantId, projectId: this.state.projectId };
  }
}

const lastAdmin = IdentityErrors.lastAdmin;
