import { AggregateRoot } from '#kernel';
import { AgentFields, AgentType, CONVERSATIONS_EVENT_VERSIONS, AgentEvents } from '../conversations.events';
import { ConversationsErrors } from '../conversations.errors';

export type { AgentType };

/** The system agents every project has (not editable): automations act as `System`, API-key callers as `API`. */
export const SYSTEM_AGENT_NAMES = ['System', 'API'] as const;
export type SystemAgentName = (typeof SYSTEM_AGENT_NAMES)[number];

/** The types clients may create: system agents are only seeded. */
export const CREATABLE_AGENT_TYPES = ['human', 'ai', 'bot'] as const;

export interface AgentState extends AgentFields {
  id: string;
  tenantId: string;
  projectId: string;
  version: number;
  deletedAt: Date | null;
}

/** A change of settings; `undefined` leaves a field as it is. */
export type AgentChanges = Partial<Pick<AgentFields, 'name' | 'email' | 'active' | 'config' | 'userId'>>;

/**
 * Who works a conversation: a member (a human agent linked to their user), an AI, a bot, or one of the project's
 * system agents, which nobody changes. A human agent linked to a user stays that user's.
 */
export class Agent extends AggregateRoot<AgentEvents> {
  private constructor(private state: AgentState) {
    super(state.id, state.version);
  }

  static create(fields: Omit<AgentState, 'version' | 'deletedAt' | 'active'> & { active?: boolean }): Agent {
    const agent = new Agent({ ...fields, active: fields.active ?? true, ...validFields(fields), version: 0, deletedAt: null });
    agent.emit('agent.created', agent.fields());
    return agent;
  }

  static restore(state: AgentState): Agent {
    return new Agent(state);
  }

  get snapshot(): Readonly<AgentState> {
    return { ...this.state, version: this.version };
  }

  get isDeleted(): boolean {
    return this.state.deletedAt !== null;
  }

  get isSystem(): boolean {
    return this.state.type === 'system';
  }

  update(changes: AgentChanges): void {
    this.assertChangeable();
    if (changes.userId !== undefined && changes.userId !== this.state.userId) {
      if (this.state.userId !== null) throw ConversationsErrors.agentUserRelink(this.id);
      if (this.state.type !== 'human') throw ConversationsErrors.agentUserNotHuman();
    }
    const before = this.fields();
    const next: AgentState = { ...this.state };
    for (const key of ['name', 'email', 'active', 'config', 'userId'] as const) {
      if (changes[key] !== undefined) (next as unknown as Record<string, unknown>)[key] = changes[key];
    }
    this.state = { ...next, ...validFields(next) };
    const after = this.fields();
    const changed: Partial<AgentFields> = {};
    for (const key of Object.keys(after) as (keyof AgentFields)[]) {
      if (JSON.stringify(after[key]) !== JSON.stringify(before[key])) (changed as Record<string, unknown>)[key] = after[key];
    }
    if (Object.keys(changed).length > 0) this.emit('agent.updated', { changes: changed });
  }

  delete(): void {
    this.assertChangeable();
    this.state = { ...this.state, deletedAt: new Date() };
    this.emit('agent.deleted', {});
  }

  undelete(): void {
    if (!this.isDeleted) throw ConversationsErrors.agentNotDeleted(this.id);
    this.state = { ...this.state, deletedAt: null };
    this.emit('agent.restored', {});
  }

  /** Whether sessions may be assigned to it and messages sent as it. */
  get canWork(): boolean {
    return !this.isDeleted && this.state.active;
  }

  private assertChangeable(): void {
    if (this.isSystem) throw ConversationsErrors.systemAgent(this.id);
    if (this.isDeleted) throw ConversationsErrors.agentDeleted(this.id);
  }

  private fields(): AgentFields {
    const { type, name, email, userId, active, config } = this.state;
    return { type, name, email, userId, active, config };
  }

  protected readonly aggregateType = 'agent';

  protected eventVersionOf(type: keyof AgentEvents): number {
    return CONVERSATIONS_EVENT_VERSIONS[type];
  }

  protected get scope() {
    return { tenantId: this.state.tenantId, projectId: this.state.projectId };
  }
}

function validFields(fields: Pick<AgentFields, 'name' | 'email'>): Pick<AgentFields, 'name' | 'email'> {
  const name = fields.name.trim();
  if (name.length < 1 || name.length > 200) throw ConversationsErrors.agentNameInvalid();
  const email = fields.email?.trim().toLowerCase() || null;
  return { name, email };
}
